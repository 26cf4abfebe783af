//! The one module that talks HTTP. Pages call these functions and get domain types or
//! an [`ApiError`] whose message is fit to show a shopper.

use aisle_domain::{ApiErrorBody, Category, CategoryPage, Product, ProductSummary, SearchResults};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use std::fmt;

/// Why a call failed. `status` is 0 when no HTTP answer came back at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }

    /// Builds the error from a failed response's status and body: the API's own JSON
    /// message when there is one, a plain sentence for anything else (a proxy's HTML
    /// page, an empty body).
    pub fn from_response(status: u16, body: &str) -> ApiError {
        let message = serde_json::from_str::<ApiErrorBody>(body)
            .map(|b| b.error.message)
            .unwrap_or_else(|_| match status {
                404 => "We could not find that.".to_string(),
                500..=599 => "The shop is having trouble right now. Please try again in a moment.".to_string(),
                _ => format!("The request failed (HTTP {status})."),
            });
        ApiError { status, message }
    }

    fn network() -> ApiError {
        ApiError {
            status: 0,
            message: "We could not reach the shop. Check your connection and try again.".into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

async fn read<T: DeserializeOwned>(res: Response) -> Result<T, ApiError> {
    let status = res.status();
    if !res.ok() {
        let body = res.text().await.unwrap_or_default();
        return Err(ApiError::from_response(status, &body));
    }
    res.json::<T>().await.map_err(|_| ApiError {
        status,
        message: "The shop sent an answer we could not read. Please reload the page.".into(),
    })
}

async fn get<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    let res = request.send().await.map_err(|_| ApiError::network())?;
    read(res).await
}

pub async fn categories() -> Result<Vec<Category>, ApiError> {
    get(Request::get("/api/categories")).await
}

pub async fn featured() -> Result<Vec<ProductSummary>, ApiError> {
    get(Request::get("/api/featured")).await
}

/// `slug` must already be a valid slug (see `aisle_domain::catalogue::is_valid_slug`),
/// which also makes it safe to put in the path as it is.
pub async fn category_page(slug: &str, page: u32) -> Result<CategoryPage, ApiError> {
    let page = page.to_string();
    let req = Request::get(&format!("/api/categories/{slug}/products"))
        .query([("page", page.as_str())]);
    get(req).await
}

/// `slug` must already be a valid slug.
pub async fn product(slug: &str) -> Result<Product, ApiError> {
    get(Request::get(&format!("/api/products/{slug}"))).await
}

pub async fn search(query: &str) -> Result<SearchResults, ApiError> {
    let req = Request::get("/api/search")
        .query([("q", query), ("limit", "48")]);
    get(req).await
}
