//! Reviews as the API serves them; writing one goes through the outbox (see `write`).

use crate::platform::http::{self, ApiError};
use aisle_domain::{
    change::Method,
    review::{ReviewPage, ReviewSort},
};
use gloo_net::http::Request;

pub async fn product_reviews(product_id: i64, sort: ReviewSort, page: u32) -> Result<ReviewPage, ApiError> {
    let page = page.to_string();
    http::get(Request::get(&format!("/api/products/{product_id}/reviews")).query([("sort", sort.as_str()), ("page", page.as_str())])).await
}

#[derive(serde::Deserialize)]
struct Helpful {
    helpful: u32,
}

/// "Was this helpful? Yes": the review's count after the vote.
pub async fn helpful(review_id: i64) -> Result<u32, ApiError> {
    let h: Helpful = http::change(Method::Post, &format!("/api/reviews/{review_id}/helpful"), &serde_json::json!({}), &[]).await?;
    Ok(h.helpful)
}
