//! The welcome back, recommendations and the signed-in shopper's privacy settings.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::personal::{PrivacySettings, Recommendations, Welcome};

pub async fn welcome() -> Result<Welcome, ApiError> {
    http::get(Request::get("/api/welcome")).await
}

pub async fn recommendations() -> Result<Recommendations, ApiError> {
    http::get(Request::get("/api/recommendations")).await
}

pub async fn privacy() -> Result<PrivacySettings, ApiError> {
    http::get(Request::get("/api/account/privacy")).await
}

/// A product page's "Customers also bought" and "Similar products".
pub async fn related(product_id: i64) -> Result<aisle_domain::personal::related::Related, ApiError> {
    http::get(Request::get(&format!("/api/products/{product_id}/related"))).await
}
