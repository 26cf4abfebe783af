//! One module per page, named after its route.

pub mod account;
pub mod agent;
pub mod auth;
pub mod cart;
pub mod category;
pub mod checkout;
pub mod help;
pub mod home;
pub mod insight;
pub mod not_found;
pub mod orders;
pub mod privacy;
pub mod product;
pub mod search;
pub mod staff;
pub mod support;
