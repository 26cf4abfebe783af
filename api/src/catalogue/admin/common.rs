//! What the product routes share: who is editing, the product a path names, the form
//! checked, a product read back.

use super::store;
use crate::{catalogue::writer::Editor, identity::session::Staff, platform::error::ApiError, AppState};
use aisle_domain::{
    catalogue::edit::{ProductEdit, ProductForm, StaffProduct},
    customer::FieldError,
};

pub fn editor(staff: &Staff) -> Editor<'_> {
    Editor { id: staff.0.id, name: &staff.0.name }
}

/// A product id from the path; anything else names no product.
pub fn product_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().ok().filter(|id| *id > 0).ok_or_else(|| ApiError::not_found("There is no such product."))
}

/// The form checked in the shop's currency (see [`first_problem`]).
pub async fn parse_form(state: &AppState, form: &ProductForm) -> Result<ProductEdit, ApiError> {
    let currency = store::shop_currency(&state.db).await?;
    let edit = form.parse(currency).map_err(first_problem)?;
    // A price for a currency the shop does not sell in would never be shown.
    if let Some(stray) = edit.market_prices.iter().flatten().find(|m| state.rules.markets.for_currency(m.currency).is_none()) {
        return Err(FieldError::new("market_prices", format!("The shop has no market in {}.", stray.currency.code())).into());
    }
    Ok(edit)
}

/// A form's problems as the API's answer: the first, naming its field (the back office
/// shows them all before sending, with the same parser).
pub fn first_problem(problems: Vec<FieldError>) -> ApiError {
    problems.into_iter().next().map_or_else(|| ApiError::bad_request("The form could not be read."), ApiError::from)
}

pub async fn read(state: &AppState, id: i64) -> Result<StaffProduct, ApiError> {
    let mut conn = state.db.acquire().await?;
    store::staff_product(&mut conn, id).await?.ok_or_else(|| ApiError::not_found("There is no such product."))
}
