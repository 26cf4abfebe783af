//! The catalogue for staff: the product list (`list`), one product's form with its
//! publishing, copying, deleting and history (`edit`), and their calls (`api`).

pub mod api;
pub mod edit;
pub mod list;
