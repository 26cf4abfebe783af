//! One error type for every handler. Shoppers and client programs get a status and the
//! JSON body from `aisle_domain::ApiErrorBody`; internal details (SQL errors, panics)
//! go to the log only, never into a response.

use aisle_domain::ApiErrorBody;
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
    /// 409: the request conflicts with the current state (sold out, already shipped).
    Conflict { code: &'static str, message: String },
    /// 429: too many attempts; the message says how long to wait, and `Retry-After`
    /// says it to programs, in seconds.
    TooManyRequests { message: String, retry_after: u64 },
    /// 413: the body is larger than this address accepts.
    PayloadTooLarge(String),
    /// 415: the body is not JSON (or does not say it is).
    UnsupportedMediaType(String),
    /// 405: the path exists but not with this method.
    MethodNotAllowed,
    /// 503: the database or another dependency is down; worth retrying.
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
        match err {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                ApiError::Unavailable(err.to_string())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl ApiError {
    /// Status, code, the sentence a person may read, and the field it is about.
    /// Internal details are logged here and never returned.
    fn parts(self) -> (StatusCode, &'static str, String, Option<String>) {
        let mut field = None;
        let (status, code, message) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m),
            ApiError::Invalid(e) => {
                field = Some(e.field.to_string());
                (StatusCode::BAD_REQUEST, "invalid", e.message)
            }
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", "Please sign in first.".to_string()),
            ApiError::NoSession => (
                StatusCode::UNAUTHORIZED,
                "no_session",
                "Your session has ended. Please reload the page.".to_string(),
            ),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", m),
            ApiError::Conflict { code, message } => (StatusCode::CONFLICT, code, message),
            ApiError::TooManyRequests { message, .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message),
            ApiError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", m),
            ApiError::UnsupportedMediaType(m) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", m),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This address does not accept that method.".to_string(),
            ),
            ApiError::Unavailable(detail) => {
                tracing::warn!(%detail, "service unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The shop is briefly unavailable. Please try again in a moment.".to_string(),
                )
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on our side. Please try again.".to_string(),
                )
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
