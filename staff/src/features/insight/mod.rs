//! Insight (staff): how the shop is doing.

pub mod api;
pub mod page;
