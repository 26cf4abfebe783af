//! `/api/staff/categories`: the shop's categories, added, renamed, reordered, and
//! deleted once empty.

use super::{common::first_problem, photos, store};
use crate::{
    catalogue::writer,
    identity::session::Staff,
    platform::{error::ApiError, extract::{ApiBytes, ApiJson, ApiPath}},
    AppState,
};
use aisle_domain::catalogue::{
    edit::{CategoryEdit, CategoryForm, CategoryOrder, StaffCategory},
    photo::Photo,
};
use axum::{
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode},
    Json,
};

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

/// `POST /api/staff/categories/{id}/photo?alt=…`: the category's photo, its bytes as the
/// body (as a product's photo); it replaces the one before.
#[utoipa::path(
    post, path = "/staff/categories/{id}/photo", tag = "staff",
    params(("id" = i64, Path), ("alt" = String, Query, description = "What the photo shows, for those who cannot see it")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 201, description = "Every category, this one with its photo", body = Vec<StaffCategory>))
)]
pub async fn staff_categories_photo_set(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<ApiBytes, ApiError>,
) -> Result<(StatusCode, Json<Vec<StaffCategory>>), ApiError> {
    let id = category_id(&id)?;
    let alt = photos::alt_of(query)?;
    // Before the slow part: a category that is gone takes no encoding.
    if !store::staff_categories(&state.db).await?.iter().any(|c| c.id == id) {
        return Err(ApiError::not_found("There is no such category."));
    }
    let photo = photos::receive(&state, &headers, body, alt).await?;
    writer::set_category_photo(&state, id, Some(&Photo { id: 1, ..photo })).await?;
    Ok((StatusCode::CREATED, Json(store::staff_categories(&state.db).await?)))
}

/// `DELETE /api/staff/categories/{id}/photo`: back to the drawn tile.
#[utoipa::path(delete, path = "/staff/categories/{id}/photo", tag = "staff", params(("id" = i64, Path)), responses((status = 200, description = "Every category", body = Vec<StaffCategory>)))]
pub async fn staff_categories_photo_remove(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>) -> Result<Json<Vec<StaffCategory>>, ApiError> {
    writer::set_category_photo(&state, category_id(&id)?, None).await?;
    Ok(Json(store::staff_categories(&state.db).await?))
}
