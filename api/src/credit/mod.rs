//! Store credit: the ledger ([`store`]), price-drop protection and spending credit at
//! checkout ([`service`]), and the shopper's view of it ([`routes`]). The rules are in
//! `aisle_domain::credit`.

pub mod routes;
pub mod service;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
