//! Fulfilment, for staff: orders by status, moving one on, stock.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::{
    catalogue::stock::SetStock,
    change::Method,
    order::{Order, OrderAction, OrderSummary, ShipOrder},
};

pub async fn staff_orders(status: &str) -> Result<Vec<OrderSummary>, ApiError> {
    http::get(Request::get("/api/staff/orders").query([("status", status)])).await
}

pub async fn staff_order(number: &str) -> Result<Order, ApiError> {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    http::get(Request::get(&format!("/api/staff/orders/{number}"))).await
}

pub async fn staff_step(number: &str, action: OrderAction, ship: Option<&ShipOrder>) -> Result<Order, ApiError> {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    let path = format!("/api/staff/orders/{number}/{}", action.as_str());
    match ship {
        Some(s) => http::change(Method::Post, &path, s, &[]).await,
        None => http::change(Method::Post, &path, &serde_json::json!({}), &[]).await,
    }
}

pub async fn staff_set_stock(product_id: i64, stock: i64) -> Result<(), ApiError> {
    http::change(Method::Put, &format!("/api/staff/products/{product_id}/stock"), &SetStock { stock }, &[]).await
}
