//! Reaching a person, for shoppers: availability, the chat without a socket, call-back
//! requests, the contact form and its threads, their own support history and feedback.
//! Ratings of delivered products are reviews now (`crate::reviews`).
//!
//! Guests prove what is theirs with their support token: in the JSON body
//! (`support_token`) when they create something, in the `X-Support-Token` header when
//! they read or reply.

use crate::{
    identity::session::Visitor,
    platform::{error::ApiError, extract::{ApiJson, ApiPath, QueryParams, RequestLang}},
    support::service::{self, header_token},
    AppState,
};
use aisle_domain::{
    support::{
        Availability,
        Callback,
        ChatMessage,
        Conversation,
        Feedback,
        MySupport,
        NewCallback,
        NewChatMessage,
        NewFeedback,
        NewTicket,
        NewTicketMessage,
        Ticket,
    },
};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

/// An id in a path; anything that is not one is simply not found.
pub fn path_id(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| ApiError::not_found(format!("There is no such {what}.")))
}

/// `GET /api/support/availability`: whether an agent is online, and the opening hours.
#[utoipa::path(get, path = "/support/availability", tag = "support", responses((status = 200, description = "Whether the chat is staffed now", body = Availability)))]
pub async fn support_availability(State(state): State<AppState>) -> Json<Availability> {
    Json(state.support.availability())
}

/// `GET /api/support/chat?after=`: the caller's latest conversation, with its messages
/// after `after` (all of them without it).
#[utoipa::path(get, path = "/support/chat", tag = "support", params(("after" = Option<i64>, Query, minimum = 0, description = "Only messages after this id"), ("X-Support-Token" = Option<String>, Header)), responses((status = 200, description = "The conversation", body = Conversation)))]
pub async fn chat_show(State(state): State<AppState>, v: Visitor, headers: HeaderMap, q: QueryParams) -> Result<Json<Conversation>, ApiError> {
    let after = match q.get("after").filter(|a| !a.is_empty()) {
        Some(a) => a.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| ApiError::bad_request("after must be a message id (0 or more)."))?,
        None => 0,
    };
    let nothing = || ApiError::not_found("You have not chatted with us yet.");
    let owner = service::identify(&state, &v, header_token(&headers)).await?.ok_or_else(nothing)?;
    let row = service::latest_conversation(&state.db, &owner).await?.ok_or_else(nothing)?;
    Ok(Json(service::conversation(&state.db, row, after).await?))
}

/// `POST /api/support/chat/messages`: a chat message without a socket. 201 when stored,
/// 200 with the message stored before when this `client_id` was already sent.
#[utoipa::path(post, path = "/support/chat/messages", tag = "support", request_body = NewChatMessage, responses((status = 201, description = "The conversation with the message", body = ChatMessage), (status = 200, description = "Already sent (same client id)", body = ChatMessage)))]
pub async fn chat_messages_create(State(state): State<AppState>, v: Visitor, ApiJson(req): ApiJson<NewChatMessage>) -> Result<Response, ApiError> {
    let owner = service::identify(&state, &v, req.support_token.as_deref()).await?;
    let (message, new): (ChatMessage, bool) = service::customer_says(&state, &v, owner.as_ref(), &req.client_id, &req.body).await?;
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(message)).into_response())
}

/// `POST /api/support/callbacks`
#[utoipa::path(post, path = "/support/callbacks", tag = "support", request_body = NewCallback, responses((status = 201, description = "The call-back request", body = Callback)))]
pub async fn callbacks_create(State(state): State<AppState>, v: Visitor, RequestLang(lang): RequestLang, ApiJson(req): ApiJson<NewCallback>) -> Result<(StatusCode, Json<Callback>), ApiError> {
    Ok((StatusCode::CREATED, Json(service::create_callback(&state, &v, &req, lang).await?)))
}

/// `POST /api/support/tickets`: the contact form.
#[utoipa::path(post, path = "/support/tickets", tag = "support", request_body = NewTicket, responses((status = 201, description = "The ticket", body = Ticket)))]
pub async fn tickets_create(State(state): State<AppState>, v: Visitor, RequestLang(lang): RequestLang, ApiJson(req): ApiJson<NewTicket>) -> Result<(StatusCode, Json<Ticket>), ApiError> {
    Ok((StatusCode::CREATED, Json(service::create_ticket(&state, &v, &req, lang).await?)))
}

/// `GET /api/support/tickets/{id}`: the owner's ticket with its thread (staff: any).
/// `?token=` from a ticket e-mail opens it in any browser, with or without a session
/// (a link opened on another device may ask before its session exists).
#[utoipa::path(get, path = "/support/tickets/{id}", tag = "support", params(("X-Support-Token" = Option<String>, Header), ("token" = Option<String>, Query, description = "The token of a link from a ticket e-mail")), responses((status = 200, description = "The ticket", body = Ticket)))]
pub async fn tickets_show(State(state): State<AppState>, v: Option<Visitor>, headers: HeaderMap, q: QueryParams, ApiPath(id): ApiPath<String>) -> Result<Json<Ticket>, ApiError> {
    let id = path_id(&id, "message")?;
    let by_link = service::ticket_link_opens(&state, id, q.get("token")).await?;
    let owner = match &v {
        Some(v) => service::identify(&state, v, header_token(&headers)).await?,
        None => None,
    };
    Ok(Json(service::ticket_for(&state, v.as_ref(), owner.as_ref(), id, by_link).await?))
}

/// `POST /api/support/tickets/{id}/messages`: the shopper writes again in their thread,
/// which opens it again. A link's `?token=` lets a guest answer from the e-mail.
#[utoipa::path(post, path = "/support/tickets/{id}/messages", tag = "support", request_body = NewTicketMessage, params(("token" = Option<String>, Query, description = "The token of a link from a ticket e-mail")), responses((status = 200, description = "The ticket with the message", body = Ticket), (status = 201, description = "The ticket with the message", body = Ticket)))]
pub async fn ticket_messages_create(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    q: QueryParams,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<NewTicketMessage>,
) -> Result<Json<Ticket>, ApiError> {
    let id = path_id(&id, "message")?;
    let by_link = service::ticket_link_opens(&state, id, q.get("token")).await?;
    let owner = service::identify(&state, &v, header_token(&headers)).await?;
    // Staff read any ticket, but answer through the console: here only the owner writes.
    let reader = Visitor { customer: v.customer.clone().map(|c| aisle_domain::customer::Customer { is_staff: false, ..c }), ..v.clone() };
    service::ticket_for(&state, Some(&reader), owner.as_ref(), id, by_link).await?;
    state.support.limit(&state.support.chat_limiter, &format!("ticket-message:{}", v.session_hash), "a lot of messages").await?;
    Ok(Json(service::add_ticket_message(&state, id, aisle_domain::support::Author::Customer, None, &req.body).await?))
}

/// `GET /api/support/mine`: the caller's conversations, tickets and call-backs.
#[utoipa::path(get, path = "/support/mine", tag = "support", params(("X-Support-Token" = Option<String>, Header)), responses((status = 200, description = "The shopper's support history", body = MySupport)))]
pub async fn support_mine(State(state): State<AppState>, v: Visitor, headers: HeaderMap) -> Result<Json<MySupport>, ApiError> {
    let owner = service::identify(&state, &v, header_token(&headers)).await?;
    Ok(Json(service::mine(&state.db, owner.as_ref()).await?))
}

/// `POST /api/support/feedback`: a complaint or a compliment.
#[utoipa::path(post, path = "/support/feedback", tag = "support", request_body = NewFeedback, responses((status = 201, description = "The feedback", body = Feedback)))]
pub async fn feedback_create(State(state): State<AppState>, v: Visitor, ApiJson(req): ApiJson<NewFeedback>) -> Result<(StatusCode, Json<Feedback>), ApiError> {
    Ok((StatusCode::CREATED, Json(service::create_feedback(&state, &v, &req).await?)))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(support_availability))
        .routes(routes!(chat_show))
        .routes(routes!(chat_messages_create))
        .routes(routes!(callbacks_create))
        .routes(routes!(tickets_create))
        .routes(routes!(tickets_show))
        .routes(routes!(ticket_messages_create))
        .routes(routes!(support_mine))
        .routes(routes!(feedback_create))
}
