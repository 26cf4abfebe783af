//! Turning a cart into an order: payment providers.

pub mod payments;
