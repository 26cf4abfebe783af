//! The privacy and contact pages.

pub mod api;
pub mod page;
