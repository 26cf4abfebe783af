//! The web app's product and category pages, as the server sees them: a path that
//! names no product or category is answered with the app (which shows its friendly
//! "not found" page) and the status 404, so crawlers, link checkers and shared links
//! learn the page is gone instead of reading a 200.

use crate::{catalogue::store, AppState};
use aisle_domain::catalogue::is_valid_slug;
use axum::{
    extract::{Request, State},
    http::{Method, StatusCode},
    middleware::Next,
    response::Response,
};

pub async fn status_of_page(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let missing = match (req.method(), page_of(req.uri().path())) {
        (&Method::GET | &Method::HEAD, Some(page)) => names_nothing(&state, page).await,
        _ => false,
    };
    let mut res = next.run(req).await;
    if missing && res.status() == StatusCode::OK {
        *res.status_mut() = StatusCode::NOT_FOUND;
    }
    res
}

enum Page<'a> {
    Product(&'a str),
    Category(&'a str),
}

fn page_of(path: &str) -> Option<Page<'_>> {
    let (kind, slug) = path.strip_prefix('/')?.split_once('/')?;
    match kind {
        "p" => Some(Page::Product(slug)),
        "c" => Some(Page::Category(slug)),
        _ => None,
    }
}

/// Whether the page names nothing. A database hiccup is not a 404: the app's own
/// request will say what is wrong.
async fn names_nothing(state: &AppState, page: Page<'_>) -> bool {
    let slug = match &page {
        Page::Product(s) | Page::Category(s) => *s,
    };
    if !is_valid_slug(slug) {
        return true;
    }
    match page {
        Page::Product(s) => matches!(store::product_by_slug(&state.db, s).await, Ok(None)),
        Page::Category(s) => matches!(store::category_by_slug(&state.db, s).await, Ok(None)),
    }
}
