//! Extractors whose rejections are `ApiError`s, so a malformed request gets the same
//! JSON error body as every other failure instead of axum's plain-text default.

use crate::platform::error::ApiError;
use axum::{
    extract::{rejection::JsonRejection, FromRequestParts, Query},
    http::request::Parts,
};

/// The most a JSON body may be, unless a route says otherwise (see `api()`): every
/// form and order fits in a small fraction of it, and a larger body is refused before
/// it is read, not after it was parsed.
pub const MAX_JSON_BODY: usize = 64 * 1024;

/// The query string as name/value pairs; a later duplicate name wins.
pub struct QueryParams(pub Vec<(String, String)>);

impl QueryParams {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::bad_request("The query string could not be read."))
            .and_then(|Query(pairs): Query<Vec<(String, String)>>| {
                if pairs.iter().any(|(k, v)| k.contains('\0') || v.contains('\0')) {
                    return Err(ApiError::bad_request("The query string must not contain NUL characters (%00)."));
                }
                Ok(QueryParams(pairs))
            })
    }
}

/// The shopper's language, from `Accept-Language` (the web app sends the language on
/// show): what e-mails caused by this request are written in. English when the header
/// names no language the shop speaks.
pub struct RequestLang(pub aisle_domain::Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        Ok(RequestLang(negotiate(header)))
    }
}

/// The cookie the web app sets when a shopper picks a language in the footer: the
/// pages the server writes and the catalogue it answers speak that language.
pub const LANGUAGE_COOKIE: &str = "aisle_lang";

/// The language a shopper reads the shop in: their choice in the app (its cookie),
/// else the first of the browser's languages the shop speaks. The app decides the same
/// way.
pub fn shopper_language(headers: &axum::http::HeaderMap) -> aisle_domain::Lang {
    cookie(headers, LANGUAGE_COOKIE).and_then(aisle_domain::Lang::from_tag).unwrap_or_else(|| {
        negotiate(headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default())
    })
}

/// [`shopper_language`] as an extractor: the language of the catalogue's answers.
pub struct ShopperLang(pub aisle_domain::Lang);

impl<S: Send + Sync> FromRequestParts<S> for ShopperLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ShopperLang(shopper_language(&parts.headers)))
    }
}

/// The value of the cookie `name` the request carries, if any.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The most preferred language of an `Accept-Language` header that the shop speaks,
/// by the header's weights (`de-AT;q=0.9, en;q=0.8`); ties keep the header's order.
pub fn negotiate(header: &str) -> aisle_domain::Lang {
    let mut choices: Vec<(f32, usize, &str)> = header
        .split(',')
        .take(20)
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            (q > 0.0).then_some((q, i, tag))
        })
        .collect();
    choices.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    aisle_domain::Lang::negotiate(choices.into_iter().map(|c| c.2))
}

/// A JSON request body; a malformed one is a 400 with the JSON error body that says
/// what was wrong with it (missing field, wrong type, not JSON at all).
pub struct ApiJson<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(not_json());
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|r| body_rejection(r.status()))?;
        refuse_nul(&bytes)?;
        axum::Json::<T>::from_bytes(&bytes).map(|axum::Json(value)| ApiJson(value)).map_err(json_rejection)
    }
}

/// `application/json` or a `+json` type, as axum's own `Json` accepts.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Text with a NUL character is refused everywhere, whatever the database: PostgreSQL
/// cannot store it, and no name, address or message needs one.
fn refuse_nul(json: &[u8]) -> Result<(), ApiError> {
    if json.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return Err(ApiError::bad_request("Text must not contain NUL characters (\\u0000)."));
    }
    Ok(())
}

/// Our error for each way a JSON body can be wrong, with the status that says which:
/// too large (413), not declared as JSON (415), not JSON or not the right shape (400).
fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => not_json(),
        JsonRejection::BytesRejection(b) => body_rejection(b.status()),
        other => ApiError::bad_request(format!("The request could not be read: {}", other.body_text())),
    }
}

fn not_json() -> ApiError {
    ApiError::UnsupportedMediaType("Send the request body as JSON, with Content-Type: application/json.".into())
}

/// A body that could not be read: over the size limit (413), or cut off mid-way.
pub fn body_rejection(status: axum::http::StatusCode) -> ApiError {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("The request is too large for this address.".into())
    } else {
        ApiError::bad_request("The request body could not be read.")
    }
}

/// A request body read whole but not parsed (a route whose body is optional), within
/// the same size limit and with the same JSON errors as [`ApiJson`].
pub struct ApiBytes(pub axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for ApiBytes {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::body::Bytes::from_request(req, state).await.map(ApiBytes).map_err(|r| body_rejection(r.status()))
    }
}

/// The path's parameters as text. A segment that is not UTF-8 once decoded (`%FF`),
/// or holds a NUL (`%00`), names nothing we have, so it is a 404 in our JSON shape
/// rather than axum's plain text 400.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // No id, slug or number holds a NUL (see `refuse_nul`).
        if parts.uri.path().contains("%00") {
            return Err(ApiError::not_found("There is nothing at this address."));
        }
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|_| ApiError::not_found("There is nothing at this address."))
    }
}

#[cfg(test)]
mod tests {
    use super::negotiate;
    use aisle_domain::Lang;

    #[test]
    fn the_shoppers_language_is_read_by_weight() {
        assert_eq!(negotiate("de"), Lang::De);
        assert_eq!(negotiate("de-AT,de;q=0.9,en;q=0.8"), Lang::De);
        assert_eq!(negotiate("en;q=0.5, de;q=0.9"), Lang::De);
        assert_eq!(negotiate("fr-FR, fr;q=0.9, de;q=0.7, en;q=0.6"), Lang::De);
        assert_eq!(negotiate("fr, it"), Lang::En);
        assert_eq!(negotiate("de;q=0, en"), Lang::En);
        assert_eq!(negotiate(""), Lang::En);
        assert_eq!(negotiate(";;;,,q=x"), Lang::En);
    }
}
