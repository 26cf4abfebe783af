//! `DELETE /api/staff/products/{id}`.

use super::common::{editor, product_id};
use crate::{catalogue::writer, identity::session::Staff, platform::{error::ApiError, extract::ApiPath}, AppState};
use axum::{extract::State, http::StatusCode};

/// `DELETE /api/staff/products/{id}`: only a product nobody ordered (409 otherwise:
/// archive it). Offline copies drop it at their next sync.
#[utoipa::path(delete, path = "/staff/products/{id}", tag = "staff", params(("id" = i64, Path)), responses((status = 204, description = "Deleted")))]
pub async fn staff_products_delete(State(state): State<AppState>, staff: Staff, ApiPath(id): ApiPath<String>) -> Result<StatusCode, ApiError> {
    writer::delete_product(&state, &editor(&staff), product_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
