//! `GET /api/health`: the server is up and the catalogue answers, with its size.

use super::store;
use crate::{platform::error::ApiError, AppState};
use aisle_domain::Health;
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{extract::State, Json};

/// `GET /api/health`: the server is up and its database answers.
#[utoipa::path(get, path = "/health", tag = "catalogue", responses((status = 200, description = "The server and its database are up", body = Health)))]
pub async fn health_show(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let products = store::product_count(&state.db).await.map_err(ApiError::Database)?;
    Ok(Json(Health { status: "ok".into(), products }))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health_show))
}
