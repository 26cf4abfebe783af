//! Reviews: a buyer's stars and words for a delivered product, the product page's list
//! of them, "was this helpful?", and staff's moderation (see docs/reviews.md). What a
//! review may say and how stars add up are the domain's (`aisle_domain::review`).

pub mod routes;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
