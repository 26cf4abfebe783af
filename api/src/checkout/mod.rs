//! Turning a cart into an order: payment providers, the delivery promise's cut-offs, and
//! unpaid bank transfers reminded, then cancelled.

pub mod payments;
pub mod promise;
pub mod routes;
pub mod service;
pub mod unpaid;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
