//! Changing privacy settings, and erasing the account.

use crate::platform::http::{self, ApiError};
use aisle_domain::{change::Method, personal::{DeleteAccount, PrivacySettings}};

pub async fn set_privacy(settings: &PrivacySettings) -> Result<PrivacySettings, ApiError> {
    http::change(Method::Put, "/api/account/privacy", settings, &[]).await
}

pub async fn delete_account(password: &str) -> Result<(), ApiError> {
    http::change(Method::Delete, "/api/account", &DeleteAccount { password: password.to_string() }, &[]).await
}
