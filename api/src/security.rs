//! What every answer carries.
//!
//! - Every response gets a Content-Security-Policy (the web app's, see
//!   [`web::ContentPolicy`]; a deny-all one for the API's JSON), `X-Content-Type-Options:
//!   nosniff`, `X-Frame-Options: DENY` for browsers that predate `frame-ancestors`, and
//!   `Referrer-Policy: same-origin`: guest order links carry their access token in the
//!   URL, and no other site needs to learn where a shopper came from.

use crate::web;
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use std::sync::Arc;

/// Adds the security headers to every response, the API's and the web app's.
pub async fn headers(State(policy): State<Arc<web::ContentPolicy>>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let csp = if api { HeaderValue::from_static(web::STRICT_POLICY) } else { policy.header() };
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    res
}
