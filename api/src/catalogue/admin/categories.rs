//! `/api/staff/categories`: the shop's categories, added, renamed, reordered, and
//! deleted once empty.

use super::{common::first_problem, store};
use crate::{
    catalogue::writer,
    identity::session::Staff,
    platform::{error::ApiError, extract::{ApiJson, ApiPath}},
    AppState,
};
use aisle_domain::catalogue::edit::{CategoryEdit, CategoryForm, CategoryOrder, StaffCategory};
use axum::{extract::State, http::StatusCode, Json};

fn parse(form: &CategoryForm) -> Result<CategoryEdit, ApiError> {
    form.parse().map_err(first_problem)
}

fn category_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().ok().filter(|id| *id > 0).ok_or_else(|| ApiError::not_found("There is no such category."))
}

/// `GET /api/staff/categories`: in the shop's order, with their products of any status.
#[utoipa::path(get, path = "/staff/categories", tag = "staff", responses((status = 200, description = "Every category", body = Vec<StaffCategory>)))]
pub async fn staff_categories_index(State(state): State<AppState>, _staff: Staff) -> Result<Json<Vec<StaffCategory>>, ApiError> {
    Ok(Json(store::staff_categories(&state.db).await?))
}

/// `POST /api/staff/categories`: a new category, last in the order.
#[utoipa::path(post, path = "/staff/categories", tag = "staff", request_body = CategoryForm, responses((status = 201, description = "Every category, the new one last", body = Vec<StaffCategory>)))]
pub async fn staff_categories_create(State(state): State<AppState>, _staff: Staff, ApiJson(form): ApiJson<CategoryForm>) -> Result<(StatusCode, Json<Vec<StaffCategory>>), ApiError> {
    writer::create_category(&state, &parse(&form)?).await?;
    Ok((StatusCode::CREATED, Json(store::staff_categories(&state.db).await?)))
}

/// `PUT /api/staff/categories/{id}`: a new name, address or description.
#[utoipa::path(put, path = "/staff/categories/{id}", tag = "staff", params(("id" = i64, Path)), request_body = CategoryForm, responses((status = 200, description = "Every category", body = Vec<StaffCategory>)))]
pub async fn staff_categories_update(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>, ApiJson(form): ApiJson<CategoryForm>) -> Result<Json<Vec<StaffCategory>>, ApiError> {
    writer::update_category(&state, category_id(&id)?, &parse(&form)?).await?;
    Ok(Json(store::staff_categories(&state.db).await?))
}

/// `DELETE /api/staff/categories/{id}`: only an empty one (409 otherwise).
#[utoipa::path(delete, path = "/staff/categories/{id}", tag = "staff", params(("id" = i64, Path)), responses((status = 204, description = "Deleted")))]
pub async fn staff_categories_delete(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>) -> Result<StatusCode, ApiError> {
    writer::delete_category(&state, category_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/staff/categories/order`: the order shoppers see them in (the header, home).
#[utoipa::path(put, path = "/staff/categories/order", tag = "staff", request_body = CategoryOrder, responses((status = 200, description = "Every category, in the new order", body = Vec<StaffCategory>)))]
pub async fn staff_categories_order(State(state): State<AppState>, _staff: Staff, ApiJson(order): ApiJson<CategoryOrder>) -> Result<Json<Vec<StaffCategory>>, ApiError> {
    writer::reorder_categories(&state, &order.ids).await?;
    Ok(Json(store::staff_categories(&state.db).await?))
}
