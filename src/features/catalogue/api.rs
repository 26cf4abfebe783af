//! The catalogue as the API serves it: the device copy syncs from `catalogue_changes`;
//! the pages fall back to the rest before the device has a copy.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::{
    CatalogueChanges,
    Category,
    CategoryPage,
    Product,
    ProductSummary,
    SearchResults,
};

pub async fn categories() -> Result<Vec<Category>, ApiError> {
    http::get(Request::get("/api/categories")).await
}

pub async fn featured() -> Result<Vec<ProductSummary>, ApiError> {
    http::get(Request::get("/api/featured")).await
}

/// `slug` must already be a valid slug (see `aisle_domain::catalogue::is_valid_slug`),
/// which also makes it safe to put in the path as it is.
pub async fn category_page(slug: &str, page: u32) -> Result<CategoryPage, ApiError> {
    let page = page.to_string();
    let req = Request::get(&format!("/api/categories/{slug}/products"))
        .query([("page", page.as_str())]);
    http::get(req).await
}

/// `slug` must already be a valid slug.
pub async fn product(slug: &str) -> Result<Product, ApiError> {
    http::get(Request::get(&format!("/api/products/{slug}"))).await
}

pub async fn search(query: &str, limit: usize) -> Result<SearchResults, ApiError> {
    let limit = limit.to_string();
    let req = Request::get("/api/search").query([("q", query), ("limit", limit.as_str())]);
    http::get(req).await
}

pub async fn catalogue_changes(since: &str) -> Result<CatalogueChanges, ApiError> {
    http::get(Request::get("/api/catalogue/changes").query([("since", since)])).await
}
