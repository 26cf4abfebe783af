//! The shopper's orders: history, one order and its self-service.

pub mod api;
pub mod find;
pub mod page;
pub mod save_details;
