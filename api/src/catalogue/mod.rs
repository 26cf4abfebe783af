//! The catalogue: categories and products as shoppers read them, search, the live
//! stock stream, back-in-stock alerts, the product cache and the demo catalogue; the
//! back office's product editing (`admin`), every write going through `writer`.

pub mod admin;
pub mod alerts;
pub mod cache;
pub mod description;
pub mod health;
pub mod market_prices;
pub mod pages;
pub mod routes;
pub mod search;
pub mod search_index;
pub mod shelves;
pub mod writer;
pub mod seed;
pub mod seed_photos;
pub mod stock_events;
pub mod store;
pub mod variants;

use crate::{
    platform::fanout::{Heard, Signal},
    AppState,
};
use futures_util::future::BoxFuture;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router().merge(admin::routes::router()).merge(alerts::router()).merge(health::router()).merge(search::router()).merge(stock_events::router())
}

/// Stock, an edit or stars changed on another instance: followed here as if it had
/// changed here.
pub fn listen(state: AppState, heard: Heard) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        match heard {
            Heard::Signal { signal: Signal::Stock { ids }, .. } => writer::follow_stock_change(&state, &ids).await,
            Heard::Signal { signal: Signal::Catalogue { ids }, .. } => writer::follow_catalogue_change(&state, &ids).await,
            Heard::Signal { signal: Signal::Stars { ids }, .. } => writer::follow_stars_change(&state, &ids),
            // An edit's signal may be among those lost: build the search again.
            Heard::Gap => writer::follow_catalogue_change(&state, &[]).await,
            _ => {}
        }
    })
}
