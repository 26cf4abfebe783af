use super::store;
use crate::{platform::{error::ApiError, extract::ApiPath}, AppState};
use aisle_domain::catalogue::stock::StockUpdate;
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    response::sse::{Event, KeepAlive, Sse},
};
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use tokio_stream::wrappers::BroadcastStream;

/// `GET /api/products/{id}/stock/events`: server-sent events with the product's stock,
/// first as it is now, then at every change, so an open product page stays true.
#[utoipa::path(get, path = "/products/{key}/stock/events", tag = "streams", params(("key" = i64, Path, description = "The product's id")), responses((status = 200, description = "Server-sent events with the stock", content_type = "text/event-stream", body = String)))]
pub async fn product_stock_events(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let id: i64 = key.parse().map_err(|_| ApiError::not_found("There is no such product."))?;
    // Subscribe before reading, so no change between the two is missed.
    let updates = BroadcastStream::new(state.stock_updates.subscribe());
    let product = store::product_by_id(&state.db, aisle_domain::catalogue::translation::BASE_LANG, id).await?.ok_or_else(|| ApiError::not_found("There is no such product."))?;
    let first = StockUpdate {
        product_id: id,
        stock: product.stock,
        variants: product.variants.iter().map(|v| aisle_domain::catalogue::stock::VariantStock { id: v.id, stock: v.stock }).collect(),
    };
    let event = |u: &StockUpdate| Event::default().event("stock").json_data(u).unwrap_or_default();
    let initial = stream::once(std::future::ready(Ok(event(&first))));
    let changes = updates.filter_map(move |u| {
        std::future::ready(match u {
            Ok(u) if u.product_id == id => Some(Ok(event(&u))),
            _ => None,
        })
    });
    Ok(Sse::new(initial.chain(changes)).keep_alive(KeepAlive::default()))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(product_stock_events))
}
