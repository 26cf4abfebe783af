//! A shopper's orders: checkout, history, the order page and self-service changes.

use crate::{
    identity,
    identity::auth::Visitor,
    platform::error::ApiError,
    platform::extract::{ApiJson, ApiPath, QueryParams},
    orders::service,
    checkout::payments,
    AppState,
};
use aisle_domain::{
    customer::{parse_text, Email},
    shop::{ChangeItems, Checkout, Order, OrderSummary, ReturnRequest},
    customer::AddressInput,
};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default().trim();
    let valid = (8..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Err(ApiError::bad_request("Placing an order needs an Idempotency-Key header of 8–100 letters, digits, '-' or '_'."));
    }
    Ok(key.to_string())
}

/// `POST /api/orders`: place an order. A retry with the same `Idempotency-Key`
/// returns the same order (200) instead of placing another (201).
#[utoipa::path(post, path = "/api/orders", tag = "orders", params(("Idempotency-Key" = String, Header, pattern = "^[A-Za-z0-9_-]{8,100}$", description = "The same key on a retry answers with the first order instead of placing another")), request_body = Checkout, responses((status = 201, description = "The order", body = aisle_domain::shop::Order), (status = 200, description = "The order, for a retry with the same Idempotency-Key", body = aisle_domain::shop::Order)))]
pub async fn orders_create(State(state): State<AppState>, v: Visitor, headers: HeaderMap, ApiJson(req): ApiJson<Checkout>) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let email = match &v.customer {
        Some(c) => c.email.clone(),
        None => Email::parse(&req.email)?.as_str().to_string(),
    };
    let address = req.address.validate()?;
    let payment = payments::provider(&req.payment_method)
        .ok_or_else(|| ApiError::bad_request("Please choose a payment method we offer: pay on delivery."))?;
    let (order, replayed) = service::place(
        &state,
        &v,
        service::NewOrder { email: &email, address: &address, payment, lines: &req.expected, idempotency_key: &key },
    )
    .await?;
    if let (Some(me), true, false) = (&v.customer, req.save_address, replayed) {
        let known = identity::store::addresses(&state.db, me.id).await?.iter().any(|a| AddressInput { is_default: false, ..a.fields.clone() } == address);
        if !known {
            identity::store::save_address(&state.db, me.id, None, &address).await?;
        }
    }
    let status = if replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(order)).into_response())
}

/// `GET /api/orders`: the signed-in shopper's orders, newest first.
#[utoipa::path(get, path = "/api/orders", tag = "orders", responses((status = 200, description = "The signed-in shopper's orders", body = Vec<OrderSummary>)))]
pub async fn orders_index(State(state): State<AppState>, v: Visitor) -> Result<Json<Vec<OrderSummary>>, ApiError> {
    Ok(Json(service::list(&state.db, Some(v.signed_in()?.id), None, 200).await?))
}

/// How many orders the app keeps on the device for offline reading.
pub const RECENT_ORDERS: i64 = 20;

/// `GET /api/orders/recent`: the signed-in shopper's last 20 orders in full, timelines
/// included, for the app's offline copy.
#[utoipa::path(get, path = "/api/orders/recent", tag = "orders", responses((status = 200, description = "This session's recent orders", body = Vec<Order>)))]
pub async fn orders_recent(State(state): State<AppState>, v: Visitor) -> Result<Json<Vec<Order>>, ApiError> {
    let summaries = service::list(&state.db, Some(v.signed_in()?.id), None, RECENT_ORDERS).await?;
    let mut full = Vec::with_capacity(summaries.len());
    for s in summaries {
        if let Some(o) = service::load(&state.db, s.id).await? {
            full.push(o);
        }
    }
    Ok(Json(full))
}

/// `GET /api/orders/{number}?token=`: the order page. Guests use the token from their
/// confirmation.
#[utoipa::path(get, path = "/api/orders/{number}", tag = "orders", params(("token" = Option<String>, Query)), responses((status = 200, description = "The order", body = Order)))]
pub async fn orders_show(State(state): State<AppState>, v: Visitor, ApiPath(number): ApiPath<String>, q: QueryParams) -> Result<Json<Order>, ApiError> {
    Ok(Json(service::find_for(&state, &number, &v, q.get("token")).await?))
}

/// `POST /api/orders/{number}/cancel`
#[utoipa::path(post, path = "/api/orders/{number}/cancel", tag = "orders", params(("token" = Option<String>, Query)), responses((status = 200, description = "The cancelled order", body = Order)))]
pub async fn orders_cancel(State(state): State<AppState>, v: Visitor, ApiPath(number): ApiPath<String>, q: QueryParams) -> Result<Json<Order>, ApiError> {
    let order = service::find_for(&state, &number, &v, q.get("token")).await?;
    Ok(Json(service::cancel(&state, order.id, "Cancelled by the customer").await?))
}

/// `PUT /api/orders/{number}/items`
#[utoipa::path(put, path = "/api/orders/{number}/items", tag = "orders", params(("token" = Option<String>, Query)), request_body = ChangeItems, responses((status = 200, description = "The changed order", body = Order)))]
pub async fn orders_items_update(
    State(state): State<AppState>,
    v: Visitor,
    ApiPath(number): ApiPath<String>,
    q: QueryParams,
    ApiJson(change): ApiJson<ChangeItems>,
) -> Result<Json<Order>, ApiError> {
    let order = service::find_for(&state, &number, &v, q.get("token")).await?;
    Ok(Json(service::change_items(&state, order.id, &change).await?))
}

/// `PUT /api/orders/{number}/address`
#[utoipa::path(put, path = "/api/orders/{number}/address", tag = "orders", params(("token" = Option<String>, Query)), request_body = AddressInput, responses((status = 200, description = "The changed order", body = Order)))]
pub async fn orders_address_update(
    State(state): State<AppState>,
    v: Visitor,
    ApiPath(number): ApiPath<String>,
    q: QueryParams,
    ApiJson(address): ApiJson<AddressInput>,
) -> Result<Json<Order>, ApiError> {
    let order = service::find_for(&state, &number, &v, q.get("token")).await?;
    let address = address.validate()?;
    Ok(Json(service::change_address(&state, order.id, &address).await?))
}

/// `POST /api/orders/{number}/return`
#[utoipa::path(post, path = "/api/orders/{number}/return", tag = "orders", params(("token" = Option<String>, Query)), request_body = ReturnRequest, responses((status = 200, description = "The order, with the return requested", body = Order)))]
pub async fn orders_return(
    State(state): State<AppState>,
    v: Visitor,
    ApiPath(number): ApiPath<String>,
    q: QueryParams,
    ApiJson(req): ApiJson<ReturnRequest>,
) -> Result<Json<Order>, ApiError> {
    let order = service::find_for(&state, &number, &v, q.get("token")).await?;
    let reason = parse_text("reason", "a reason for the return", &req.reason, 500)?;
    Ok(Json(service::request_return(&state, order.id, &reason).await?))
}
