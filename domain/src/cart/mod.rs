//! The cart as it crosses the wire, and its totals.

use crate::{Money, ProductSummary};
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn product(id: i64, minor: i64) -> ProductSummary {
        ProductSummary { id, slug: format!("p{id}"), name: format!("P{id}"), price: Money::new(minor, Currency::EUR), compare_at: None, rating: None, stock: 10, category_slug: "c".into(), photo: None }
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
