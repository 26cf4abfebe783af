//! Fulfilment for shop staff: the order list, moving orders on, and stock.

use crate::{
    catalogue,
    fulfilment,
    identity::session::Staff,
    orders,
    platform::{error::ApiError, extract::{ApiBytes, ApiJson, ApiPath, QueryParams}},
    AppState,
};
use aisle_domain::{
    catalogue::stock::SetStock,
    customer::FieldError,
    order::{parse_tracking_number, Order, OrderAction, OrderStatus, PackingOrder, ShipOrder},
    payment::statement::{StatementReport, StatementUpload},
};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    http::StatusCode,
    Json,
};

/// `GET /api/staff/orders?status=&q=`: the packer's list, newest first, with each
/// order's lines and delivery address. `q` finds an order number, or part of an
/// e-mail address or of the name on the parcel.
#[utoipa::path(get, path = "/staff/orders", tag = "staff", params(("status" = Option<OrderStatus>, Query), ("q" = Option<String>, Query, max_length = 200, description = "An order number, or part of an e-mail address or name")), responses((status = 200, description = "Orders, newest first (at most 500)", body = Vec<PackingOrder>)))]
pub async fn staff_orders_index(State(state): State<AppState>, _staff: Staff, q: QueryParams) -> Result<Json<Vec<PackingOrder>>, ApiError> {
    let status = match q.get("status").filter(|s| !s.is_empty()) {
        Some(s) => Some(OrderStatus::parse(s).ok_or_else(|| ApiError::bad_request(format!("Unknown order status {s:?}.")))?),
        None => None,
    };
    let text = q.get("q").unwrap_or_default().to_string();
    if text.chars().count() > 200 {
        return Err(ApiError::bad_request("A search is at most 200 characters."));
    }
    Ok(Json(fulfilment::store::packing_list(&state.db, status, &text).await?))
}

/// `GET /api/staff/orders/{number}`
#[utoipa::path(get, path = "/staff/orders/{number}", tag = "staff", responses((status = 200, description = "The order", body = Order)))]
pub async fn staff_orders_show(State(state): State<AppState>, Staff(staff): Staff, ApiPath(number): ApiPath<String>) -> Result<Json<Order>, ApiError> {
    let v = crate::identity::session::Visitor { session_hash: String::new(), csrf_token: String::new(), customer: Some(staff) };
    Ok(Json(orders::store::find_for(&state, &number, Some(&v), None).await?))
}

/// `POST /api/staff/orders/{number}/{action}`: pack, ship (with carrier and tracking
/// number), mark_out_for_delivery, mark_delivered, complete_return, or cancel.
#[utoipa::path(post, path = "/staff/orders/{number}/{action}", tag = "staff", params(("action" = OrderAction, Path, description = "The step to take")), request_body(content = Option<ShipOrder>, description = "Shipping needs the carrier and tracking number; other steps take no body"), responses((status = 200, description = "The order after the step", body = Order)))]
pub async fn staff_orders_action(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ApiPath((number, action)): ApiPath<(String, String)>,
    ApiBytes(body): ApiBytes,
) -> Result<Json<Order>, ApiError> {
    let action = OrderAction::parse(&action).ok_or_else(|| ApiError::not_found(format!("There is no order step called {action:?}.")))?;
    let v = crate::identity::session::Visitor { session_hash: String::new(), csrf_token: String::new(), customer: Some(staff.clone()) };
    let order = orders::store::find_for(&state, &number, Some(&v), None).await?;
    if action == OrderAction::Cancel {
        return Ok(Json(orders::service::cancel(&state, order.id, &format!("Cancelled by {}", staff.name)).await?));
    }
    let ship = if action == OrderAction::Ship {
        let s: ShipOrder = serde_json::from_slice(&body)
            .map_err(|_| FieldError::new("carrier", "Please choose the carrier from the list."))?;
        let tracking_number = parse_tracking_number(&s.tracking_number).map_err(|m| FieldError::new("tracking_number", m))?;
        Some(ShipOrder { carrier: s.carrier, tracking_number })
    } else {
        None
    };
    Ok(Json(fulfilment::service::fulfil(&state, order.id, action, ship.as_ref()).await?))
}

/// `POST /api/staff/orders/{number}/paid`: the bank transfer for this order arrived.
#[utoipa::path(post, path = "/staff/orders/{number}/paid", tag = "staff", responses((status = 200, description = "The order, paid", body = Order), (status = 409, description = "Not awaiting a transfer: paid on delivery, cancelled, or already marked paid")))]
pub async fn staff_orders_paid(State(state): State<AppState>, Staff(staff): Staff, ApiPath(number): ApiPath<String>) -> Result<Json<Order>, ApiError> {
    let v = crate::identity::session::Visitor { session_hash: String::new(), csrf_token: String::new(), customer: Some(staff) };
    let order = orders::store::find_for(&state, &number, Some(&v), None).await?;
    Ok(Json(fulfilment::service::mark_paid(&state, order.id).await?))
}

/// `POST /api/staff/payments/statement`: a bank statement (CSV, as the bank exports
/// it); each incoming payment naming an order or invoice that awaits exactly that
/// amount marks it paid. The answer says what each line did.
#[utoipa::path(post, path = "/staff/payments/statement", tag = "staff", request_body = StatementUpload, responses((status = 200, description = "What each incoming payment did", body = StatementReport), (status = 400, description = "Not a statement: no date, amount and purpose columns")))]
pub async fn staff_statement_create(State(state): State<AppState>, _staff: Staff, ApiJson(req): ApiJson<StatementUpload>) -> Result<Json<StatementReport>, ApiError> {
    Ok(Json(fulfilment::statement::import(&state, &req.csv).await?))
}

/// `DELETE /api/staff/orders/{number}/links`: ends every link to the order (one sent
/// to a wrong address, say). The shopper can ask for a fresh one with "find my order".
#[utoipa::path(delete, path = "/staff/orders/{number}/links", tag = "staff", responses((status = 204, description = "Every link to the order ends")))]
pub async fn staff_order_links_delete(State(state): State<AppState>, Staff(staff): Staff, ApiPath(number): ApiPath<String>) -> Result<StatusCode, ApiError> {
    let v = crate::identity::session::Visitor { session_hash: String::new(), csrf_token: String::new(), customer: Some(staff) };
    let order = orders::store::find_for(&state, &number, Some(&v), None).await?;
    orders::service::revoke_links(&state, order.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/staff/products/{id}/stock`
#[utoipa::path(put, path = "/staff/products/{id}/stock", tag = "staff", request_body = SetStock, params(("id" = i64, Path)), responses((status = 204, description = "Stock set")))]
pub async fn staff_stock_update(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>, ApiJson(req): ApiJson<SetStock>) -> Result<StatusCode, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("There is no such product."))?;
    catalogue::writer::set_stock(&state, id, req.stock).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(staff_orders_index))
        .routes(routes!(staff_orders_show))
        .routes(routes!(staff_order_links_delete))
        .routes(routes!(staff_orders_paid))
        .routes(routes!(staff_statement_create))
        .routes(routes!(staff_orders_action))
        .routes(routes!(staff_stock_update))
}
