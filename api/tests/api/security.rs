//! Sessions that end and cannot be fixed in advance, and per-address limits that a new
//! session per try does not get round.

use crate::helpers::{spawn_app, spawn_app_with, Shopper, TestApp};
use aisle_api::{platform::rate_limit::RateLimiter, platform::rate_limit::IpLimits};
use serde_json::json;
use std::{sync::Arc, time::Duration};

fn small_limits(state: &mut aisle_api::AppState) {
    state.ip_limits = Arc::new(IpLimits {
        accounts: RateLimiter::new(3, Duration::from_secs(60)),
        contact: RateLimiter::new(2, Duration::from_secs(60)),
        mail: RateLimiter::new(2, Duration::from_secs(60)),
        recipients: RateLimiter::new(2, Duration::from_secs(60)),
    });
}

/// A raw request as `shopper` would send it, for the status, headers and body.
async fn send_raw(shopper: &Shopper, method: &str, path: &str, body: serde_json::Value, headers: &[(&str, &str)]) -> reqwest::Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = shopper.http.request(method, format!("{}{path}", shopper.url)).header("x-csrf-token", &shopper.csrf).json(&body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

async fn wrong_sign_in(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    // A new session each time, as a guessing script would take.
    let s = app.shopper().await;
    send_raw(&s, "POST", "/api/session", json!({"email": "nobody@example.com", "password": "guess guess"}), headers).await
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_address_whatever_the_session() {
    let app = spawn_app_with(small_limits).await;
    for _ in 0..3 {
        assert_eq!(wrong_sign_in(&app, &[]).await.status(), 409);
    }
    let refused = wrong_sign_in(&app, &[]).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(refused.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests");
    assert!(body["error"]["message"].as_str().unwrap().contains("Please wait"), "{body}");

    // Sign-up draws on the same allowance; reading and shopping do not.
    let mut s = app.shopper().await;
    let (status, _) = s.send("POST", "/api/account", json!({"email": "new@example.com", "password": "a long password", "name": "Ada"})).await;
    assert_eq!(status, 429);
    s.refresh().await;
    assert_eq!(s.get("/api/categories").await.0, 200);
    assert_eq!(s.send("PUT", "/api/cart/items", json!({"product_id": 1, "quantity": 1})).await.0, 200);
    // The contact routes have their own allowance.
    let (status, _) = s.send("POST", "/api/support/feedback", json!({"kind": "compliment", "body": "Lovely shop", "support_token": "a".repeat(64)})).await;
    assert_ne!(status, 429);
}

#[tokio::test]
async fn contact_routes_are_limited_per_address() {
    let app = spawn_app_with(small_limits).await;
    let token = "b".repeat(64);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let s = app.shopper().await;
        let res = send_raw(&s, "POST", "/api/support/feedback", json!({"kind": "complaint", "body": "Too slow", "support_token": token}), &[]).await;
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, [201, 201, 429]);
}

#[tokio::test]
async fn forwarded_for_is_believed_only_when_a_proxy_is_configured() {
    // No proxy configured: a made-up X-Forwarded-For does not buy a fresh allowance.
    let app = spawn_app_with(small_limits).await;
    for i in 0..3 {
        let ip = format!("198.51.100.{i}");
        assert_eq!(wrong_sign_in(&app, &[("x-forwarded-for", &ip)]).await.status(), 409);
    }
    assert_eq!(wrong_sign_in(&app, &[("x-forwarded-for", "198.51.100.99")]).await.status(), 429);

    // Behind one trusted proxy each client address has its own, and what the client
    // wrote before the proxy's entry is ignored.
    let app = spawn_app_with(|s| {
        small_limits(s);
        s.trusted_proxies = 1;
    })
    .await;
    for i in 0..3 {
        let chain = format!("10.9.9.{i}, 203.0.113.7");
        assert_eq!(wrong_sign_in(&app, &[("x-forwarded-for", &chain)]).await.status(), 409);
    }
    assert_eq!(wrong_sign_in(&app, &[("x-forwarded-for", "203.0.113.7")]).await.status(), 429, "same client, other spoofed prefix");
    assert_eq!(wrong_sign_in(&app, &[("x-forwarded-for", "203.0.113.8")]).await.status(), 409, "another client");
}

fn cookie_token(s: &Shopper) -> String {
    let cookie = s.cookie().expect("a cookie");
    let cookie = cookie.to_str().unwrap();
    cookie.split(';').map(str::trim).find_map(|c| c.strip_prefix("aisle_session=")).expect("session cookie").to_string()
}

/// A client that sends exactly this session cookie, and no other.
async fn with_cookie(app: &TestApp, method: &str, path: &str, token: &str, csrf: &str) -> (u16, serde_json::Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let res = app
        .client
        .request(method, format!("{}{path}", app.url))
        .header("cookie", format!("aisle_session={token}"))
        .header("x-csrf-token", csrf)
        .json(&json!({"product_id": 1, "quantity": 2}))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

#[tokio::test]
async fn signing_in_or_up_replaces_the_session_so_a_planted_one_is_worthless() {
    let app = spawn_app().await;
    let mut victim = app.shopper().await;
    // An attacker who knows (or planted) the guest session before sign-up…
    let planted = cookie_token(&victim);
    let planted_csrf = victim.csrf.clone();
    victim.sign_up("victim@example.com").await;
    let signed_in = cookie_token(&victim);
    assert_ne!(planted, signed_in, "sign-up gives a new token");
    // …holds nothing: the old token is not a session at all any more.
    assert_eq!(with_cookie(&app, "GET", "/api/cart", &planted, "").await.0, 401);
    assert_eq!(with_cookie(&app, "PUT", "/api/cart/items", &planted, &planted_csrf).await.0, 401);
    let (_, session) = with_cookie(&app, "GET", "/api/session", &planted, "").await;
    assert!(session["customer"].is_null(), "a new guest session, not the account: {session}");
    assert_eq!(with_cookie(&app, "GET", "/api/orders", &signed_in, "").await.0, 200);

    // Signing in again rotates again, and signing out ends the session.
    let (status, _) = victim.send("DELETE", "/api/session", json!({})).await;
    assert_eq!(status, 204);
    assert_eq!(with_cookie(&app, "GET", "/api/orders", &signed_in, "").await.0, 401);
    victim.refresh().await;
    let before = cookie_token(&victim);
    let (status, _) = victim.send("POST", "/api/session", json!({"email": "victim@example.com", "password": "a long password"})).await;
    assert_eq!(status, 200);
    assert_ne!(cookie_token(&victim), before);
    assert_eq!(with_cookie(&app, "GET", "/api/cart", &before, "").await.0, 401);
}

#[tokio::test]
async fn sessions_expire_and_expired_ones_are_deleted() {
    let app = spawn_app().await;
    let mut s = app.shopper().await;
    s.add_to_cart(1, 1).await;
    s.sign_up("expiring@example.com").await;
    let token = cookie_token(&s);
    let hash = aisle_api::platform::token::hash_token(&token);
    let expires: String = sqlx::query_scalar("SELECT expires_at FROM sessions WHERE token_hash = $1").bind(&hash).fetch_one(&app.db).await.unwrap();
    let days = (aisle_api::platform::clock::parse(&expires).unwrap() - aisle_api::platform::clock::now_unix()) / 86_400;
    assert!((29..=30).contains(&days), "a session lasts 30 days: {expires}");
    let guest = app.shopper().await;
    guest.add_to_cart(2, 1).await;

    // Thirty days on:
    sqlx::query("UPDATE sessions SET expires_at = $1").bind(aisle_api::platform::clock::iso(aisle_api::platform::clock::now_unix() - 1)).execute(&app.db).await.unwrap();
    let (status, body) = s.get("/api/orders").await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("no_session")));
    let (_, session) = s.get("/api/session").await;
    assert!(session["customer"].is_null(), "signed out: {session}");

    // The clean-up takes the expired rows and the guest's cart with them; the new
    // session stays.
    let deleted = aisle_api::identity::session::delete_expired_sessions(&app.db).await.unwrap();
    assert_eq!(deleted, 2, "the signed-in one and the guest's (the one before sign-up was gone at sign-up)");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.db).await.unwrap();
    assert_eq!(left, 1);
    let guest_carts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM carts WHERE session_hash IS NOT NULL").fetch_one(&app.db).await.unwrap();
    assert_eq!(guest_carts, 0);
}
