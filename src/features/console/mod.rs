//! The agents' console (staff).

pub mod page;
