//! Checkout.

pub mod page;
pub mod rules;
pub mod summary;
