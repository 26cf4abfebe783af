//! Checkout.

pub mod page;
