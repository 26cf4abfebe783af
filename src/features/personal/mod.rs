//! What the app learns and gives back: the clickstream, privacy settings, greeting and recommendations.

pub mod api;
pub mod activity;
pub mod related;
pub mod state;
