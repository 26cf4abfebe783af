//! Discount codes and sales as staff manage them.

use crate::platform::http::{self, ApiError};
use aisle_domain::{
    change::Method,
    offers::{sale::{NewSale, StaffSale}, NewCode, StaffCode},
};
use gloo_net::http::Request;

pub async fn codes() -> Result<Vec<StaffCode>, ApiError> {
    http::get(Request::get("/api/staff/codes")).await
}

pub async fn create(code: &NewCode) -> Result<StaffCode, ApiError> {
    http::change(Method::Post, "/api/staff/codes", code, &[]).await
}

pub async fn sales() -> Result<Vec<StaffSale>, ApiError> {
    http::get(Request::get("/api/staff/sales")).await
}

pub async fn create_sale(sale: &NewSale) -> Result<StaffSale, ApiError> {
    http::change(Method::Post, "/api/staff/sales", sale, &[]).await
}

pub async fn stop_sale(id: i64) -> Result<StaffSale, ApiError> {
    http::change(Method::Post, &format!("/api/staff/sales/{id}/stop"), &serde_json::json!({}), &[]).await
}
