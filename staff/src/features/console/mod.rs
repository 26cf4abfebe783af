//! The agents' console (staff).

pub mod api;
pub mod page;
