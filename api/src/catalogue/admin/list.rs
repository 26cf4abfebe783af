//! `GET /api/staff/products`: the back office's list of every product.

use super::store::{self, ListFilter};
use crate::{identity::session::Staff, platform::{error::ApiError, extract::QueryParams}, AppState};
use aisle_domain::{
    catalogue::edit::{ProductSort, ProductStatus, StaffProductList, StockFilter},
    PageRequest,
};
use axum::{extract::State, Json};

/// `GET /api/staff/products?q=&category=&status=&stock=&sort=&page=&per_page=`
#[utoipa::path(get, path = "/staff/products", tag = "staff", params(
    ("q" = Option<String>, Query, max_length = 200, description = "Part of the name, SKU or barcode"),
    ("category" = Option<i64>, Query, description = "A category id"),
    ("status" = Option<String>, Query, description = "draft, published or archived"),
    ("stock" = Option<String>, Query, description = "in, low (1 to 5) or out"),
    ("sort" = Option<String>, Query, description = "name (default), price, -price, stock or -updated"),
    ("page" = Option<u32>, Query, minimum = 1, maximum = 1000000),
    ("per_page" = Option<u32>, Query, minimum = 1, maximum = 100),
), responses((status = 200, description = "One page of products", body = StaffProductList)))]
pub async fn staff_products_index(State(state): State<AppState>, _staff: Staff, query: QueryParams) -> Result<Json<StaffProductList>, ApiError> {
    let paging = PageRequest::parse(query.get("page"), query.get("per_page")).map_err(|e| ApiError::bad_request(e.0))?;
    let filter = filter(&query)?;
    let (items, total) = store::staff_products(&state.db, &filter, paging.limit(), paging.offset()).await?;
    Ok(Json(StaffProductList { items, page: paging.page, per_page: paging.per_page, total, total_pages: paging.total_pages(total) }))
}

fn filter(query: &QueryParams) -> Result<ListFilter, ApiError> {
    let given = |name: &str| query.get(name).map(str::trim).filter(|v| !v.is_empty());
    let text = given("q").map(str::to_string);
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::bad_request("q can be at most 200 characters."));
    }
    let category_id = given("category")
        .map(|c| c.parse::<i64>().map_err(|_| ApiError::bad_request(format!("category must be a category id, not {c:?}."))))
        .transpose()?;
    let status = given("status")
        .map(|s| ProductStatus::parse(s).ok_or_else(|| ApiError::bad_request(format!("status must be draft, published or archived, not {s:?}."))))
        .transpose()?;
    let stock = given("stock")
        .map(|s| StockFilter::parse(s).ok_or_else(|| ApiError::bad_request(format!("stock must be in, low or out, not {s:?}."))))
        .transpose()?;
    let sort = given("sort")
        .map(|s| ProductSort::parse(s).ok_or_else(|| ApiError::bad_request(format!("sort must be name, price, -price, stock or -updated, not {s:?}."))))
        .transpose()?
        .unwrap_or_default();
    Ok(ListFilter { text, category_id, status, stock, sort })
}
