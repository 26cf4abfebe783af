//! Fulfilment's calls: the packer's list, one order, moving an order on, stock.

use crate::platform::http::{self, encode_query, ApiError};
use aisle_domain::{
    catalogue::{stock::SetStock, ProductSummary, SearchResults},
    change::Method,
    order::{Order, OrderAction, PackingOrder, ShipOrder},
};
use gloo_net::http::Request;

pub async fn staff_orders(status: &str, query: &str) -> Result<Vec<PackingOrder>, ApiError> {
    http::get(Request::get("/api/staff/orders").query([("status", status), ("q", query)])).await
}

pub async fn staff_order(number: &str) -> Result<Order, ApiError> {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    http::get(Request::get(&format!("/api/staff/orders/{number}"))).await
}

/// One step; `key` makes a resend (after a dropped connection) act once.
pub async fn staff_step(number: &str, action: OrderAction, ship: Option<&ShipOrder>, key: &str) -> Result<Order, ApiError> {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    let path = format!("/api/staff/orders/{number}/{}", action.as_str());
    let key = [("idempotency-key", key)];
    match ship {
        Some(s) => http::change(Method::Post, &path, s, &key).await,
        None => http::change(Method::Post, &path, &serde_json::json!({}), &key).await,
    }
}

pub async fn staff_set_stock(product_id: i64, stock: i64) -> Result<(), ApiError> {
    http::change(Method::Put, &format!("/api/staff/products/{product_id}/stock"), &SetStock { stock }, &[]).await
}

/// Products by name (the shop's search), or the one product a number names.
pub async fn find_products(text: &str) -> Result<Vec<ProductSummary>, ApiError> {
    let text = text.trim();
    if let Ok(id) = text.trim_start_matches('#').parse::<i64>() {
        // Read as the summary it is shown as (the product's other fields are skipped),
        // so the main wasm carries no reader for the whole product.
        let p: Result<ProductSummary, ApiError> = http::get(Request::get(&format!("/api/products/{id}"))).await;
        return match p {
            Ok(p) => Ok(vec![p]),
            Err(e) if e.is_not_found() => Ok(Vec::new()),
            Err(e) => Err(e),
        };
    }
    let found: SearchResults = http::get(Request::get(&format!("/api/search?q={}&limit=20", encode_query(text)))).await?;
    Ok(found.items)
}
