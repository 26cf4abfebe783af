use super::store;
use crate::{platform::{db::Db, error::ApiError, extract::QueryParams}, AppState};
use aisle_domain::{
    catalogue::search::{SearchDoc, SearchIndex},
    SearchResults,
};
use std::sync::{Arc, RwLock};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{extract::State, Json};

pub const DEFAULT_LIMIT: usize = 24;
pub const MAX_LIMIT: usize = 100;

/// `GET /api/search?q=&limit=`: products best matching `q`, best first; `total` counts
/// every match, `items` holds at most `limit` of them.
#[utoipa::path(get, path = "/search", tag = "catalogue", params(("q" = String, Query, description = "What to look for"), ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "1 to 100; default 24")), responses((status = 200, description = "The products that match", body = SearchResults)))]
pub async fn search_index(State(state): State<AppState>, query: QueryParams) -> Result<Json<SearchResults>, ApiError> {
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
    let items = store::product_summaries(&state.db, &ids).await?;
    Ok(Json(SearchResults { query: q, items, total }))
}

/// The search index of the products on sale, rebuilt whole after each catalogue edit
/// (building it for 10,000 products takes milliseconds; edits are a person's pace). A
/// search in flight keeps the index it started with.
pub struct LiveSearch(RwLock<Arc<SearchIndex>>);

impl LiveSearch {
    pub async fn load(db: &Db) -> Result<LiveSearch, sqlx::Error> {
        Ok(LiveSearch(RwLock::new(Arc::new(build(db).await?))))
    }

    pub fn current(&self) -> Arc<SearchIndex> {
        // A poisoned lock only means a panic elsewhere mid-swap; the Arc is whole.
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub async fn rebuild(&self, db: &Db) -> Result<(), sqlx::Error> {
        let index = Arc::new(build(db).await?);
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = index;
        Ok(())
    }
}

async fn build(db: &Db) -> Result<SearchIndex, sqlx::Error> {
    let rows = store::search_rows(db).await?;
    Ok(SearchIndex::new(rows.iter().map(|r| SearchDoc { id: r.id, name: &r.name, category: &r.category, description: &r.description })))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_index))
}
