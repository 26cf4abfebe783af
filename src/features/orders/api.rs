//! The shopper's orders, and the ratings of a delivered one.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::{
    change::{order_path, Method, OrderRef},
    order::{FindOrder, Order, OrderSummary},
    support::Rating,
};

pub async fn recent_orders() -> Result<Vec<Order>, ApiError> {
    http::get(Request::get("/api/orders/recent")).await
}

pub async fn orders() -> Result<Vec<OrderSummary>, ApiError> {
    http::get(Request::get("/api/orders")).await
}

pub async fn order(number: &str, token: &str) -> Result<Order, ApiError> {
    http::get(Request::get(&order_path(&OrderRef { number: number.to_string(), token: token.to_string() }, ""))).await
}

pub async fn order_ratings(number: &str, token: &str) -> Result<Vec<Rating>, ApiError> {
    http::get(Request::get(&order_path(&OrderRef { number: number.to_string(), token: token.to_string() }, "/ratings"))).await
}

/// "Find my order": the API answers the same whether or not anything was sent.
pub async fn find_order(email: &str, order_number: &str) -> Result<(), ApiError> {
    let _: Option<serde_json::Value> = http::change(Method::Post, "/api/orders/find", &FindOrder { email: email.to_string(), order_number: order_number.to_string() }, &[]).await?;
    Ok(())
}
