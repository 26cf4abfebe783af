//! A shopper's orders: checkout, history, the order page and self-service changes.

use crate::{
    identity::session::{constant_time_eq, Visitor},
    orders::{self, service},
    platform::{error::ApiError, extract::{ApiJson, ApiPath, QueryParams}},
    AppState,
};
use aisle_domain::{
    customer::{parse_text, AddressInput, Email},
    order::{parse_order_number, ChangeItems, FindOrder, Order, OrderSummary, ReturnRequest},
};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    http::StatusCode,
    Json,
};

/// The order as this request may see it: its own token (the browser that placed it
/// keeps it) only goes back to a request that sent that token. A link from an e-mail
/// opens the order but does not hand out the order's lasting token, so the link
/// still ends when it expires or is revoked.
fn as_seen(mut order: Order, token: Option<&str>) -> Order {
    let holds_it = token.is_some_and(|t| constant_time_eq(t.as_bytes(), order.access_token.as_bytes()));
    if !holds_it {
        order.access_token.clear();
    }
    order
}

/// `GET /api/orders`: the signed-in shopper's orders, newest first.
#[utoipa::path(get, path = "/orders", tag = "orders", responses((status = 200, description = "The signed-in shopper's orders", body = Vec<OrderSummary>)))]
pub async fn orders_index(State(state): State<AppState>, v: Visitor) -> Result<Json<Vec<OrderSummary>>, ApiError> {
    Ok(Json(orders::store::list(&state.db, Some(v.signed_in()?.id), None, 200).await?))
}

/// How many orders the app keeps on the device for offline reading.
pub const RECENT_ORDERS: i64 = 20;

/// `GET /api/orders/recent`: the signed-in shopper's last 20 orders in full, timelines
/// included, for the app's offline copy.
#[utoipa::path(get, path = "/orders/recent", tag = "orders", responses((status = 200, description = "This session's recent orders", body = Vec<Order>)))]
pub async fn orders_recent(State(state): State<AppState>, v: Visitor) -> Result<Json<Vec<Order>>, ApiError> {
    let summaries = orders::store::list(&state.db, Some(v.signed_in()?.id), None, RECENT_ORDERS).await?;
    let mut full = Vec::with_capacity(summaries.len());
    let mut conn = state.db.acquire().await?;
    for s in summaries {
        if let Some(o) = orders::store::load(&mut conn, s.id).await? {
            full.push(o);
        }
    }
    Ok(Json(full))
}

/// `GET /api/orders/{number}?token=`: the order page. Guests use the token from their
/// confirmation.
#[utoipa::path(get, path = "/orders/{number}", tag = "orders", params(("token" = Option<String>, Query)), responses((status = 200, description = "The order", body = Order)))]
pub async fn orders_show(State(state): State<AppState>, v: Option<Visitor>, ApiPath(number): ApiPath<String>, q: QueryParams) -> Result<Json<Order>, ApiError> {
    Ok(Json(as_seen(orders::store::find_for(&state, &number, v.as_ref(), q.get("token")).await?, q.get("token"))))
}

/// `POST /api/orders/{number}/cancel`
#[utoipa::path(post, path = "/orders/{number}/cancel", tag = "orders", params(("token" = Option<String>, Query)), responses((status = 200, description = "The cancelled order", body = Order)))]
pub async fn orders_cancel(State(state): State<AppState>, v: Visitor, ApiPath(number): ApiPath<String>, q: QueryParams) -> Result<Json<Order>, ApiError> {
    let order = orders::store::find_for(&state, &number, Some(&v), q.get("token")).await?;
    Ok(Json(as_seen(service::cancel(&state, order.id, "Cancelled by the customer").await?, q.get("token"))))
}

/// `PUT /api/orders/{number}/items`
#[utoipa::path(put, path = "/orders/{number}/items", tag = "orders", params(("token" = Option<String>, Query)), request_body = ChangeItems, responses((status = 200, description = "The changed order", body = Order)))]
pub async fn orders_items_update(
    State(state): State<AppState>,
    v: Visitor,
    ApiPath(number): ApiPath<String>,
    q: QueryParams,
    ApiJson(change): ApiJson<ChangeItems>,
) -> Result<Json<Order>, ApiError> {
    let order = orders::store::find_for(&state, &number, Some(&v), q.get("token")).await?;
    Ok(Json(as_seen(service::change_items(&state, order.id, &change).await?, q.get("token"))))
}

/// `PUT /api/orders/{number}/address`
#[utoipa::path(put, path = "/orders/{number}/address", tag = "orders", params(("token" = Option<String>, Query)), request_body = AddressInput, responses((status = 200, description = "The changed order", body = Order)))]
pub async fn orders_address_update(
    State(state): State<AppState>,
    v: Visitor,
    ApiPath(number): ApiPath<String>,
    q: QueryParams,
    ApiJson(address): ApiJson<AddressInput>,
) -> Result<Json<Order>, ApiError> {
    let order = orders::store::find_for(&state, &number, Some(&v), q.get("token")).await?;
    let address = address.validate()?;
    Ok(Json(as_seen(service::change_address(&state, order.id, &address).await?, q.get("token"))))
}

/// `POST /api/orders/{number}/return`
#[utoipa::path(post, path = "/orders/{number}/return", tag = "orders", params(("token" = Option<String>, Query)), request_body = ReturnRequest, responses((status = 200, description = "The order, with the return requested", body = Order)))]
pub async fn orders_return(
    State(state): State<AppState>,
    v: Visitor,
    ApiPath(number): ApiPath<String>,
    q: QueryParams,
    ApiJson(req): ApiJson<ReturnRequest>,
) -> Result<Json<Order>, ApiError> {
    let order = orders::store::find_for(&state, &number, Some(&v), q.get("token")).await?;
    let reason = parse_text("reason", "a reason for the return", &req.reason, 500)?;
    Ok(Json(as_seen(service::request_return(&state, order.id, &reason).await?, q.get("token"))))
}

/// `POST /api/orders/find`: "find my order". E-mails a link to the order if the
/// number and the address match one; the answer is 204 either way.
#[utoipa::path(post, path = "/orders/find", tag = "orders", request_body = FindOrder, responses((status = 204, description = "If the order exists, a link is on its way to its address")))]
pub async fn orders_find(State(state): State<AppState>, _v: Visitor, ApiJson(req): ApiJson<FindOrder>) -> Result<StatusCode, ApiError> {
    let email = Email::parse(&req.email)?;
    let number = parse_order_number(&req.order_number)?;
    service::send_link(&state, email.as_str(), &number).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(orders_index))
        .routes(routes!(orders_recent))
        .routes(routes!(orders_show))
        .routes(routes!(orders_cancel))
        .routes(routes!(orders_items_update))
        .routes(routes!(orders_address_update))
        .routes(routes!(orders_return))
        .routes(routes!(orders_find))
}
