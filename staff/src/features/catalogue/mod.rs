//! The catalogue for staff: the product list (`list`) with CSV import and export
//! (`import`), one product's form with its publishing, copying, deleting and history
//! (`edit`) with its variants (`variants`), the categories (`categories`), and their calls (`api`).

pub mod api;
pub mod categories;
pub mod edit;
pub mod fields;
pub mod import;
pub mod list;
pub mod photos;
pub mod translations;
pub mod variants;
