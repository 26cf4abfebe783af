//! What the shop learns from how a shopper uses it, and what it gives back.

pub mod routes;
pub mod service;
