//! `PUT /api/staff/products/{id}`.

use super::common::{editor, parse_form, product_id, read};
use crate::{catalogue::writer, identity::session::Staff, platform::{error::ApiError, extract::{ApiJson, ApiPath}}, AppState};
use aisle_domain::catalogue::edit::{ProductForm, StaffProduct};
use axum::{extract::State, Json};

/// `PUT /api/staff/products/{id}`: the whole form. Publishing and taking off sale are
/// its `status`. A stock typed over one that changed meanwhile (an order) is refused,
/// naming the field; see `writer::update_product`.
#[utoipa::path(put, path = "/staff/products/{id}", tag = "staff", params(("id" = i64, Path)), request_body = ProductForm, responses((status = 200, description = "The product as saved", body = StaffProduct)))]
pub async fn staff_products_update(State(state): State<AppState>, staff: Staff, ApiPath(id): ApiPath<String>, ApiJson(form): ApiJson<ProductForm>) -> Result<Json<StaffProduct>, ApiError> {
    let id = product_id(&id)?;
    let edit = parse_form(&state, &form).await?;
    writer::update_product(&state, &editor(&staff), id, &edit).await?;
    Ok(Json(read(&state, id).await?))
}
