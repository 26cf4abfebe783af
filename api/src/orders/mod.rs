//! Orders: placing them, the shopper's history and self-service changes.

pub mod routes;
pub mod service;
pub mod store;
