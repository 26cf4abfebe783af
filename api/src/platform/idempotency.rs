//! Exactly-once changes: any POST, PUT or DELETE under `/api` may carry an
//! `Idempotency-Key`. The first request with a key is handled and its answer stored;
//! a later request with the same key gets that stored answer and changes nothing.
//! This is what lets the app's offline outbox resend an action whose answer was lost.
//!
//! Only outcomes that will not change on a retry are stored (success, and refusals
//! such as 400, 404, 409); a 401, 403, 429 or 5xx is forgotten so the retry runs again.
//! Checkout (`POST /api/orders`) keeps its own key handling, which also knows who owns
//! the order.

use crate::{platform::{clock, error::ApiError}, AppState};
use aisle_domain::ErrorCode;
use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// How long answers are kept; outbox entries older than this are long gone.
const KEEP_DAYS: i64 = 7;
/// A claim with no answer after this long belongs to a request that never finished
/// (the server stopped mid-way); the next request with the key runs it again.
const ABANDONED_SECS: i64 = 30;
const MAX_BODY: usize = 1 << 20;

pub async fn idempotency(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // A key that is not text is a malformed key, not a missing one: ignoring it would
    // let a retry of this request act twice.
    let key = req.headers().get("idempotency-key").map(|v| v.to_str().unwrap_or("\u{FFFD}").to_string());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let changing = matches!(method, Method::POST | Method::PUT | Method::DELETE | Method::PATCH);
    let Some(key) = key.filter(|_| changing && !(method == Method::POST && path == "/orders")) else {
        return next.run(req).await;
    };
    if !(8..=100).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return ApiError::bad_request("The Idempotency-Key must be 8–100 letters, digits, '-' or '_'.").into_response();
    }
    // Claim, change and stored answer run to the end in their own task even if the
    // client goes away mid-request (a phone losing signal): a half-done claim would
    // otherwise block every resend until it is taken over.
    let task = tokio::spawn(run_once(state.clone(), key.clone(), method.as_str().to_string(), path, req, next));
    match task.await {
        Ok(res) => res,
        Err(e) => {
            let _ = sqlx::query("DELETE FROM idempotent_requests WHERE key = $1").bind(&key).execute(&state.db).await;
            ApiError::Internal(format!("handler failed: {e}")).into_response()
        }
    }
}

async fn run_once(state: AppState, key: String, method: String, path: String, req: Request, next: Next) -> Response {
    match claim(&state, &key, &method, &path).await {
        Ok(Claim::First) => {}
        Ok(Claim::Replay(res)) => return res,
        Err(e) => return e.into_response(),
    }
    let res = next.run(req).await;
    let status = res.status();
    let keep = status.is_success() || matches!(status.as_u16(), 400 | 404 | 405 | 409 | 410 | 422);
    if !keep {
        let _ = sqlx::query("DELETE FROM idempotent_requests WHERE key = $1").bind(&key).execute(&state.db).await;
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return ApiError::Internal("answer too large to store".into()).into_response();
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let stored = sqlx::query("UPDATE idempotent_requests SET status = $1, content_type = $2, body = $3 WHERE key = $4")
        .bind(i64::from(status.as_u16()))
        .bind(content_type)
        .bind(bytes.to_vec())
        .bind(&key)
        .execute(&state.db)
        .await;
    if let Err(e) = stored {
        tracing::warn!(error = %e, "could not store an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

enum Claim {
    First,
    Replay(Response),
}

async fn claim(state: &AppState, key: &str, method: &str, path: &str) -> Result<Claim, ApiError> {
    let now = clock::now();
    let inserted = sqlx::query(
        "INSERT INTO idempotent_requests (key, method, path, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(method)
    .bind(path)
    .bind(&now)
    .execute(&state.db)
    .await?
    .rows_affected();
    if inserted == 1 {
        // Old answers are only kept for a week; trim them as new ones arrive.
        let _ = sqlx::query("DELETE FROM idempotent_requests WHERE created_at < $1")
            .bind(clock::iso(clock::now_unix() - KEEP_DAYS * 86_400))
            .execute(&state.db)
            .await;
        return Ok(Claim::First);
    }
    let (m, p, status, content_type, body): (String, String, Option<i64>, Option<String>, Option<Vec<u8>>) =
        sqlx::query_as("SELECT method, path, status, content_type, body FROM idempotent_requests WHERE key = $1")
            .bind(key)
            .fetch_one(&state.db)
            .await?;
    if m != method || p != path {
        return Err(ApiError::Conflict { code: ErrorCode::IdempotencyKeyReused, message: "This request key was already used for another change.".into() });
    }
    let Some(status) = status else {
        let taken_over = sqlx::query("UPDATE idempotent_requests SET created_at = $1 WHERE key = $2 AND status IS NULL AND created_at < $3")
            .bind(&now)
            .bind(key)
            .bind(clock::iso(clock::now_unix() - ABANDONED_SECS))
            .execute(&state.db)
            .await?
            .rows_affected();
        if taken_over == 1 {
            return Ok(Claim::First);
        }
        return Err(ApiError::Conflict { code: ErrorCode::InProgress, message: "This change is still being handled. Please try again in a moment.".into() });
    };
    let mut res = Response::new(Body::from(body.unwrap_or_default()));
    *res.status_mut() = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
    if let Some(ct) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        res.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(Claim::Replay(res))
}
