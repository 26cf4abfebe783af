//! The shop's legal pages: terms, withdrawal notice with its model form, privacy
//! notice, legal notice (see `aisle_domain::legal`). Shoppers read any version;
//! staff save new ones; the checkout records the terms version accepted.

pub mod routes;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
