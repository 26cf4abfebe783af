//! The wish list over HTTP: for a signed-in shopper only (a guest's list is on their
//! device, so these answer 401 without a session's customer).

use crate::{
    identity::session::Visitor,
    platform::{error::ApiError, extract::{ApiJson, ApiPath, ShopperLang}},
    wishlist::store,
    AppState,
};
use aisle_domain::wishlist::WishList;
use axum::{extract::State, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

fn product_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| ApiError::not_found("There is no such product."))
}

/// `GET /api/wishlist`: the list, newest first.
#[utoipa::path(get, path = "/wishlist", tag = "wishlist", responses((status = 200, description = "The signed-in shopper's wish list", body = WishList), (status = 401, description = "Not signed in")))]
pub async fn wishlist_show(State(state): State<AppState>, v: Visitor) -> Result<Json<WishList>, ApiError> {
    Ok(Json(store::list(&state.db, v.signed_in()?.id).await?))
}

/// `PUT /api/wishlist/{product_id}`: keeps a product with its price and stock now;
/// again is no change.
#[utoipa::path(put, path = "/wishlist/{product_id}", tag = "wishlist", params(("product_id" = i64, Path)), responses((status = 200, description = "The list with the product", body = WishList), (status = 404, description = "No such product for sale")))]
pub async fn wishlist_update(State(state): State<AppState>, v: Visitor, ApiPath(id): ApiPath<String>) -> Result<Json<WishList>, ApiError> {
    let me = v.signed_in()?;
    Ok(Json(store::add(&state.db, me.id, product_id(&id)?).await?))
}

/// `DELETE /api/wishlist/{product_id}`: takes it off; a product not on it is no error.
#[utoipa::path(delete, path = "/wishlist/{product_id}", tag = "wishlist", params(("product_id" = i64, Path)), responses((status = 200, description = "The list without the product", body = WishList)))]
pub async fn wishlist_destroy(State(state): State<AppState>, v: Visitor, ApiPath(id): ApiPath<String>) -> Result<Json<WishList>, ApiError> {
    let me = v.signed_in()?;
    Ok(Json(store::remove(&state.db, me.id, product_id(&id)?).await?))
}

/// `POST /api/wishlist/merge`: the list a guest kept on this device, added to the
/// account at sign-in; the answer is the account's whole list.
#[utoipa::path(post, path = "/wishlist/merge", tag = "wishlist", request_body = WishList, responses((status = 200, description = "The account's list with the device's", body = WishList), (status = 400, description = "Too many products, or a date or price that cannot be")))]
pub async fn wishlist_merge(State(state): State<AppState>, v: Visitor, ShopperLang(lang): ShopperLang, ApiJson(device): ApiJson<WishList>) -> Result<Json<WishList>, ApiError> {
    let me = v.signed_in()?;
    Ok(Json(store::merge_device(&state.db, lang, me.id, &device).await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(wishlist_show)).routes(routes!(wishlist_update, wishlist_destroy)).routes(routes!(wishlist_merge))
}
