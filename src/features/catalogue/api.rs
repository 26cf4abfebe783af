//! The catalogue as the API serves it: the device copy syncs from `catalogue_changes`;
//! the pages fall back to the rest before the device has a copy.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::{
    catalogue::stock::StockAlertRequest,
    change::Method,
    BrandPage,
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
/// `params` are the listing's order and filters, as [`Choice::params`] writes them.
///
/// [`Choice::params`]: aisle_domain::catalogue::listing::Choice::params
pub async fn category_page(slug: &str, page: u32, per_page: u32, params: &[(&'static str, String)]) -> Result<CategoryPage, ApiError> {
    let (page, per_page) = (page.to_string(), per_page.to_string());
    let req = Request::get(&format!("/api/categories/{slug}/products"))
        .query([("page", page.as_str()), ("per_page", per_page.as_str())])
        .query(params.iter().map(|(k, v)| (*k, v.as_str())));
    http::get(req).await
}

/// `slug` must already be a valid slug.
pub async fn product(slug: &str) -> Result<Product, ApiError> {
    http::get(Request::get(&format!("/api/products/{slug}"))).await
}

/// The most search results the API gives in one answer.
pub const MAX_SEARCH: usize = 100;

pub async fn search(query: &str, limit: usize, params: &[(&'static str, String)]) -> Result<SearchResults, ApiError> {
    let limit = limit.to_string();
    let req = Request::get("/api/search").query([("q", query), ("limit", limit.as_str())]).query(params.iter().map(|(k, v)| (*k, v.as_str())));
    http::get(req).await
}

/// The first `per_page` of `brand`'s products.
pub async fn brand_page(brand: &str, per_page: u32, params: &[(&'static str, String)]) -> Result<BrandPage, ApiError> {
    let per_page = per_page.to_string();
    let path = format!("/api/brands/{}/products", String::from(js_sys::encode_uri_component(brand)));
    let req = Request::get(&path).query([("page", "1"), ("per_page", per_page.as_str())]).query(params.iter().map(|(k, v)| (*k, v.as_str())));
    http::get(req).await
}

pub async fn catalogue_changes(since: &str) -> Result<CatalogueChanges, ApiError> {
    http::get(Request::get("/api/catalogue/changes").query([("since", since)])).await
}

/// "E-mail me when it's back": `email` is the guest's; a signed-in shopper may leave it out.
pub async fn alert_me(product_id: i64, variant_id: Option<i64>, email: Option<String>) -> Result<(), ApiError> {
    let _: Option<serde_json::Value> = http::change(Method::Post, &format!("/api/products/{product_id}/alerts"), &StockAlertRequest { email, variant_id }, &[]).await?;
    Ok(())
}

/// Stops the alerts of the address a back-in-stock e-mail went to; how many stopped.
pub async fn unsubscribe_alerts(token: &str) -> Result<u64, ApiError> {
    #[derive(serde::Deserialize)]
    struct Stopped {
        stopped: u64,
    }
    let path = format!("/api/alerts/unsubscribe?token={}", http::encode_query(token));
    let answer: Stopped = http::change(Method::Post, &path, &(), &[]).await?;
    Ok(answer.stopped)
}
