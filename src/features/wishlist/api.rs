//! The account's wish list as the API serves it; keeping and removing go through the
//! outbox (see `state`).

use crate::platform::http::{self, ApiError};
use aisle_domain::{change::Method, wishlist::WishList};
use gloo_net::http::Request;

pub async fn wishlist() -> Result<WishList, ApiError> {
    http::get(Request::get("/api/wishlist")).await
}

/// Adds a guest's device list to the account's; the answer is the account's whole list.
pub async fn merge(device: &WishList) -> Result<WishList, ApiError> {
    http::change(Method::Post, "/api/wishlist/merge", device, &[]).await
}
