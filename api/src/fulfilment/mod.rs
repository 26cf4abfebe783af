//! Fulfilment for shop staff: the order list, moving orders on, and stock.

pub mod routes;
pub mod service;
