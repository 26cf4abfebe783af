//! `/staff/reviews`: reviews waiting for staff, and those published or hidden.

pub mod api;
pub mod page;
