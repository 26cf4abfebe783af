//! Reaching a person: the help widget, live chat, the FAQ pages and the shopper's support history.

pub mod api;
pub mod help;
pub mod history;
pub mod state;
pub mod widget;

/// The chat client lives in the crate both web apps share (agents use it too).
pub use aisle_web::chat;
