//! Extractors whose rejections are `ApiError`s, so a malformed request gets the same
//! JSON error body as every other failure instead of axum's plain-text default.

use crate::error::ApiError;
use axum::{
    extract::{FromRequestParts, Query},
    http::request::Parts,
};

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
            .map(|Query(pairs)| QueryParams(pairs))
            .map_err(|_| ApiError::bad_request("The query string could not be read."))
    }
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
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError::bad_request(format!("The request could not be read: {}", rejection.body_text()))),
        }
    }
}
