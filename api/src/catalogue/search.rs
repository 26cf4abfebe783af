use super::store;
use crate::{platform::{error::ApiError, extract::{QueryParams, ShopperLang}}, AppState};
use aisle_domain::{catalogue::listing::Choice, SearchResults};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{extract::State, Json};

pub const DEFAULT_LIMIT: usize = 24;
pub const MAX_LIMIT: usize = 100;

/// `GET /api/search?q=&limit=&sort=&min=…`: products matching `q`, best first unless
/// another order is asked for, filtered as a category page is; `total` counts every
/// match the filters leave, `items` holds at most `limit` of them, and `facets` the
/// count beside each filter choice.
#[utoipa::path(get, path = "/search", tag = "catalogue", params(
    ("q" = String, Query, description = "What to look for"),
    ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "1 to 100; default 24"),
    ("sort" = Option<String>, Query, description = "price, -price, newest, best-selling or best-rated; default: best match first"),
    ("min" = Option<String>, Query, description = "The lowest price, as the shop writes it (12.50)"),
    ("max" = Option<String>, Query, description = "The highest price, as the shop writes it"),
    ("stock" = Option<String>, Query, description = "in: only what is in stock"),
    ("brand" = Option<Vec<String>>, Query, description = "Any of these brands; repeat for more than one"),
    ("stars" = Option<u8>, Query, minimum = 1, maximum = 5, description = "Rated at least this many stars"),
    ("option" = Option<Vec<String>>, Query, description = "Option:Value (Size:M); repeat for more"),
), responses((status = 200, description = "The products that match, in the order and with the filters asked for", body = SearchResults)))]
pub async fn search_index(State(state): State<AppState>, ShopperLang(lang): ShopperLang, query: QueryParams) -> Result<Json<SearchResults>, ApiError> {
    let q = query
        .get("q")
        .ok_or_else(|| ApiError::bad_request("Add what you are looking for as ?q=…"))?
        .to_string();
    let limit = match query.get("limit").map(str::trim) {
        None | Some("") => DEFAULT_LIMIT,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| ApiError::bad_request(format!("limit must be a whole number from 1 to {MAX_LIMIT}, not {raw:?}")))?,
    };
    let shelves = state.categories.shelves(&state.db, lang).await?;
    let choice = Choice::parse(query.0.iter().map(|(k, v)| (k.as_str(), v.as_str())), shelves.currency)?;
    // Every match, best first: the filters' counts are over all of them.
    let matches = state.search.current().search(&q);
    let (shown, facets) = shelves.list_ids(&matches, &choice, &state.categories.stock);
    let items = store::product_summaries(&state.db, lang, &shown[..shown.len().min(limit)]).await?;
    Ok(Json(SearchResults { query: q, items, total: shown.len(), facets }))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_index))
}
