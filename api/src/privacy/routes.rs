//! The shopper's privacy settings, a copy of their data, and erasing their account.

use super::store;
use crate::{
    identity::session::{self, Visitor},
    platform::{error::ApiError, extract::ApiJson},
    AppState,
};
use aisle_domain::personal::{DeleteAccount, PrivacySettings};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

/// `GET /api/account/privacy`
#[utoipa::path(get, path = "/account/privacy", tag = "account", responses((status = 200, description = "The privacy settings", body = PrivacySettings)))]
pub async fn privacy_show(State(state): State<AppState>, v: Visitor) -> Result<Json<PrivacySettings>, ApiError> {
    Ok(Json(store::privacy(&state.db, v.signed_in()?.id).await?))
}

/// `PUT /api/account/privacy`: switching the clickstream off deletes what it recorded.
#[utoipa::path(put, path = "/account/privacy", tag = "account", request_body = PrivacySettings, responses((status = 200, description = "The new settings", body = PrivacySettings)))]
pub async fn privacy_update(State(state): State<AppState>, v: Visitor, ApiJson(req): ApiJson<PrivacySettings>) -> Result<Json<PrivacySettings>, ApiError> {
    Ok(Json(store::set_privacy(&state.db, v.signed_in()?.id, req).await?))
}

/// `GET /api/account/export`: everything held about the account, as a download.
#[utoipa::path(get, path = "/account/export", tag = "account", responses((status = 200, description = "Everything we hold about the account, as a download", body = serde_json::Value)))]
pub async fn account_export(State(state): State<AppState>, v: Visitor) -> Result<Response, ApiError> {
    let doc = store::export(&state.db, &v).await?;
    let mut res = Json(doc).into_response();
    res.headers_mut().insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"aisle-my-data.json\""));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `DELETE /api/account`: erases the account (needs its password) and signs out: 204.
#[utoipa::path(delete, path = "/account", tag = "account", request_body = DeleteAccount, responses((status = 204, description = "The account is erased")))]
pub async fn account_delete(State(state): State<AppState>, v: Visitor, headers: HeaderMap, ApiJson(req): ApiJson<DeleteAccount>) -> Result<Response, ApiError> {
    let me = v.signed_in()?;
    store::delete_account(&state.db, me, &req.password).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(header::SET_COOKIE, session::session_cookie(None, session::is_https(&headers)));
    Ok(res)
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(privacy_show, privacy_update))
        .routes(routes!(account_export))
        .routes(routes!(account_delete))
}
