//! Signing up, in and out, the password and the address book.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::{
    change::Method,
    customer::{Address, PasswordChange, SessionInfo, SignIn, SignUp},
};

pub async fn sign_up(req: &SignUp) -> Result<SessionInfo, ApiError> {
    http::change(Method::Post, "/api/account", req, &[]).await.map(http::remember)
}

pub async fn sign_in(req: &SignIn) -> Result<SessionInfo, ApiError> {
    http::change(Method::Post, "/api/session", req, &[]).await.map(http::remember)
}

pub async fn sign_out() -> Result<(), ApiError> {
    http::change::<(), _>(Method::Delete, "/api/session", &(), &[]).await?;
    http::forget_session();
    Ok(())
}

pub async fn change_password(req: &PasswordChange) -> Result<(), ApiError> {
    http::change(Method::Put, "/api/account/password", req, &[]).await
}

pub async fn addresses() -> Result<Vec<Address>, ApiError> {
    http::get(Request::get("/api/account/addresses")).await
}
