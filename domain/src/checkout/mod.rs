//! Checkout as it crosses the wire: the cart lines the shopper saw, the address and
//! the payment method.

use crate::customer::AddressInput;
use serde::{Deserialize, Serialize};

/// What the shopper saw in the cart when they pressed "Place order". The server
/// compares it with current prices and stock and refuses, explaining, if they differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpectedLine {
    pub product_id: i64,
    /// The variant, for a product sold in options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 99))]
    pub quantity: u32,
    pub unit_price_minor: i64,
}

pub const PAY_ON_DELIVERY: &str = "pay_on_delivery";

/// `POST /api/orders` (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkout {
    /// Required for guests; ignored when signed in (the account's e-mail is used).
    #[serde(default)]
    pub email: String,
    pub address: AddressInput,
    pub payment_method: String,
    #[serde(default)]
    pub delivery_method: crate::delivery::MethodKind,
    pub expected: Vec<ExpectedLine>,
    /// The total the shopper saw before pressing the button. When it is no longer
    /// the total, nothing is charged and the shopper is shown the new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_total_minor: Option<i64>,
    /// The discount code the shopper saw applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The version of the terms the checkout showed (from the shop's rules). An order
    /// under other terms is refused, so the shopper reads them first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_version: Option<i64>,
    /// The store credit the checkout showed taken off (signed-in shoppers). A balance
    /// changed since refuses the order, so the amount to pay is the one seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_minor: Option<i64>,
    /// The currency the checkout showed (the delivery country's market). Another
    /// market's currency refuses the order, so it is charged in the money seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<crate::Currency>,
    /// Signed-in shoppers may save the address to their address book.
    #[serde(default)]
    pub save_address: bool,
}

pub fn payment_method_label(method: &str) -> &str {
    match method {
        PAY_ON_DELIVERY => "Pay on delivery",
        "bank_transfer" => "Bank transfer (prepayment)",
        "invoice" => "Invoice",
        other => other,
    }
}
