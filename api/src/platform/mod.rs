//! What every feature stands on: configuration, the database, errors, extractors,
//! security headers and limits, idempotency, the e-mail outbox, the other instances,
//! the clock, static files, the OpenAPI document and the health check.

pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod fanout;
pub mod idempotency;
pub mod mail;
pub mod openapi;
pub mod rate_limit;
pub mod security;
pub mod token;
pub mod web;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The platform's own route: the OpenAPI document.
pub fn router() -> OpenApiRouter<AppState> {
    openapi::router()
}
