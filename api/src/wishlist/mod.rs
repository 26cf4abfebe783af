//! The signed-in shopper's wish list (see docs/wishlist.md): keep, remove, read, and
//! the merge of a guest's device list into the account at sign-in. What a list holds
//! and how two lists merge are the domain's (`aisle_domain::wishlist`).

pub mod routes;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
