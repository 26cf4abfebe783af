//! What every answer carries, and how often one address may knock.
//!
//! - Every response gets a Content-Security-Policy (the web app's, see
//!   [`web::ContentPolicy`]; a deny-all one for the API's JSON), `X-Content-Type-Options:
//!   nosniff`, `X-Frame-Options: DENY` for browsers that predate `frame-ancestors`, and
//!   `Referrer-Policy: same-origin`: guest order links carry their access token in the
//!   URL, and no other site needs to learn where a shopper came from.
//! - Per-address limits ([`IpLimits`]) on the routes that check a password or reach a
//!   person. The per-session and per-account limits elsewhere cannot stop one machine
//!   that takes a new session for every try; these can.
//! - The client's address is worked out in [`super::client`].

use crate::{
    platform::{
        client::{client_ip, limit_key},
        error::ApiError,
        rate_limit::{wait_words, IpLimits, RateLimiter},
        web,
    },
    AppState,
};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{
    net::SocketAddr,
    sync::Arc,
};

/// Adds the security headers to every response, the API's and the web app's.
pub async fn headers(State(policy): State<Arc<web::ContentPolicy>>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let csp = if api { HeaderValue::from_static(web::STRICT_POLICY) } else { policy.header() };
    let h = res.headers_mut();
    // A page the API serves itself (a printable invoice) brings its own policy.
    if !(api && h.contains_key(header::CONTENT_SECURITY_POLICY)) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    res
}

/// Which allowance a request draws on, by method and path (under `/api`).
fn bucket<'a>(limits: &'a IpLimits, method: &Method, path: &str) -> Option<(&'a RateLimiter, &'static str)> {
    let accounts = (&limits.accounts, "accounts");
    let contact = (&limits.contact, "contact");
    let mail = (&limits.mail, "mail");
    match (method, path) {
        (&Method::POST, "/orders/find" | "/password-reset") => Some(mail),
        (&Method::POST, p) if p.starts_with("/products/") && p.ends_with("/alerts") => Some(mail),
        (&Method::POST, "/password-reset/confirm") => Some(accounts),
        (&Method::POST, "/session" | "/account") | (&Method::PUT, "/account/password") | (&Method::DELETE, "/account") => Some(accounts),
        (&Method::POST, "/support/tickets" | "/support/callbacks" | "/support/feedback" | "/support/chat/messages") => Some(contact),
        (&Method::POST, p) if p.starts_with("/support/tickets/") && p.ends_with("/messages") => Some(contact),
        _ => None,
    }
}

/// Refuses a request over its address's allowance with a 429 and `Retry-After`.
pub async fn limit_by_ip(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some((limiter, name)) = bucket(&state.ip_limits, req.method(), req.uri().path()) {
        let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        let key = match client_ip(req.headers(), peer, state.trusted_proxies) {
            Some(ip) => format!("{name}:{}", limit_key(ip)),
            // Only a server started without connection info (never `serve`) lands here;
            // one shared allowance is the safe side.
            None => format!("{name}:unknown"),
        };
        if let Err(secs) = limiter.hit(&key).await {
            return ApiError::too_many(secs, format!("Too many requests from your network in a short time. {}", wait_words(secs)))
                .into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_password_and_contact_writes_are_limited() {
        let l = IpLimits::default();
        let name = |m: Method, p: &str| bucket(&l, &m, p).map(|(_, n)| n);
        assert_eq!(name(Method::POST, "/session"), Some("accounts"));
        assert_eq!(name(Method::GET, "/session"), None);
        assert_eq!(name(Method::DELETE, "/session"), None);
        assert_eq!(name(Method::PUT, "/account/password"), Some("accounts"));
        assert_eq!(name(Method::DELETE, "/account"), Some("accounts"));
        assert_eq!(name(Method::POST, "/support/tickets/12/messages"), Some("contact"));
        assert_eq!(name(Method::POST, "/support/feedback"), Some("contact"));
        assert_eq!(name(Method::GET, "/support/tickets/12"), None);
        assert_eq!(name(Method::POST, "/orders"), None);
        assert_eq!(name(Method::POST, "/orders/find"), Some("mail"));
        assert_eq!(name(Method::POST, "/password-reset"), Some("mail"));
        assert_eq!(name(Method::POST, "/password-reset/confirm"), Some("accounts"));
        assert_eq!(name(Method::POST, "/products/7/alerts"), Some("mail"));
    }
}
