//! One module per page, named after its route.

pub mod category;
pub mod home;
pub mod not_found;
pub mod product;
pub mod search;
