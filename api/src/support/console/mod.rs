//! The agents' console: the queue and one customer on one screen.

pub mod routes;
pub mod service;
