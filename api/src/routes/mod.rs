//! HTTP handlers, grouped by what they serve. Each stays thin: parse the request with
//! the shared domain types, ask `db`, shape the answer.

pub mod catalogue;
pub mod health;
pub mod search;
