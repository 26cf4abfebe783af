//! The cart as the server holds it.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::cart::Cart;

pub async fn cart() -> Result<Cart, ApiError> {
    http::get(Request::get("/api/cart")).await
}
