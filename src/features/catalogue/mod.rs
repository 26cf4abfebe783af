//! The catalogue: the copy on the device, category, brand, product and search pages, and the product card.

pub mod alerts;
pub mod api;
pub mod brand;
pub mod category;
pub mod filters;
pub mod local;
pub mod photo;
pub mod product;
pub mod product_card;
pub mod search;
pub mod variants;
