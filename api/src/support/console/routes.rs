//! The agent's console for shop staff: the queue, the single customer view, and moving
//! call-backs, tickets and chats on. (Cancelling or refunding an order is the
//! fulfilment route, `POST /api/staff/orders/{number}/{action}`.)

use super::service;
use crate::{
    identity::session::Staff,
    platform::{error::ApiError, extract::{ApiJson, ApiPath}},
    support::{self, routes::path_id},
    AppState,
};
use aisle_domain::{
    customer::parse_text,
    support::{
        parse_schedule_time,
        Author,
        Callback,
        CallbackStatus,
        CompleteCallback,
        Conversation,
        CustomerKey,
        CustomerView,
        NewTicketMessage,
        Queue,
        ScheduleCallback,
        Ticket,
    },
};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    Json,
};

/// `GET /api/staff/support/queue`
#[utoipa::path(get, path = "/staff/support/queue", tag = "staff", responses((status = 200, description = "Open conversations, call-backs and tickets", body = Queue)))]
pub async fn staff_support_queue(State(state): State<AppState>, _staff: Staff) -> Result<Json<Queue>, ApiError> {
    Ok(Json(service::queue(&state).await?))
}

/// `GET /api/staff/support/customers/{key}`: `customer:12` or `guest:<hash>`.
#[utoipa::path(get, path = "/staff/support/customers/{key}", tag = "staff", responses((status = 200, description = "A customer's support history", body = CustomerView)))]
pub async fn staff_support_customer(State(state): State<AppState>, _staff: Staff, ApiPath(key): ApiPath<String>) -> Result<Json<CustomerView>, ApiError> {
    let key = CustomerKey::parse(&key).ok_or_else(|| ApiError::not_found("We have nothing from this customer."))?;
    Ok(Json(service::customer_view(&state, &key).await?))
}

/// `POST /api/staff/support/callbacks/{id}/schedule`
#[utoipa::path(post, path = "/staff/support/callbacks/{id}/schedule", tag = "staff", request_body = ScheduleCallback, responses((status = 200, description = "The call-back", body = Callback)))]
pub async fn staff_callbacks_schedule(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ScheduleCallback>,
) -> Result<Json<Callback>, ApiError> {
    let id = path_id(&id, "call-back request")?;
    let at = parse_schedule_time(&req.at)?;
    Ok(Json(support::service::move_callback(&state, id, CallbackStatus::Scheduled, Some(&at), None).await?))
}

/// `POST /api/staff/support/callbacks/{id}/done`
#[utoipa::path(post, path = "/staff/support/callbacks/{id}/done", tag = "staff", request_body = CompleteCallback, responses((status = 200, description = "The call-back", body = Callback)))]
pub async fn staff_callbacks_done(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<CompleteCallback>,
) -> Result<Json<Callback>, ApiError> {
    let id = path_id(&id, "call-back request")?;
    let note = if req.note.trim().is_empty() { None } else { Some(parse_text("note", "a note", &req.note, 500)?) };
    Ok(Json(support::service::move_callback(&state, id, CallbackStatus::Done, None, note.as_deref()).await?))
}

/// `POST /api/staff/support/tickets/{id}/reply`: answers the ticket and e-mails the
/// answer to the shopper.
#[utoipa::path(post, path = "/staff/support/tickets/{id}/reply", tag = "staff", request_body = NewTicketMessage, responses((status = 200, description = "The ticket", body = Ticket)))]
pub async fn staff_tickets_reply(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<NewTicketMessage>,
) -> Result<Json<Ticket>, ApiError> {
    let id = path_id(&id, "message")?;
    Ok(Json(support::service::add_ticket_message(&state, id, Author::Agent, Some(&staff.name), &req.body).await?))
}

/// `POST /api/staff/support/tickets/{id}/close`
#[utoipa::path(post, path = "/staff/support/tickets/{id}/close", tag = "staff", responses((status = 200, description = "The ticket", body = Ticket)))]
pub async fn staff_tickets_close(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>) -> Result<Json<Ticket>, ApiError> {
    let id = path_id(&id, "message")?;
    Ok(Json(support::service::close_ticket(&state, id).await?))
}

/// `POST /api/staff/support/conversations/{id}/close`
#[utoipa::path(post, path = "/staff/support/conversations/{id}/close", tag = "staff", responses((status = 200, description = "The conversation", body = Conversation)))]
pub async fn staff_conversations_close(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>) -> Result<Json<Conversation>, ApiError> {
    let id = path_id(&id, "conversation")?;
    Ok(Json(support::service::close_conversation(&state, id).await?))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(staff_support_queue))
        .routes(routes!(staff_support_customer))
        .routes(routes!(staff_callbacks_schedule))
        .routes(routes!(staff_callbacks_done))
        .routes(routes!(staff_tickets_reply))
        .routes(routes!(staff_tickets_close))
        .routes(routes!(staff_conversations_close))
}
