//! Offers. Discount codes: staff make them and watch their uses; shoppers enter one in
//! the cart or at checkout, and the order redeems it once, within its limits. Sales:
//! automatic offers that price a category lower for some days (see [`sales`]).

pub mod routes;
pub mod sales;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
