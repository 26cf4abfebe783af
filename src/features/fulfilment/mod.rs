//! Fulfilment (staff): orders moved on, stock edits.

pub mod page;
