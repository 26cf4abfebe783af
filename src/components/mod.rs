pub mod feedback;
pub mod header;
pub mod product_card;
