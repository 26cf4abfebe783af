//! Orders: placing them, the shopper's history and self-service changes.

pub mod charges;
pub mod emails;
pub mod routes;
pub mod service;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
