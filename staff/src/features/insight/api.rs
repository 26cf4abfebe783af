//! The insight figures, for staff.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::personal::Insight;

pub async fn staff_insight(days: u32) -> Result<Insight, ApiError> {
    http::get(Request::get("/api/staff/insight").query([("days", days.to_string().as_str())])).await
}
