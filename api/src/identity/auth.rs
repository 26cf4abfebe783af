//! Sessions, passwords and request authentication.
//!
//! - Every browser gets a session from `GET /api/session`: a random token in an
//!   HttpOnly, SameSite=Lax cookie (Secure behind HTTPS). Only the token's SHA-256 is
//!   stored. A guest's session carries their cart; signing in rotates the token.
//! - Cross-site request forgery: every state-changing request must carry the session's
//!   CSRF token in `X-CSRF-Token`. The app reads it from `GET /api/session`, which
//!   another site cannot read, so a forged form or fetch cannot supply it.
//! - Passwords are hashed with Argon2id; sign-in failures are rate-limited per e-mail.

use crate::{platform::clock, platform::error::ApiError, AppState};
use aisle_domain::shop::Customer;
use argon2::{
    password_hash::{rand_core::{OsRng, RngCore}, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderMap, HeaderValue, Method},
};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

pub const SESSION_COOKIE: &str = "aisle_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const SESSION_DAYS: i64 = 30;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of a password nobody has, checked when the e-mail is unknown so that
/// "no such account" takes as long as "wrong password" and does not give it away.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

/// The `Set-Cookie` value for a session token; `None` clears the cookie.
pub fn session_cookie(token: Option<&str>, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = match token {
        Some(t) => format!("{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", SESSION_DAYS * 86_400),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether the shopper reached us over HTTPS (directly or through a proxy that says so).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whoever sent the request: their session, and their account if signed in. Changing
/// requests are refused unless they carry the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub session_hash: String,
    pub csrf_token: String,
    pub customer: Option<Customer>,
}

impl Visitor {
    pub fn signed_in(&self) -> Result<&Customer, ApiError> {
        self.customer.as_ref().ok_or(ApiError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(ApiError::NoSession)?;
        let visitor = crate::identity::store::load_session(&state.db, &hash_token(&token)).await?.ok_or(ApiError::NoSession)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
            if !constant_time_eq(sent.as_bytes(), visitor.csrf_token.as_bytes()) {
                return Err(ApiError::Forbidden("This request could not be verified. Please reload the page and try again.".into()));
            }
        }
        Ok(visitor)
    }
}

/// A signed-in staff member.
pub struct Staff(pub Customer);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        match visitor.customer {
            Some(c) if c.is_staff => Ok(Staff(c)),
            Some(_) => Err(ApiError::Forbidden("Only shop staff can do this.".into())),
            None => Err(ApiError::Unauthorized),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Counts failed sign-ins per e-mail address (by its key, see `session_create`) over a
/// sliding window.
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    pub max_failures: usize,
    pub window: Duration,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        SignInLimiter { failures: Mutex::new(HashMap::new()), max_failures: 5, window: Duration::from_secs(15 * 60) }
    }
}

impl SignInLimiter {
    /// `Err(minutes to wait)` while the address has had too many recent failures.
    pub fn check(&self, email: &str) -> Result<(), u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let list = map.entry(email.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        if list.len() >= self.max_failures {
            let oldest = list.first().copied().unwrap_or(now);
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().div_ceil(60).max(1));
        }
        Ok(())
    }

    pub fn record_failure(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Bound memory under a flood of made-up addresses.
        if map.len() > 100_000 {
            map.clear();
        }
        map.entry(email.to_string()).or_default().push(Instant::now());
    }

    pub fn clear(&self, email: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(email);
    }
}

/// Allows at most `max` events per key (a session, say) in a sliding `window`: how the
/// chat and the support forms keep one browser from flooding the people who answer.
pub struct RateLimiter {
    hits: Mutex<HashMap<String, Vec<Instant>>>,
    pub max: usize,
    pub window: Duration,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> RateLimiter {
        RateLimiter { hits: Mutex::new(HashMap::new()), max, window }
    }

    /// Counts one event for `key`, or `Err(seconds to wait)` when the key has used up
    /// its allowance (and then nothing is counted).
    pub fn hit(&self, key: &str) -> Result<(), u64> {
        let mut map = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        // Bound memory under a flood of new sessions.
        if map.len() > 100_000 {
            map.retain(|_, list| list.last().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let list = map.entry(key.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        if list.len() >= self.max {
            let oldest = list.first().copied().unwrap_or(now);
            return Err(self.window.saturating_sub(now.duration_since(oldest)).as_secs().max(1));
        }
        list.push(now);
        Ok(())
    }
}

/// "Please wait 3 minutes", "Please wait 20 seconds": for a 429's message.
pub fn wait_words(seconds: u64) -> String {
    if seconds >= 60 {
        let m = seconds.div_ceil(60);
        format!("Please wait {m} minute{} and try again.", if m == 1 { "" } else { "s" })
    } else {
        format!("Please wait {seconds} second{} and try again.", if seconds == 1 { "" } else { "s" })
    }
}

pub fn session_expiry() -> String {
    clock::iso(clock::now_unix() + SESSION_DAYS * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn session_cookies_are_http_only_and_same_site() {
        let c = session_cookie(Some("abc"), true);
        let c = c.to_str().unwrap();
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!session_cookie(Some("abc"), false).to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn only_well_formed_tokens_are_read_from_cookies() {
        let t = random_token();
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(&format!("a=b; {SESSION_COOKIE}={t}")).unwrap());
        assert_eq!(session_token(&h), Some(t));
        h.insert(header::COOKIE, HeaderValue::from_static("aisle_session=' OR 1=1 --"));
        assert_eq!(session_token(&h), None);
    }

    #[test]
    fn the_limiter_blocks_after_five_failures() {
        let l = SignInLimiter::default();
        for _ in 0..5 {
            assert!(l.check("a@b.co").is_ok());
            l.record_failure("a@b.co");
        }
        assert_eq!(l.check("a@b.co"), Err(15));
        assert!(l.check("other@b.co").is_ok());
        l.clear("a@b.co");
        assert!(l.check("a@b.co").is_ok());
    }

    #[test]
    fn the_rate_limiter_counts_per_key_within_its_window() {
        let l = RateLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(l.hit("s1").is_ok());
        }
        let wait = l.hit("s1").unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(l.hit("s2").is_ok(), "another key has its own allowance");
        let quick = RateLimiter::new(1, Duration::from_millis(10));
        assert!(quick.hit("k").is_ok());
        std::thread::sleep(Duration::from_millis(20));
        assert!(quick.hit("k").is_ok(), "the window slides");
        assert_eq!(wait_words(1), "Please wait 1 second and try again.");
        assert_eq!(wait_words(61), "Please wait 2 minutes and try again.");
    }
}
