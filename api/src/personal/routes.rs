//! The clickstream, privacy settings, the "welcome back", recommendations, a copy of
//! the shopper's data, erasing the account, and the staff's insight page.

use crate::{
    identity::auth::{self, Staff, Visitor},
    platform::error::ApiError,
    platform::extract::{ApiJson, QueryParams},
    personal::service,
    AppState,
};
use aisle_domain::personal::{DeleteAccount, EventBatch, Insight, PrivacySettings, Recommendations, Welcome};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

/// `POST /api/events`: 202 with `{"accepted": N}`; `N` is 0 when the browser sends
/// `Sec-GPC: 1` or the signed-in shopper switched the clickstream off.
#[utoipa::path(post, path = "/api/events", tag = "personal", params(("Sec-GPC" = Option<String>, Header)), request_body = EventBatch, responses((status = 202, description = "How many events were recorded", body = serde_json::Value)))]
pub async fn events_create(State(state): State<AppState>, v: Visitor, headers: HeaderMap, ApiJson(batch): ApiJson<EventBatch>) -> Result<Response, ApiError> {
    let accepted = service::record(&state, &v, service::gpc(&headers), batch).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "accepted": accepted }))).into_response())
}

/// `GET /api/account/privacy`
#[utoipa::path(get, path = "/api/account/privacy", tag = "account", responses((status = 200, description = "The privacy settings", body = PrivacySettings)))]
pub async fn privacy_show(State(state): State<AppState>, v: Visitor) -> Result<Json<PrivacySettings>, ApiError> {
    Ok(Json(service::privacy(&state.db, v.signed_in()?.id).await?))
}

/// `PUT /api/account/privacy`: switching the clickstream off deletes what it recorded.
#[utoipa::path(put, path = "/api/account/privacy", tag = "account", request_body = PrivacySettings, responses((status = 200, description = "The new settings", body = PrivacySettings)))]
pub async fn privacy_update(State(state): State<AppState>, v: Visitor, ApiJson(req): ApiJson<PrivacySettings>) -> Result<Json<PrivacySettings>, ApiError> {
    Ok(Json(service::set_privacy(&state.db, v.signed_in()?.id, req).await?))
}

/// `GET /api/welcome`
#[utoipa::path(get, path = "/api/welcome", tag = "personal", responses((status = 200, description = "The greeting for a returning shopper", body = Welcome)))]
pub async fn welcome_show(State(state): State<AppState>, v: Visitor) -> Result<Json<Welcome>, ApiError> {
    Ok(Json(service::welcome(&state.db, v.signed_in()?).await?))
}

/// `GET /api/recommendations`: empty rows for guests and with personalisation off.
#[utoipa::path(get, path = "/api/recommendations", tag = "personal", responses((status = 200, description = "Products for this shopper", body = Recommendations)))]
pub async fn recommendations_index(State(state): State<AppState>, v: Visitor) -> Result<Json<Recommendations>, ApiError> {
    Ok(Json(service::recommendations(&state, &v).await?))
}

/// `GET /api/account/export`: everything held about the account, as a download.
#[utoipa::path(get, path = "/api/account/export", tag = "account", responses((status = 200, description = "Everything we hold about the account, as a download", body = serde_json::Value)))]
pub async fn account_export(State(state): State<AppState>, v: Visitor) -> Result<Response, ApiError> {
    let doc = service::export(&state.db, &v).await?;
    let mut res = Json(doc).into_response();
    res.headers_mut().insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"aisle-my-data.json\""));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `DELETE /api/account`: erases the account (needs its password) and signs out: 204.
#[utoipa::path(delete, path = "/api/account", tag = "account", request_body = DeleteAccount, responses((status = 204, description = "The account is erased")))]
pub async fn account_delete(State(state): State<AppState>, v: Visitor, headers: HeaderMap, ApiJson(req): ApiJson<DeleteAccount>) -> Result<Response, ApiError> {
    let me = v.signed_in()?;
    service::delete_account(&state.db, me, &req.password).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(header::SET_COOKIE, auth::session_cookie(None, auth::is_https(&headers)));
    Ok(res)
}

/// `GET /api/staff/insight?days=N` (1..=365, default 30)
#[utoipa::path(get, path = "/api/staff/insight", tag = "staff", params(("days" = Option<u32>, Query, minimum = 1, maximum = 365, description = "1 to 365")), responses((status = 200, description = "The shop in figures", body = Insight)))]
pub async fn staff_insight_show(State(state): State<AppState>, _staff: Staff, q: QueryParams) -> Result<Json<Insight>, ApiError> {
    let days = service::parse_days(q.get("days"))?;
    Ok(Json(service::insight(&state.db, days).await?))
}
