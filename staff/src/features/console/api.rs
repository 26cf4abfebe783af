//! The agents' console, for staff.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::{
    change::Method,
    support::{
        Callback,
        CompleteCallback,
        Conversation,
        CustomerView,
        NewTicketMessage,
        Queue,
        ScheduleCallback,
        Ticket,
    },
};

pub async fn staff_queue() -> Result<Queue, ApiError> {
    http::get(Request::get("/api/staff/support/queue")).await
}

pub async fn staff_customer(key: &str) -> Result<CustomerView, ApiError> {
    let key: String = key.chars().filter(|c| c.is_ascii_alphanumeric() || *c == ':').collect();
    http::get(Request::get(&format!("/api/staff/support/customers/{key}"))).await
}

pub async fn staff_ticket_reply(id: i64, body: &str) -> Result<Ticket, ApiError> {
    http::change(Method::Post, &format!("/api/staff/support/tickets/{id}/reply"), &NewTicketMessage { body: body.to_string() }, &[]).await
}

pub async fn staff_ticket_close(id: i64) -> Result<Ticket, ApiError> {
    http::change(Method::Post, &format!("/api/staff/support/tickets/{id}/close"), &serde_json::json!({}), &[]).await
}

pub async fn staff_callback_schedule(id: i64, at: &str) -> Result<Callback, ApiError> {
    http::change(Method::Post, &format!("/api/staff/support/callbacks/{id}/schedule"), &ScheduleCallback { at: at.to_string() }, &[]).await
}

pub async fn staff_callback_done(id: i64, note: &str) -> Result<Callback, ApiError> {
    http::change(Method::Post, &format!("/api/staff/support/callbacks/{id}/done"), &CompleteCallback { note: note.to_string() }, &[]).await
}

pub async fn staff_conversation_close(id: i64) -> Result<Conversation, ApiError> {
    http::change(Method::Post, &format!("/api/staff/support/conversations/{id}/close"), &serde_json::json!({}), &[]).await
}
