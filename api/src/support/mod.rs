//! Reaching a person: chat, call-backs, contact tickets, feedback, ratings, the FAQ
//! and the agents' console.

pub mod chat;
pub mod console;
pub mod faq;
pub mod hub;
pub mod routes;
pub mod service;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router().merge(chat::router()).merge(console::routes::router()).merge(faq::routes::router())
}
