//! Invoices and credit notes (see `aisle_domain::invoice` for when each is issued and
//! what it holds): issuing them with gap-free numbers ([`store`]), and printing them
//! as a page of their own ([`print`]), in the order's language.

pub mod print;
pub mod routes;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
