//! The cart page.

pub mod page;
