//! What the shop learns from how a shopper uses it, and what it gives back.

pub mod model;
pub mod related;
pub mod routes;
pub mod service;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
