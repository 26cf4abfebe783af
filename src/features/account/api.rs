//! Signing up, in and out, the password and the address book.

use crate::platform::http::{self, ApiError};
use gloo_net::http::Request;
use aisle_domain::{
    change::Method,
    customer::{AccountFromOrder, Address, PasswordChange, PasswordReset, PasswordResetRequest, SessionInfo, SignIn, SignUp},
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

/// The shopper's store credit: balance, ledger and the shop's price-protection window.
pub async fn credit() -> Result<aisle_domain::credit::StoreCredit, ApiError> {
    http::get(Request::get("/api/account/credit")).await
}

pub async fn addresses() -> Result<Vec<Address>, ApiError> {
    http::get(Request::get("/api/account/addresses")).await
}

/// "Forgot password?": the API answers the same whether or not the address has an account.
pub async fn request_password_reset(req: &PasswordResetRequest) -> Result<(), ApiError> {
    let _: Option<serde_json::Value> = http::change(Method::Post, "/api/password-reset", req, &[]).await?;
    Ok(())
}

/// Sets the new password from a reset link; signs this browser in.
pub async fn reset_password(req: &PasswordReset) -> Result<SessionInfo, ApiError> {
    http::change(Method::Post, "/api/password-reset/confirm", req, &[]).await.map(http::remember)
}

/// A guest's order becomes an account with this password; signs in.
pub async fn account_from_order(req: &AccountFromOrder) -> Result<SessionInfo, ApiError> {
    http::change(Method::Post, "/api/account/from-order", req, &[]).await.map(http::remember)
}
