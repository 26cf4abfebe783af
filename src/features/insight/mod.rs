//! Insight (staff): how the shop is doing.

pub mod page;
