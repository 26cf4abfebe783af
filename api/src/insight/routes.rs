//! The staff's insight page.

use super::store;
use crate::{identity::session::Staff, platform::{error::ApiError, extract::QueryParams}, AppState};
use aisle_domain::personal::Insight;
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{extract::State, Json};

/// `GET /api/staff/insight?days=N` (1..=365, default 30)
#[utoipa::path(get, path = "/staff/insight", tag = "staff", params(("days" = Option<u32>, Query, minimum = 1, maximum = 365, description = "1 to 365")), responses((status = 200, description = "The shop in figures", body = Insight)))]
pub async fn staff_insight_show(State(state): State<AppState>, _staff: Staff, q: QueryParams) -> Result<Json<Insight>, ApiError> {
    let days = store::parse_days(q.get("days"))?;
    Ok(Json(store::insight(&state.db, days, &state.emails.shop.zone()).await?))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(staff_insight_show))
}
