//! Reaching a person: chat, call-backs, contact tickets, feedback, ratings, the FAQ
//! and the agents' console.

pub mod chat;
pub mod console;
pub mod faq;
pub mod hub;
pub mod routes;
pub mod service;
