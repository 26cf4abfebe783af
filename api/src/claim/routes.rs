//! `POST /api/account/from-order`.

use crate::{
    identity::{self, password, session::Visitor},
    orders,
    platform::{error::ApiError, extract::ApiJson},
    support,
    AppState,
};
use aisle_domain::{
    customer::{AccountFromOrder, AddressInput, NewPassword},
    order::parse_order_number,
    ErrorCode,
};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use utoipa_axum::{router::OpenApiRouter, routes};

/// `POST /api/account/from-order`: a guest's order becomes an account with this
/// password, signed in at once (201). 404 when the token does not open the order, 409
/// `refused` when the order already belongs to an account, 409 `email_taken` when the
/// address has one (sign in, or reset its password).
#[utoipa::path(post, path = "/account/from-order", tag = "account", request_body = AccountFromOrder, responses((status = 201, description = "The account, signed in", body = aisle_domain::customer::SessionInfo)))]
pub async fn account_from_order(State(state): State<AppState>, v: Visitor, headers: HeaderMap, ApiJson(req): ApiJson<AccountFromOrder>) -> Result<Response, ApiError> {
    let number = parse_order_number(&req.order_number)?;
    let password = NewPassword::parse(&req.password, "password")?;
    // Not the visitor's own rights: a signed-in shopper may not take a guest's order
    // without its token either.
    let order = orders::store::find_for(&state, &number, None, Some(req.token.trim())).await?;
    let owner: Option<i64> = sqlx::query_scalar("SELECT customer_id FROM orders WHERE id = $1").bind(order.id).fetch_one(&state.db).await?;
    if owner.is_some() {
        return Err(ApiError::Conflict { code: ErrorCode::Refused, message: "This order already belongs to an account. Sign in to see it there.".into() });
    }
    let hash = password::hash_password(password.as_str())?;
    let name = if order.address.name.trim().is_empty() { order.email.clone() } else { order.address.name.clone() };
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let customer = identity::store::insert_customer(&mut tx, &order.email, &name, &hash, false).await?;
    sqlx::query("UPDATE orders SET customer_id = $1 WHERE id = $2 AND customer_id IS NULL").bind(customer.id).bind(order.id).execute(&mut *tx).await?;
    tx.commit().await?;
    identity::store::save_address(&state.db, customer.id, None, &AddressInput { is_default: true, ..order.address.clone() }).await?;
    // The guest's chats, call-backs, tickets and feedback from this browser move in too.
    let signed_in = Visitor { customer: Some(customer.clone()), ..v.clone() };
    support::service::identify(&state, &signed_in, req.support_token.as_deref()).await?;
    identity::routes::start_signed_in(&state, &v, customer, &headers, StatusCode::CREATED).await
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(account_from_order))
}
