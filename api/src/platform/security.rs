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
//! - The client's address is the TCP peer's, unless `AISLE_TRUSTED_PROXIES` says how
//!   many reverse proxies stand in front: then it is the address the outermost of them
//!   wrote into `X-Forwarded-For`. Without that setting the header is ignored, as
//!   anyone can send it.

use crate::{platform::{self, error::ApiError, rate_limit::{IpLimits, RateLimiter}, web}, AppState};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

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

/// Which allowance a request draws on, by method and path (under `/api`).
fn bucket<'a>(limits: &'a IpLimits, method: &Method, path: &str) -> Option<(&'a RateLimiter, &'static str)> {
    let accounts = (&limits.accounts, "accounts");
    let contact = (&limits.contact, "contact");
    match (method, path) {
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
        if let Err(secs) = limiter.hit(&key) {
            return ApiError::too_many(secs, format!("Too many requests from your network in a short time. {}", platform::rate_limit::wait_words(secs)))
                .into_response();
        }
    }
    next.run(req).await
}

/// The client's address: the peer's, or with `trusted_proxies` > 0 the entry that many
/// places from the right of `X-Forwarded-For` (each proxy appends the address it was
/// reached from, so entries further left are whatever the client chose to send).
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trusted_proxies: usize) -> Option<IpAddr> {
    if trusted_proxies == 0 {
        return peer.map(|p| p.ip());
    }
    let chain: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    if chain.len() < trusted_proxies {
        // Not through every proxy we were told of: count it against whoever handed it
        // to us.
        return peer.map(|p| p.ip());
    }
    let entry = chain[chain.len() - trusted_proxies];
    parse_forwarded(entry).or(peer.map(|p| p.ip()))
}

/// An address as proxies write it: `203.0.113.7`, `2001:db8::1`, or with a port.
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

/// One IPv4 address, or one IPv6 /64: a single household or server is usually given a
/// whole /64, so counting its addresses one by one would count nothing.
fn limit_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_counts_only_behind_trusted_proxies() {
        let peer: SocketAddr = "10.0.0.2:5555".parse().unwrap();
        let spoofed = xff(&["1.1.1.1, 203.0.113.7"]);
        assert_eq!(client_ip(&spoofed, Some(peer), 0), Some(peer.ip()), "ignored unless configured");
        assert_eq!(client_ip(&spoofed, Some(peer), 1), Some("203.0.113.7".parse().unwrap()), "the proxy's own entry");
        assert_eq!(client_ip(&spoofed, Some(peer), 2), Some("1.1.1.1".parse().unwrap()));
        assert_eq!(client_ip(&spoofed, Some(peer), 3), Some(peer.ip()), "shorter than the proxy chain");
        assert_eq!(client_ip(&xff(&["1.1.1.1", "[2001:db8::1]:443"]), Some(peer), 1), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(client_ip(&xff(&["not an address"]), Some(peer), 1), Some(peer.ip()));
        assert_eq!(client_ip(&HeaderMap::new(), None, 0), None);
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(limit_key("2001:db8:1:2:aaaa::1".parse().unwrap()), limit_key("2001:db8:1:2:bbbb::9".parse().unwrap()));
        assert_ne!(limit_key("2001:db8:1:2::1".parse().unwrap()), limit_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(limit_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1");
    }

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
    }
}
