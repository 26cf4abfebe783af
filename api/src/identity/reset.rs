//! "Forgot password?": a one-time link by e-mail, good for an hour, that lets the
//! shopper choose a new password. Asking says the same whether or not the address has
//! an account; setting the password signs out every other session.

use super::{password, store};
use crate::{
    emails::Kind,
    platform::{
        error::ApiError,
        links::{self, LinkKind},
    },
    AppState,
};
use aisle_domain::{
    customer::{Customer, Email, NewPassword},
    Lang,
};
use serde::Serialize;

/// The page a reset link opens, with its token.
pub fn reset_path(token: &str) -> String {
    format!("/reset-password?token={token}")
}

/// E-mails a reset link if `email` has an account; nothing otherwise. Limited per
/// address e-mailed either way, so the limit gives nothing away.
pub async fn request(state: &AppState, email: &Email, lang: Lang) -> Result<(), ApiError> {
    state.ip_limits.mail_to(email.as_str()).await?;
    let Some((customer, _)) = store::customer_for_sign_in(&state.db, email.as_str()).await? else { return Ok(()) };
    #[derive(Serialize)]
    struct Context {
        reset_url: String,
    }
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let token = links::issue(&mut tx, LinkKind::PasswordReset, customer.id).await?;
    let context = Context { reset_url: state.emails.link(&reset_path(&token)) };
    state.emails.queue(&mut tx, &customer.email, lang, Kind::PasswordReset, &context).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the new password with a live reset link, once: the link and every other reset
/// link of the account stop working, and so does every session. Returns the account,
/// for the caller to sign this browser in.
pub async fn confirm(state: &AppState, token: &str, new_password: &str) -> Result<Customer, ApiError> {
    // The password is checked first, so a too-short one does not use up the link.
    let new = NewPassword::parse(new_password, "password")?;
    let hash = password::hash_password(new.as_str())?;
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let customer_id = links::use_once(&mut tx, LinkKind::PasswordReset, token.trim()).await?.ok_or_else(link_gone)?;
    sqlx::query("UPDATE customers SET password_hash = $1 WHERE id = $2").bind(&hash).bind(customer_id).execute(&mut *tx).await?;
    links::revoke(&mut tx, LinkKind::PasswordReset, customer_id).await?;
    sqlx::query("DELETE FROM sessions WHERE customer_id = $1").bind(customer_id).execute(&mut *tx).await?;
    tx.commit().await?;
    store::customer_by_id(&state.db, customer_id).await?.ok_or_else(link_gone)
}

fn link_gone() -> ApiError {
    ApiError::Gone("This link to reset your password does not work any more: it was used, is older than an hour, or a newer one was sent. Ask for a new one below.".into())
}
