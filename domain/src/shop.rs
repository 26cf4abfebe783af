//! Accounts, carts and orders as they cross the wire between the API and the web app.

use crate::{
    customer::AddressInput,
    order::{OrderAction, OrderStatus},
    Money, ProductSummary,
};
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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub id: i64,
    #[serde(flatten)]
    pub fields: AddressInput,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartLine {
    pub product: ProductSummary,
    pub quantity: u32,
    pub line_total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cart {
    pub lines: Vec<CartLine>,
    /// Units in the cart, for the header badge.
    pub count: u32,
    /// `None` for an empty cart.
    pub total: Option<Money>,
}

impl Cart {
    /// Builds a cart from its lines, computing line totals, count and total.
    pub fn from_lines(items: Vec<(ProductSummary, u32)>) -> Cart {
        let mut lines = Vec::with_capacity(items.len());
        let mut total: Option<Money> = None;
        let mut count = 0u32;
        for (product, quantity) in items {
            let line_total = product.price.times(quantity).unwrap_or(product.price);
            total = Some(match total {
                None => line_total,
                Some(t) => t.plus(line_total).unwrap_or(t),
            });
            count = count.saturating_add(quantity);
            lines.push(CartLine { product, quantity, line_total });
        }
        Cart { lines, count, total }
    }
}

/// `PUT /api/cart/items`: set a product's quantity; 0 removes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetQuantity {
    pub product_id: i64,
    /// 0 removes the product.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 99))]
    pub quantity: i64,
}

/// What the shopper saw in the cart when they pressed "Place order". The server
/// compares it with current prices and stock and refuses, explaining, if they differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpectedLine {
    pub product_id: i64,
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
    pub expected: Vec<ExpectedLine>,
    /// Signed-in shoppers may save the address to their address book.
    #[serde(default)]
    pub save_address: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderItem {
    pub product_id: i64,
    pub slug: String,
    pub name: String,
    pub unit_price: Money,
    pub quantity: u32,
    pub line_total: Money,
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
    pub carrier: String,
    pub tracking_number: String,
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
    pub carrier: String,
    pub tracking_number: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetStock {
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000))]
    pub stock: i64,
}

/// A live stock level, pushed to product pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockUpdate {
    pub product_id: i64,
    pub stock: i64,
}

pub fn payment_method_label(method: &str) -> &str {
    match method {
        PAY_ON_DELIVERY => "Pay on delivery",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn product(id: i64, minor: i64) -> ProductSummary {
        ProductSummary { id, slug: format!("p{id}"), name: format!("P{id}"), price: Money::new(minor, Currency::EUR), stock: 10, category_slug: "c".into() }
    }

    #[test]
    fn cart_totals_add_up_exactly() {
        let cart = Cart::from_lines(vec![(product(1, 1999), 3), (product(2, 1), 2)]);
        assert_eq!(cart.count, 5);
        assert_eq!(cart.lines[0].line_total, Money::new(5997, Currency::EUR));
        assert_eq!(cart.total, Some(Money::new(5999, Currency::EUR)));
        assert_eq!(Cart::from_lines(vec![]).total, None);
    }
}
