//! Offers: discount codes and sales (automatic offers); staff make them and see how
//! each has done.

pub mod api;
pub mod page;
pub mod sales;
