//! Reaching a person: the help widget, live chat, the FAQ pages and the shopper's support history.

pub mod api;
pub mod chat;
pub mod help;
pub mod history;
pub mod state;
pub mod widget;
