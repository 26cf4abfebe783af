//! The shopper's cart.

pub mod routes;
pub mod store;
