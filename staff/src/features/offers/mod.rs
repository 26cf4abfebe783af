//! Discount codes: staff make them and see how each has done.

pub mod api;
pub mod page;
