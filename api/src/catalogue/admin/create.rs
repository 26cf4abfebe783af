//! `POST /api/staff/products` and `POST /api/staff/products/{id}/duplicate`.

use super::{common::{editor, parse_form, product_id, read}, store};
use crate::{
    catalogue::writer::{self, Action},
    identity::session::Staff,
    platform::{error::ApiError, extract::{ApiJson, ApiPath}},
    AppState,
};
use aisle_domain::catalogue::{
    edit::{ProductForm, ProductStatus, StaffProduct},
    slugify,
};
use axum::{extract::State, http::StatusCode, Json};

/// `POST /api/staff/products`: a new product (a draft unless the form says otherwise).
#[utoipa::path(post, path = "/staff/products", tag = "staff", request_body = ProductForm, responses((status = 201, description = "The new product", body = StaffProduct)))]
pub async fn staff_products_create(State(state): State<AppState>, staff: Staff, ApiJson(form): ApiJson<ProductForm>) -> Result<(StatusCode, Json<StaffProduct>), ApiError> {
    let edit = parse_form(&state, &form).await?;
    let id = writer::create_product(&state, &editor(&staff), &edit, Action::Created).await?;
    Ok((StatusCode::CREATED, Json(read(&state, id).await?)))
}

/// `POST /api/staff/products/{id}/duplicate`: a draft copy to edit into a new product:
/// "Copy of …", a free web address, no SKU or barcode (those name one product), no
/// stock; the same photos.
#[utoipa::path(post, path = "/staff/products/{id}/duplicate", tag = "staff", params(("id" = i64, Path)), responses((status = 201, description = "The copy", body = StaffProduct)))]
pub async fn staff_products_duplicate(State(state): State<AppState>, staff: Staff, ApiPath(id): ApiPath<String>) -> Result<(StatusCode, Json<StaffProduct>), ApiError> {
    let original = read(&state, product_id(&id)?).await?;
    let name: String = format!("Copy of {}", original.name).chars().take(aisle_domain::catalogue::edit::MAX_NAME).collect();
    let slug = store::free_slug(&state.db, &format!("{}-copy", slugify(&original.name)).chars().take(100).collect::<String>()).await?;
    let form = ProductForm { name, slug, sku: String::new(), barcode: String::new(), stock: "0".into(), stock_was: String::new(), status: ProductStatus::Draft, ..original.form() };
    let edit = parse_form(&state, &form).await?;
    let id = writer::create_product(&state, &editor(&staff), &edit, Action::Duplicated).await?;
    if !original.photos.is_empty() {
        writer::copy_photos(&state, &editor(&staff), &original.photos, id).await?;
    }
    Ok((StatusCode::CREATED, Json(read(&state, id).await?)))
}
