//! Reaching a person: availability, the shopper's chat and support history, a ticket,
//! the FAQ. Guests name their support token.

use crate::platform::http::{self, ApiError};
use gloo_net::http::{Request, RequestBuilder};
use aisle_domain::{
    change::Method,
    support::{Availability, Conversation, Faq, MySupport, NewTicketMessage, Ticket},
};

/// A request that names a guest's support token, when there is one.
pub fn with_support_token(req: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(t) => req.header("x-support-token", t),
        None => req,
    }
}

pub async fn availability() -> Result<Availability, ApiError> {
    http::get(Request::get("/api/support/availability")).await
}

pub async fn my_chat(token: Option<&str>) -> Result<Conversation, ApiError> {
    http::get(with_support_token(Request::get("/api/support/chat"), token)).await
}

pub async fn my_support(token: Option<&str>) -> Result<MySupport, ApiError> {
    http::get(with_support_token(Request::get("/api/support/mine"), token)).await
}

/// `?token=` of a link from a ticket e-mail, if the page was opened from one.
fn link_query(link: Option<&str>) -> String {
    link.filter(|l| !l.is_empty()).map(|l| format!("?token={}", http::encode_query(l))).unwrap_or_default()
}

pub async fn ticket(id: i64, token: Option<&str>, link: Option<&str>) -> Result<Ticket, ApiError> {
    http::get(with_support_token(Request::get(&format!("/api/support/tickets/{id}{}", link_query(link))), token)).await
}

pub async fn ticket_reply(id: i64, token: Option<&str>, link: Option<&str>, body: &str) -> Result<Ticket, ApiError> {
    let extra: Vec<(&str, &str)> = token.map(|t| vec![("x-support-token", t)]).unwrap_or_default();
    let path = format!("/api/support/tickets/{id}/messages{}", link_query(link));
    http::change(Method::Post, &path, &NewTicketMessage { body: body.to_string() }, &extra).await
}

pub async fn faq() -> Result<Faq, ApiError> {
    http::get(Request::get("/api/faq")).await
}
