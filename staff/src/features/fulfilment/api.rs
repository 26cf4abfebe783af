//! Fulfilment's calls: the packer's list, one order, moving an order on, stock.

use crate::platform::http::{self, encode_query, ApiError};
use aisle_domain::{
    catalogue::stock::SetStock,
    change::Method,
    order::{Order, OrderAction, PackingOrder, ShipOrder},
};
use gloo_net::http::Request;
use serde::de::IgnoredAny;

pub async fn staff_orders(status: &str, query: &str) -> Result<Vec<PackingOrder>, ApiError> {
    http::get(Request::get("/api/staff/orders").query([("status", status), ("q", query)])).await
}

pub async fn staff_order(number: &str) -> Result<Order, ApiError> {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    http::get(Request::get(&format!("/api/staff/orders/{number}"))).await
}

/// One step; `key` makes a resend (after a dropped connection) act once. The answer
/// (the order) is not read: the list is loaded again after, and reading a whole order
/// would bring its every field's code into the wasm every desk downloads.
pub async fn staff_step(number: &str, action: OrderAction, ship: Option<&ShipOrder>, key: &str) -> Result<(), ApiError> {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    let path = format!("/api/staff/orders/{number}/{}", action.as_str());
    let key = [("idempotency-key", key)];
    let answer: Result<IgnoredAny, ApiError> = match ship {
        Some(s) => http::change(Method::Post, &path, s, &key).await,
        None => http::change(Method::Post, &path, &serde_json::json!({}), &key).await,
    };
    answer.map(|_| ())
}

/// The order's bank transfer (or invoice) was paid. The answer is not read (see
/// [`staff_step`]).
pub async fn staff_mark_paid(number: &str) -> Result<(), ApiError> {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    let answer: Result<IgnoredAny, ApiError> = http::change(Method::Post, &format!("/api/staff/orders/{number}/paid"), &serde_json::json!({}), &[]).await;
    answer.map(|_| ())
}

/// A bank statement's CSV: what each incoming payment did.
pub async fn import_statement(csv: &str) -> Result<aisle_domain::payment::statement::StatementReport, ApiError> {
    http::change(Method::Post, "/api/staff/payments/statement", &aisle_domain::payment::statement::StatementUpload { csv: csv.to_string() }, &[]).await
}

pub async fn staff_set_stock(product_id: i64, stock: i64) -> Result<(), ApiError> {
    http::change(Method::Put, &format!("/api/staff/products/{product_id}/stock"), &SetStock { stock }, &[]).await
}

/// A product as the stock editor shows it. Read from the shop's product and search
/// answers with their other fields skipped: reading them as `ProductSummary` brought
/// its prices' and photos' readers into the main wasm every desk downloads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Shelved {
    pub id: i64,
    pub name: String,
    pub stock: i64,
}

#[derive(serde::Deserialize)]
struct Found {
    items: Vec<Shelved>,
}

/// Products by name (the shop's search), or the one product a number names.
pub async fn find_products(text: &str) -> Result<Vec<Shelved>, ApiError> {
    let text = text.trim();
    if let Ok(id) = text.trim_start_matches('#').parse::<i64>() {
        let p: Result<Shelved, ApiError> = http::get(Request::get(&format!("/api/products/{id}"))).await;
        return match p {
            Ok(p) => Ok(vec![p]),
            Err(e) if e.is_not_found() => Ok(Vec::new()),
            Err(e) => Err(e),
        };
    }
    let found: Found = http::get(Request::get(&format!("/api/search?q={}&limit=20", encode_query(text)))).await?;
    Ok(found.items)
}
