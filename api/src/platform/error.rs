//! One error type for every handler. Shoppers and client programs get a status and the
//! JSON body from `aisle_domain::ApiErrorBody`; internal details (SQL errors, panics)
//! go to the log only, never into a response.

use aisle_domain::{ApiErrorBody, ErrorCode};
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};

#[derive(Debug)]
pub enum ApiError {
    /// 400: the request itself is wrong; the message says how to put it right.
    BadRequest(String),
    /// 400: one form field is wrong; the message says how, `field` says which.
    Invalid(aisle_domain::customer::FieldError),
    /// 401: this needs a signed-in shopper.
    Unauthorized,
    /// 401: no session cookie, or an expired one; the app fetches a new session.
    NoSession,
    /// 403: signed in, but not allowed (another's order, a staff page, a bad CSRF token).
    Forbidden(String),
    /// 404: nothing by that name or id.
    NotFound(String),
    /// 410: a link from an e-mail that no longer works (used, expired, replaced).
    Gone(String),
    /// 409: the request conflicts with the current state (sold out, already shipped);
    /// `code` says which conflict.
    Conflict { code: ErrorCode, message: String },
    /// 429: too many attempts; the message says how long to wait, and `Retry-After`
    /// says it to programs, in seconds.
    TooManyRequests { message: String, retry_after: u64 },
    /// 413: the body is larger than this address accepts.
    PayloadTooLarge(String),
    /// 415: the body is not JSON (or does not say it is).
    UnsupportedMediaType(String),
    /// 405: the path exists but not with this method.
    MethodNotAllowed,
    /// A database error, kept as it came: 503 when the database could not be reached
    /// (worth retrying), 500 otherwise. Logged, never shown.
    Database(sqlx::Error),
    /// 503: another dependency is down; worth retrying.
    Unavailable(String),
    /// 500: our fault. The detail is logged, the shopper sees a plain sentence.
    Internal(String),
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest(message.into())
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::NotFound(message.into())
    }

    /// A 429 for a limit that frees up in `retry_after` seconds.
    pub fn too_many(retry_after: u64, message: impl Into<String>) -> ApiError {
        ApiError::TooManyRequests { message: message.into(), retry_after: retry_after.max(1) }
    }
}

impl From<aisle_domain::customer::FieldError> for ApiError {
    fn from(e: aisle_domain::customer::FieldError) -> ApiError {
        ApiError::Invalid(e)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> ApiError {
        ApiError::Database(err)
    }
}

/// Whether a database error means the database could not be reached (as opposed to a
/// query it refused): the first is a 503 a client may retry, the second our bug.
pub fn is_unreachable(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed)
}

impl ApiError {
    /// Status, code, the sentence a person may read, and the field it is about.
    /// Internal details are logged here and never returned.
    fn parts(self) -> (StatusCode, ErrorCode, String, Option<String>) {
        let mut field = None;
        let (status, code, message) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest, m),
            ApiError::Invalid(e) => {
                field = Some(e.field.to_string());
                (StatusCode::BAD_REQUEST, ErrorCode::Invalid, e.message)
            }
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, "Please sign in first.".to_string()),
            ApiError::NoSession => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::NoSession,
                "Your session has ended. Please reload the page.".to_string(),
            ),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, m),
            ApiError::Conflict { code, message } => (StatusCode::CONFLICT, code, message),
            ApiError::TooManyRequests { message, .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests, message),
            ApiError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge, m),
            ApiError::UnsupportedMediaType(m) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::UnsupportedMediaType, m),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, ErrorCode::NotFound, m),
            ApiError::Gone(m) => (StatusCode::GONE, ErrorCode::LinkExpired, m),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::MethodNotAllowed,
                "This address does not accept that method.".to_string(),
            ),
            ApiError::Database(error) if is_unreachable(&error) => {
                tracing::warn!(%error, "database unreachable");
                unavailable()
            }
            ApiError::Database(error) => {
                tracing::error!(%error, "database error");
                internal()
            }
            ApiError::Unavailable(detail) => {
                tracing::warn!(%detail, "service unavailable");
                unavailable()
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                internal()
            }
        };
        (status, code, message, field)
    }

    /// The sentence the shopper would read in the error body, for answers that are not
    /// HTTP responses (a refusal over the chat socket).
    pub fn into_message(self) -> String {
        self.parts().2
    }
}

fn unavailable() -> (StatusCode, ErrorCode, String) {
    (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable, "The shop is briefly unavailable. Please try again in a moment.".to_string())
}

fn internal() -> (StatusCode, ErrorCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal, "Something went wrong on our side. Please try again.".to_string())
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ApiError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let (status, code, message, field) = self.parts();
        let mut body = ApiErrorBody::new(code, message);
        body.error.field = field;
        let mut res = (status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
        res
    }
}
