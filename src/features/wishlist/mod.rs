//! The wish list: a heart on every card and product page, the list with its "Price
//! dropped" and "Back in stock" badges, kept on the device for a guest and on the
//! account too for a signed-in shopper (see docs/wishlist.md).

pub mod api;
pub mod heart;
pub mod page;
pub mod state;
