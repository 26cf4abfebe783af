//! Legal pages as staff edit them.

use crate::platform::http::{self, ApiError};
use aisle_domain::{
    change::Method,
    legal::{LegalInput, LegalKind, LegalPage},
};
use gloo_net::http::Request;

pub async fn pages() -> Result<Vec<LegalPage>, ApiError> {
    http::get(Request::get("/api/staff/legal")).await
}

pub async fn publish(kind: LegalKind, input: &LegalInput) -> Result<LegalPage, ApiError> {
    http::change(Method::Put, &format!("/api/staff/legal/{}", kind.as_str()), input, &[]).await
}
