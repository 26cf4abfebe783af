//! The shopper's orders: history, one order and its self-service.

pub mod page;
