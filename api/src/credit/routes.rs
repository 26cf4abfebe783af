//! `GET /api/account/credit`: the signed-in shopper's store credit.

use crate::{
    credit::store,
    identity::session::Visitor,
    platform::error::ApiError,
    AppState,
};
use aisle_domain::{credit::StoreCredit, Money};
use axum::{extract::State, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

/// `GET /api/account/credit`: the balance, the ledger (newest first) and the shop's
/// price-protection window.
#[utoipa::path(get, path = "/account/credit", tag = "account", responses((status = 200, description = "The shopper's store credit", body = StoreCredit)))]
pub async fn account_credit(State(state): State<AppState>, v: Visitor) -> Result<Json<StoreCredit>, ApiError> {
    let me = v.signed_in()?;
    let mut conn = state.db.acquire().await?;
    let home = crate::catalogue::admin::store::shop_currency(&state.db).await?;
    Ok(Json(StoreCredit {
        balance: Money::new(store::balance(&mut conn, me.id, home).await?, home),
        other_balances: store::other_balances(&mut conn, me.id, home).await?,
        entries: store::entries(&mut conn, me.id).await?,
        protection_days: state.rules.price_protection_days,
    }))
}

/// These routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(account_credit))
}
