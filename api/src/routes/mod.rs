//! HTTP handlers, grouped by what they serve. Each stays thin: parse the request with
//! the shared domain types, ask `db`, shape the answer.

pub mod account;
pub mod agent;
pub mod cart;
pub mod catalogue;
pub mod chat;
pub mod faq;
pub mod health;
pub mod orders;
pub mod personal;
pub mod search;
pub mod staff;
pub mod stock;
pub mod support;
