//! `PUT /api/staff/products/{id}/variants`.

use super::common::{editor, first_problem, product_id, read};
use crate::{catalogue::{admin::store, writer}, identity::session::Staff, platform::{error::ApiError, extract::{ApiJson, ApiPath}}, AppState};
use aisle_domain::catalogue::{edit::StaffProduct, variant::VariantsForm};
use axum::{extract::State, Json};

/// `PUT /api/staff/products/{id}/variants`: the product's options and variants, whole.
/// Variants sent with their `id` are kept (carts naming them still find them); those
/// left out are deleted and leave the carts that held them. No options and no variants
/// sell the product as itself again.
#[utoipa::path(put, path = "/staff/products/{id}/variants", tag = "staff", params(("id" = i64, Path)), request_body = VariantsForm, responses((status = 200, description = "The product as saved", body = StaffProduct)))]
pub async fn staff_products_variants_update(State(state): State<AppState>, staff: Staff, ApiPath(id): ApiPath<String>, ApiJson(form): ApiJson<VariantsForm>) -> Result<Json<StaffProduct>, ApiError> {
    let id = product_id(&id)?;
    let currency = store::shop_currency(&state.db).await?;
    let edit = form.parse(currency).map_err(first_problem)?;
    if let Some(stray) = edit.variants.iter().flat_map(|v| v.market_prices.iter().flatten()).find(|m| state.rules.markets.for_currency(m.currency).is_none()) {
        return Err(aisle_domain::customer::FieldError::new("variants", format!("The shop has no market in {}.", stray.currency.code())).into());
    }
    writer::set_variants(&state, &editor(&staff), id, &edit).await?;
    Ok(Json(read(&state, id).await?))
}
