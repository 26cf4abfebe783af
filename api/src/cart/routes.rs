use crate::{
    cart,
    identity::session::Visitor,
    platform::{error::ApiError, extract::{ApiJson, ShopperLang}},
    AppState,
};
use aisle_domain::{cart::{Cart, SetQuantity}, customer::parse_quantity};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{extract::State, Json};

/// `GET /api/cart`
#[utoipa::path(get, path = "/cart", tag = "cart", responses((status = 200, description = "The cart", body = Cart)))]
pub async fn cart_show(State(state): State<AppState>, v: Visitor, ShopperLang(lang): ShopperLang) -> Result<Json<Cart>, ApiError> {
    Ok(Json(cart::store::cart(&state.db, lang, &v).await?))
}

/// `PUT /api/cart/items`: sets one product's (or variant's) quantity (0 removes it);
/// returns the cart.
#[utoipa::path(put, path = "/cart/items", tag = "cart", request_body = SetQuantity, responses((status = 200, description = "The cart", body = Cart)))]
pub async fn cart_items_update(State(state): State<AppState>, v: Visitor, ShopperLang(lang): ShopperLang, ApiJson(set): ApiJson<SetQuantity>) -> Result<Json<Cart>, ApiError> {
    let quantity = if set.quantity == 0 { 0 } else { parse_quantity(set.quantity)? };
    cart::store::set_cart_quantity(&state.db, &v, set.product_id, set.variant_id, quantity).await?;
    Ok(Json(cart::store::cart(&state.db, lang, &v).await?))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cart_show))
        .routes(routes!(cart_items_update))
}
