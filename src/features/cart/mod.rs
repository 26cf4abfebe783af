//! The cart page.

pub mod api;
pub mod page;
