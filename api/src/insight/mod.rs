//! How the shop is doing, for staff.

pub mod routes;
pub mod store;
