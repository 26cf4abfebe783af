//! Pieces of page every feature uses: loading and error panels, form fields.

pub mod feedback;
pub mod form;
pub mod not_found;
pub mod title;
