//! Discount codes as staff manage them.

use crate::platform::http::{self, ApiError};
use aisle_domain::{
    change::Method,
    offers::{NewCode, StaffCode},
};
use gloo_net::http::Request;

pub async fn codes() -> Result<Vec<StaffCode>, ApiError> {
    http::get(Request::get("/api/staff/codes")).await
}

pub async fn create(code: &NewCode) -> Result<StaffCode, ApiError> {
    http::change(Method::Post, "/api/staff/codes", code, &[]).await
}
