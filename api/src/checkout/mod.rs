//! Turning a cart into an order: payment providers.

pub mod payments;
pub mod routes;
pub mod service;
