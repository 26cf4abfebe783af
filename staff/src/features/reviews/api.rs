//! Reviews as staff moderate them.

use crate::platform::http::{self, ApiError};
use aisle_domain::{
    change::Method,
    review::{Moderation, ReviewStatus, StaffReview},
};
use gloo_net::http::Request;

pub async fn reviews(status: ReviewStatus) -> Result<Vec<StaffReview>, ApiError> {
    http::get(Request::get("/api/staff/reviews").query([("status", status.as_str())])).await
}

pub async fn moderate(id: i64, action: &Moderation) -> Result<StaffReview, ApiError> {
    http::change(Method::Post, &format!("/api/staff/reviews/{id}"), action, &[]).await
}
