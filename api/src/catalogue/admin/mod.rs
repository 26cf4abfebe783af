//! The back office's catalogue: staff list, read, create, duplicate, edit and delete
//! products, and read each one's audit list. Every route takes [`Staff`]: a shopper
//! gets 403 and a guest 401 before anything is read. Writes go through
//! [`super::writer`], which keeps versions, caches, search and the audit in step.

pub mod create;
pub mod delete;
pub mod list;
pub mod read;
pub mod store;
pub mod update;

use crate::{catalogue::writer::Editor, identity::session::Staff, platform::error::ApiError, AppState};
use aisle_domain::{catalogue::edit::{ProductEdit, ProductForm}, customer::FieldError};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::staff_products_index, create::staff_products_create))
        .routes(routes!(read::staff_products_show, update::staff_products_update, delete::staff_products_delete))
        .routes(routes!(read::staff_products_audit))
        .routes(routes!(create::staff_products_duplicate))
}

fn editor(staff: &Staff) -> Editor<'_> {
    Editor { id: staff.0.id, name: &staff.0.name }
}

/// A product id from the path; anything else names no product.
fn product_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().ok().filter(|id| *id > 0).ok_or_else(|| ApiError::not_found("There is no such product."))
}

/// The form checked in the shop's currency; the first problem is the answer (the back
/// office shows them all before sending, with the same parser).
async fn parse_form(state: &AppState, form: &ProductForm) -> Result<ProductEdit, ApiError> {
    let currency = store::shop_currency(&state.db).await?;
    form.parse(currency).map_err(|mut errors| {
        let first = errors.swap_remove(0);
        ApiError::from(FieldError::new(first.field, first.message))
    })
}
