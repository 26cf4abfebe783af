//! The help centre's articles and their votes.

pub mod routes;
pub mod seed;
pub mod store;
