//! One folder per feature: its pages, components and state.

pub mod account;
pub mod cart;
pub mod catalogue;
pub mod checkout;
pub mod home;
pub mod legal;
pub mod market;
pub mod orders;
pub mod personal;
pub mod privacy;
pub mod reviews;
pub mod support;
pub mod wishlist;
