//! What the shopper controls: privacy settings, a copy of their data, erasure.

pub mod routes;
pub mod store;
