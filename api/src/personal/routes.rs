//! The clickstream, the "welcome back" and recommendations.

use crate::{
    identity::session::Visitor,
    personal::service,
    platform::{error::ApiError, extract::ApiJson},
    AppState,
};
use aisle_domain::personal::{EventBatch, Recommendations, Welcome};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::DefaultBodyLimit,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

/// `POST /api/events`: 202 with `{"accepted": N}`; `N` is 0 when the browser sends
/// `Sec-GPC: 1` or the signed-in shopper switched the clickstream off.
#[utoipa::path(post, path = "/events", tag = "personal", params(("Sec-GPC" = Option<String>, Header)), request_body = EventBatch, responses((status = 202, description = "How many events were recorded", body = serde_json::Value)))]
pub async fn events_create(State(state): State<AppState>, v: Visitor, headers: HeaderMap, ApiJson(batch): ApiJson<EventBatch>) -> Result<Response, ApiError> {
    let accepted = service::record(&state, &v, service::gpc(&headers), batch).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "accepted": accepted }))).into_response())
}

/// `GET /api/welcome`
#[utoipa::path(get, path = "/welcome", tag = "personal", responses((status = 200, description = "The greeting for a returning shopper", body = Welcome)))]
pub async fn welcome_show(State(state): State<AppState>, v: Visitor) -> Result<Json<Welcome>, ApiError> {
    Ok(Json(service::welcome(&state.db, v.signed_in()?).await?))
}

/// `GET /api/recommendations`: empty rows for guests and with personalisation off.
#[utoipa::path(get, path = "/recommendations", tag = "personal", responses((status = 200, description = "Products for this shopper", body = Recommendations)))]
pub async fn recommendations_index(State(state): State<AppState>, v: Visitor, crate::platform::extract::ShopperLang(lang): crate::platform::extract::ShopperLang) -> Result<Json<Recommendations>, ApiError> {
    Ok(Json(service::recommendations(&state, lang, &v).await?))
}

/// `GET /api/products/{id}/related`: "Customers also bought" and "Similar products".
#[utoipa::path(get, path = "/products/{id}/related", tag = "catalogue", params(("id" = i64, Path)), responses((status = 200, description = "What goes with this product", body = aisle_domain::personal::related::Related), (status = 404, description = "No such product for sale")))]
pub async fn related_index(State(state): State<AppState>, crate::platform::extract::ShopperLang(lang): crate::platform::extract::ShopperLang, crate::platform::extract::ApiPath(id): crate::platform::extract::ApiPath<String>) -> Result<Json<aisle_domain::personal::related::Related>, ApiError> {
    let id = id.parse::<i64>().map_err(|_| ApiError::not_found("There is no such product."))?;
    Ok(Json(super::related::related(&state, lang, id).await?))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    // Up to 100 events with their search words: more than one form's worth.
    let events = OpenApiRouter::new().routes(routes!(events_create)).layer(DefaultBodyLimit::max(MAX_EVENTS_BODY));
    OpenApiRouter::new().merge(events).routes(routes!(welcome_show)).routes(routes!(recommendations_index)).routes(routes!(related_index))
}

/// The body limit of `POST /api/events`: 100 events of at most ~1.4 KB each (a
/// 200-character search escaped as `\uXXXX`), with room to spare.
pub const MAX_EVENTS_BODY: usize = 256 * 1024;
