//! The privacy and contact pages.

pub mod page;
