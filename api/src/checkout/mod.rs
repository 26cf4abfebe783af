//! Turning a cart into an order: payment providers.

pub mod payments;
pub mod routes;
pub mod service;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
