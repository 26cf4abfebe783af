//! Sessions and request authentication.
//!
//! - Every browser gets a session from `GET /api/session`: a random token in an
//!   HttpOnly, SameSite=Lax cookie (Secure behind HTTPS). Only the token's SHA-256 is
//!   stored. A guest's session carries their cart; signing in rotates the token.
//! - Cross-site request forgery: every state-changing request must carry the session's
//!   CSRF token in `X-CSRF-Token`. The app reads it from `GET /api/session`, which
//!   another site cannot read, so a forged form or fetch cannot supply it.
//! - Passwords are checked in [`super::password`].

use super::store::customer_by_id;
use crate::platform::token::{hash_token, random_token};
use crate::{platform::{clock, db::Db, error::ApiError}, AppState};
use aisle_domain::customer::Customer;
use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::{request::Parts, HeaderMap, HeaderValue, Method},
};

pub const SESSION_COOKIE: &str = "aisle_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const SESSION_DAYS: i64 = 30;

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
    crate::platform::extract::cookie(headers, SESSION_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
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
        let visitor = load_session(&state.db, &hash_token(&token)).await?.ok_or(ApiError::NoSession)?;
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

/// `Option<Visitor>`: a request that may come without a session — a link opened in a
/// new browser reaches the server before the app has asked for one. No session (or an
/// ended one) is `None`; a bad CSRF token on a change is still refused.
impl OptionalFromRequestParts<AppState> for Visitor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <Visitor as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(v) => Ok(Some(v)),
            Err(ApiError::NoSession) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A signed-in staff member.
pub struct Staff(pub Customer);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = <Visitor as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        match visitor.customer {
            Some(c) if c.is_staff => Ok(Staff(c)),
            Some(_) => Err(ApiError::Forbidden("Only shop staff can do this.".into())),
            None => Err(ApiError::Unauthorized),
        }
    }
}

/// Compares secrets in a time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn session_expiry() -> String {
    clock::iso(clock::now_unix() + SESSION_DAYS * 86_400)
}

pub async fn load_session(db: &Db, token_hash: &str) -> Result<Option<Visitor>, sqlx::Error> {
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT csrf_token, customer_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(token_hash)
            .bind(clock::now())
            .fetch_optional(db)
            .await?;
    let Some((csrf_token, customer_id)) = row else { return Ok(None) };
    let customer = match customer_id {
        Some(id) => customer_by_id(db, id).await?,
        None => None,
    };
    Ok(Some(Visitor { session_hash: token_hash.to_string(), csrf_token, customer }))
}

/// Starts a new session and returns its (secret) token and the visitor it describes.
pub async fn create_session(conn: &mut crate::platform::db::Conn, customer: Option<Customer>) -> Result<(String, Visitor), sqlx::Error> {
    let token = random_token();
    let visitor = Visitor { session_hash: hash_token(&token), csrf_token: random_token(), customer };
    sqlx::query("INSERT INTO sessions (token_hash, customer_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&visitor.session_hash)
        .bind(visitor.customer.as_ref().map(|c| c.id))
        .bind(&visitor.csrf_token)
        .bind(clock::now())
        .bind(session_expiry())
        .execute(&mut *conn)
        .await?;
    Ok((token, visitor))
}

pub async fn delete_session(conn: &mut crate::platform::db::Conn, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}

/// Deletes sessions past their expiry (a guest's cart goes with its session): they are
/// already refused, this only keeps the table from growing without end.
pub async fn delete_expired_sessions(db: &Db) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(clock::now()).execute(db).await?;
    Ok(r.rows_affected())
}

/// Deletes expired sessions now and then every hour, for as long as the server runs.
pub fn spawn_session_cleanup(db: Db) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match delete_expired_sessions(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "deleted expired sessions"),
                Err(e) => tracing::warn!(error = %e, "could not delete expired sessions"),
            }
        }
    });
}

/// Ends every session of an account except `keep` (after a password change).
pub async fn delete_other_sessions(db: &Db, customer_id: i64, keep: &str) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM sessions WHERE customer_id = $1 AND token_hash <> $2")
        .bind(customer_id)
        .bind(keep)
        .execute(db)
        .await?;
    Ok(r.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

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
}
