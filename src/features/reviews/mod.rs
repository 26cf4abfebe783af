//! Reviews in the shop: the buyer's review form on a delivered order.

pub mod write;
