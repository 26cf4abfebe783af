//! What every feature stands on: configuration, the database, errors, extractors,
//! security headers and limits, idempotency, the e-mail queue, the other instances,
//! request ids, logs and metrics, health checks, tokens, the clock, static files and
//! the OpenAPI document. Nothing here names a slice.

pub mod client;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod health;
pub mod fanout;
pub mod idempotency;
pub mod links;
pub mod mail;
pub mod observe;
pub mod openapi;
pub mod rate_limit;
pub mod security;
pub mod templates;
pub mod token;
pub mod web;

use utoipa_axum::router::OpenApiRouter;

/// The platform's own route under `/api`: the OpenAPI document.
pub fn router<S: Clone + Send + Sync + 'static>() -> OpenApiRouter<S> {
    openapi::router()
}
