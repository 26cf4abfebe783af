//! The home page.

pub mod page;
