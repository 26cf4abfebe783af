//! The one shape of every API error, `{"error": {"code": "...", "message": "..."}}`:
//! `code` is stable for programs, `message` is plain words safe to show a shopper.
//!
//! The codes are one enum, [`ErrorCode`], that the server writes and the web app reads,
//! so neither side can misspell one, and a code a newer server adds reads as
//! [`ErrorCode::Unknown`] in an older app instead of failing the whole answer.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    /// The form field the error is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiErrorBody {
        ApiErrorBody {
            error: ApiErrorDetail {
                code,
                message: message.into(),
                field: None,
            },
        }
    }
}

/// Why a request failed, for programs. Each has one HTTP status (see
/// [`ErrorCode::status`]); the 409s say which conflict it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the request itself is wrong; the message says how to put it right.
    BadRequest,
    /// 400: one form field is wrong (`field` says which).
    Invalid,
    /// 401: this needs a signed-in shopper.
    Unauthorized,
    /// 401: no session cookie, or an expired one; fetch a new session and retry.
    NoSession,
    /// 403: signed in, but not allowed.
    Forbidden,
    /// 404: nothing by that name or id (or not the caller's).
    NotFound,
    /// 405: the path exists, not with this method.
    MethodNotAllowed,
    /// 409: the order's state does not allow the change (already shipped, …).
    Refused,
    /// 409: not enough stock for the change.
    SoldOut,
    /// 409: prices or stock changed since the shopper saw the cart; nothing was charged.
    CartChanged,
    /// 409: the payment provider said no; nothing was charged.
    PaymentRefused,
    /// 409: an account with that e-mail address exists.
    EmailTaken,
    /// 409: the e-mail and password do not match an account.
    WrongCredentials,
    /// 409: this Idempotency-Key was used for another request.
    IdempotencyKeyReused,
    /// 409: the first request with this Idempotency-Key is still being handled.
    InProgress,
    /// 410: a link from an e-mail that no longer works (used, expired or replaced).
    LinkExpired,
    /// 413: the body is larger than the address accepts.
    PayloadTooLarge,
    /// 415: the body is not JSON.
    UnsupportedMediaType,
    /// 429: too many attempts; `Retry-After` says when to try again.
    TooManyRequests,
    /// 500: the server's fault; worth trying again.
    Internal,
    /// 503: the database or another dependency is down; worth trying again.
    Unavailable,
    /// A code this build does not know (a newer server's).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            BadRequest | Invalid => 400,
            Unauthorized | NoSession => 401,
            Forbidden => 403,
            NotFound => 404,
            MethodNotAllowed => 405,
            Refused | SoldOut | CartChanged | PaymentRefused | EmailTaken | WrongCredentials | IdempotencyKeyReused | InProgress => 409,
            LinkExpired => 410,
            PayloadTooLarge => 413,
            UnsupportedMediaType => 415,
            TooManyRequests => 429,
            Internal | Unknown => 500,
            Unavailable => 503,
        }
    }

    /// The code as it is written on the wire (`sold_out`).
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            BadRequest => "bad_request",
            Invalid => "invalid",
            Unauthorized => "unauthorized",
            NoSession => "no_session",
            Forbidden => "forbidden",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            Refused => "refused",
            SoldOut => "sold_out",
            CartChanged => "cart_changed",
            PaymentRefused => "payment_refused",
            EmailTaken => "email_taken",
            WrongCredentials => "wrong_credentials",
            IdempotencyKeyReused => "idempotency_key_reused",
            InProgress => "in_progress",
            LinkExpired => "link_expired",
            PayloadTooLarge => "payload_too_large",
            UnsupportedMediaType => "unsupported_media_type",
            TooManyRequests => "too_many_requests",
            Internal => "internal",
            Unavailable => "unavailable",
            Unknown => "unknown",
        }
    }

    /// Every code but `Unknown`, for tests.
    pub const ALL: [ErrorCode; 21] = {
        use ErrorCode::*;
        [
            BadRequest, Invalid, Unauthorized, NoSession, Forbidden, NotFound, MethodNotAllowed, Refused, SoldOut, CartChanged,
            PaymentRefused, EmailTaken, WrongCredentials, IdempotencyKeyReused, InProgress, LinkExpired, PayloadTooLarge, UnsupportedMediaType,
            TooManyRequests, Internal, Unavailable,
        ]
    };
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_written_as_their_names_and_read_back() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).expect("writes");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).expect("reads"), code);
        }
    }

    #[test]
    fn a_code_this_build_does_not_know_still_reads() {
        let body: ApiErrorBody = serde_json::from_str(r#"{"error":{"code":"gift_card_expired","message":"That gift card has expired."}}"#).expect("reads");
        assert_eq!(body.error.code, ErrorCode::Unknown);
        assert_eq!(body.error.message, "That gift card has expired.");
    }

    #[test]
    fn every_conflict_is_a_409() {
        assert_eq!(ErrorCode::SoldOut.status(), 409);
        assert_eq!(ErrorCode::NoSession.status(), 401);
        assert_eq!(ErrorCode::TooManyRequests.status(), 429);
    }
}
