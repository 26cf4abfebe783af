//! Checkout.

pub mod page;
pub mod promise;
pub mod rules;
pub mod summary;
