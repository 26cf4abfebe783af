//! What every page of the back office stands on.

pub mod clock;
pub mod lang;
pub mod shop;

/// The API client both web apps share.
pub use aisle_web::http;
