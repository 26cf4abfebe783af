//! `PUT /api/staff/products/{id}/translations/{lang}`: a product's name, web address
//! and description in one of the shop's other languages; all empty removes it.

use super::common::{editor, first_problem, product_id, read};
use crate::{
    catalogue::writer,
    identity::session::Staff,
    platform::{error::ApiError, extract::{ApiJson, ApiPath}},
    AppState,
};
use aisle_domain::{
    catalogue::{
        edit::StaffProduct,
        translation::{translatable, TranslationForm},
    },
    Lang,
};
use axum::{extract::State, Json};

#[utoipa::path(
    put, path = "/staff/products/{id}/translations/{lang}", tag = "staff",
    params(("id" = i64, Path), ("lang" = String, Path, description = "A language the shop speaks besides its own: `de`")),
    request_body = TranslationForm,
    responses((status = 200, description = "The product with its translations", body = StaffProduct))
)]
pub async fn staff_products_translation_update(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath((id, lang)): ApiPath<(String, String)>,
    ApiJson(form): ApiJson<TranslationForm>,
) -> Result<Json<StaffProduct>, ApiError> {
    let id = product_id(&id)?;
    let lang = Lang::from_tag(&lang)
        .filter(|l| translatable().any(|t| t == *l))
        .ok_or_else(|| ApiError::not_found(format!("The shop is not translated into {lang:?}: its languages besides its own are {}.", translatable().map(Lang::code).collect::<Vec<_>>().join(", "))))?;
    let translation = form.parse(lang).map_err(first_problem)?;
    writer::set_translation(&state, &editor(&staff), id, lang, translation.as_ref()).await?;
    Ok(Json(read(&state, id).await?))
}
