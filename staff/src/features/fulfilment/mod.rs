//! Fulfilment (staff): orders moved on, stock edits.

pub mod api;
pub mod page;
