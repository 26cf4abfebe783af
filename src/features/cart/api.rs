//! The cart as the server holds it.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::cart::Cart;

pub async fn cart() -> Result<Cart, ApiError> {
    http::get(Request::get("/api/cart")).await
}

/// Puts a discount code on the cart; the shop says why when it does nothing for it.
pub async fn apply_code(code: &str) -> Result<Cart, ApiError> {
    http::change(aisle_domain::change::Method::Put, "/api/cart/code", &serde_json::json!({ "code": code }), &[]).await
}

pub async fn remove_code() -> Result<Cart, ApiError> {
    http::change(aisle_domain::change::Method::Delete, "/api/cart/code", &serde_json::json!({}), &[]).await
}
