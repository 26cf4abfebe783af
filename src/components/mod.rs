pub mod feedback;
pub mod form;
pub mod header;
pub mod product_card;
pub mod support;
