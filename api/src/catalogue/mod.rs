//! The catalogue: categories and products as shoppers read them, search, the live
//! stock stream, the product cache and the demo catalogue.

pub mod cache;
pub mod routes;
pub mod search;
pub mod writer;
pub mod seed;
pub mod stock_events;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router().merge(search::router()).merge(stock_events::router())
}
