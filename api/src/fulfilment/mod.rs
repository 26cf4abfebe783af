//! Fulfilment for shop staff: the order list, moving orders on, and stock.

pub mod routes;
pub mod service;
pub mod statement;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
