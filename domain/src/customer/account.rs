//! Accounts and sessions as they cross the wire: the signed-in shopper, sign-up and
//! sign-in, profile and password changes, and the address book.

use super::AddressInput;
use serde::{Deserialize, Serialize};

/// The signed-in shopper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub is_staff: bool,
    /// A business customer's company, for its invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// A business customer's VAT ID (checked for its country's format): printed on its
    /// invoices, and what lets it pay by invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_id: Option<String>,
}

/// `GET /api/staff/shop`: what the back office needs to know about the shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffShop {
    pub name: String,
    /// An IANA time zone name (`Europe/Berlin`): staff read every date in it.
    pub time_zone: String,
}

/// `GET /api/session`: who this browser is, and the token its changes must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub customer: Option<Customer>,
    pub csrf_token: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUp {
    pub email: String,
    pub password: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// Empty for a private customer.
    #[serde(default)]
    pub company: String,
    /// Empty for none; needs `company`.
    #[serde(default)]
    pub vat_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/password-reset`: "forgot password?". The answer is the same whether or
/// not the address has an account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /api/password-reset/confirm`: the token from the e-mailed link and the new
/// password. Signs this browser in and every other session out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub token: String,
    pub password: String,
}

/// `POST /api/account/from-order`: a guest keeps their details. The order (opened with
/// its token) becomes the new account's, with its address in the address book and the
/// guest's support history (by `support_token`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountFromOrder {
    pub order_number: String,
    pub token: String,
    pub password: String,
    #[serde(default)]
    pub support_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub id: i64,
    #[serde(flatten)]
    pub fields: AddressInput,
}
