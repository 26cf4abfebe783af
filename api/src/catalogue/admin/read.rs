//! `GET /api/staff/products/{id}` and its audit list.

use super::{common::product_id, store};
use crate::{identity::session::Staff, platform::{error::ApiError, extract::ApiPath}, AppState};
use aisle_domain::catalogue::edit::{AuditEntry, StaffProduct};
use axum::{extract::State, Json};

/// `GET /api/staff/products/{id}`: any product, whatever its status.
#[utoipa::path(get, path = "/staff/products/{id}", tag = "staff", params(("id" = i64, Path)), responses((status = 200, description = "The product", body = StaffProduct)))]
pub async fn staff_products_show(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>) -> Result<Json<StaffProduct>, ApiError> {
    let id = product_id(&id)?;
    let mut conn = state.db.acquire().await?;
    let product = store::staff_product(&mut conn, id).await?.ok_or_else(|| ApiError::not_found("There is no such product."))?;
    Ok(Json(product))
}

/// `GET /api/staff/products/{id}/audit`: who changed what and when, newest first (also
/// for a product since deleted).
#[utoipa::path(get, path = "/staff/products/{id}/audit", tag = "staff", params(("id" = i64, Path)), responses((status = 200, description = "The product's changes, newest first", body = Vec<AuditEntry>)))]
pub async fn staff_products_audit(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let id = product_id(&id)?;
    Ok(Json(store::audit(&state.db, id).await?))
}
