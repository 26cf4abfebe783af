use super::store;
use crate::{platform::{error::ApiError, extract::{QueryParams, ShopperLang}}, AppState};
use aisle_domain::SearchResults;
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{extract::State, Json};

pub const DEFAULT_LIMIT: usize = 24;
pub const MAX_LIMIT: usize = 100;

/// `GET /api/search?q=&limit=`: products best matching `q`, best first; `total` counts
/// every match, `items` holds at most `limit` of them.
#[utoipa::path(get, path = "/search", tag = "catalogue", params(("q" = String, Query, description = "What to look for"), ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "1 to 100; default 24")), responses((status = 200, description = "The products that match", body = SearchResults)))]
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
    let (ids, total) = state.search.current().search_top(&q, limit);
    let items = store::product_summaries(&state.db, lang, &ids).await?;
    Ok(Json(SearchResults { query: q, items, total }))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_index))
}
