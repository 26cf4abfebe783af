//! Orders as they cross the wire between the API and the web app, and the order state
//! machine ([`status`]) every change is checked against.

pub mod carrier;
pub mod status;

pub use carrier::{parse_tracking_number, Carrier};
pub use status::*;

use crate::{
    cart::SetQuantity,
    customer::{AddressInput, FieldError},
    Money,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderItem {
    pub product_id: i64,
    /// The variant bought, named as it was then ("M / Blue") — it may have been changed
    /// or deleted since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<crate::cart::ChosenVariant>,
    pub slug: String,
    pub name: String,
    pub unit_price: Money,
    pub quantity: u32,
    pub line_total: Money,
}

/// What an order's total is made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Charges {
    pub goods: Money,
    pub discount: Money,
    /// The discount code redeemed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub delivery_method: crate::delivery::MethodKind,
    pub delivery: Money,
    /// The way of paying's fee, when the shop charges one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Money>,
    /// Whether the VAT below is in the prices (gross) or was added (net).
    pub basis: crate::pricing::totals::PriceBasis,
    /// By rate, lowest first.
    pub tax: Vec<crate::pricing::totals::TaxLine>,
}

impl Charges {
    pub fn tax_total(&self) -> Money {
        Money::new(self.tax.iter().map(|t| t.tax_minor).sum(), self.goods.currency)
    }
}

/// An invoice or credit note of an order, to open it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentRef {
    pub kind: crate::invoice::DocumentKind,
    pub number: String,
    pub issued_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderEvent {
    pub status: OrderStatus,
    pub at: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shipment {
    pub carrier: Carrier,
    pub tracking_number: String,
    /// The carrier's own page for this parcel, when it has one we know.
    pub tracking_url: Option<String>,
    pub shipped_at: String,
    pub estimated_delivery: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub placed_at: String,
    pub email: String,
    pub items: Vec<OrderItem>,
    pub total: Money,
    pub address: AddressInput,
    pub payment_method: String,
    /// The goods, delivery, discount and VAT the total is made of, as the checkout
    /// showed them. Absent on orders placed before the shop charged delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charges: Option<Charges>,
    #[serde(default)]
    pub payment_state: crate::payment::PaymentState,
    /// Where to transfer the total, while the order awaits a bank transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<crate::payment::TransferDetails>,
    /// When staff marked it paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
    /// The payment provider's reference, for a method that authorises with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_reference: Option<String>,
    /// The day delivery (or collection) was promised at checkout, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_on: Option<String>,
    /// Store credit spent on it: part of the total, paid already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<Money>,
    /// The version of the shop's terms accepted with the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_version: Option<i64>,
    /// Its invoice and credit note, once issued.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentRef>,
    pub events: Vec<OrderEvent>,
    pub shipment: Option<Shipment>,
    pub return_reason: Option<String>,
    /// What the shopper may do now, for showing buttons.
    pub actions: Vec<OrderAction>,
    /// Lets a guest open their order page without an account.
    pub access_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub placed_at: String,
    pub total: Money,
    pub item_count: u32,
    pub email: String,
}

/// `GET /api/staff/orders`: one order as a packer needs it on the list: who, where to,
/// and what goes in the parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackingOrder {
    pub number: String,
    pub status: OrderStatus,
    pub placed_at: String,
    pub total: Money,
    pub email: String,
    pub address: AddressInput,
    pub lines: Vec<PackingLine>,
    /// An order awaiting its bank transfer is not packed yet.
    #[serde(default)]
    pub payment_state: crate::payment::PaymentState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackingLine {
    pub product_id: i64,
    pub name: String,
    /// The variant to pick ("M / Blue"); empty for a product sold as itself.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub variant: String,
    /// The variant's SKU when it has one, for finding it on the shelf.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sku: String,
    pub quantity: u32,
}

/// `PUT /api/orders/{id}/items`: new quantities; 0 removes a line, at least one must stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeItems {
    pub items: Vec<SetQuantity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnRequest {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipOrder {
    pub carrier: Carrier,
    pub tracking_number: String,
}

/// The storefront's page for an order, opened with its link's token: what e-mails link
/// to, and what the web app shows after an order is placed or a change to it is sent.
pub fn page_href(number: &str, token: &str) -> String {
    format!("/orders/{number}?token={token}")
}

/// Reads an order number as a shopper types it: `A000012`, `a000012`, `A-000 012` or
/// `#A000012` are the same order.
pub fn parse_order_number(raw: &str) -> Result<String, FieldError> {
    let s: String = raw.trim().trim_start_matches('#').chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if s.is_empty() {
        return Err(FieldError::new("order_number", "Please enter the order number, like A000012."));
    }
    if s.len() > 20 || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(FieldError::new("order_number", "An order number is letters and digits, like A000012."));
    }
    Ok(s.to_ascii_uppercase())
}

/// `POST /api/orders/find`: "find my order". If an order with this number was placed
/// with this address, a link to it is e-mailed there; the answer is the same either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindOrder {
    pub email: String,
    pub order_number: String,
}

#[cfg(test)]
mod tests {
    use super::parse_order_number;

    #[test]
    fn order_numbers_are_read_as_shoppers_type_them() {
        for typed in ["A000012", "a000012", " A-000 012 ", "#A000012"] {
            assert_eq!(parse_order_number(typed).unwrap(), "A000012", "{typed:?}");
        }
        assert!(parse_order_number("").is_err());
        assert!(parse_order_number("A0000'12").is_err());
        assert!(parse_order_number(&"9".repeat(21)).is_err());
    }
}
