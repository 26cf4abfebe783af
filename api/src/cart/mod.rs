//! The shopper's cart.

pub mod routes;
