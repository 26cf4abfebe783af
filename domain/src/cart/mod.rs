//! The cart as it crosses the wire, and its totals.

use crate::{Money, ProductSummary};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartLine {
    /// For a variant, its price, "was" price, stock and photo stand in the product's.
    pub product: ProductSummary,
    /// The variant in the cart, for a product sold in options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<ChosenVariant>,
    pub quantity: u32,
    pub line_total: Money,
}

/// The variant a cart or order line holds, as the shopper sees it named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChosenVariant {
    pub id: i64,
    /// "M / Blue".
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sku: String,
}

/// "Tee (M / Blue)": a line's name as labels and messages say it.
pub fn line_name(product: &str, variant: Option<&ChosenVariant>) -> String {
    match variant {
        Some(v) => format!("{product} ({})", v.title),
        None => product.to_string(),
    }
}

impl CartLine {
    /// What the line is for: a product, or one variant of it. A cart holds each once.
    pub fn key(&self) -> (i64, Option<i64>) {
        (self.product.id, self.variant.as_ref().map(|v| v.id))
    }
}

/// A product summary as one of its variants is sold: that variant's price, stock and
/// photo (from the product's photos) in place of the product's.
pub fn as_variant(product: &crate::Product, variant: &crate::catalogue::variant::Variant) -> (ProductSummary, ChosenVariant) {
    let mut summary = product.summary();
    summary.price = variant.price;
    summary.compare_at = variant.compare_at;
    summary.stock = variant.stock;
    summary.market_prices = variant.market_prices.clone();
    if let Some(photo) = variant.photo_id.and_then(|id| product.photos.iter().find(|p| p.id == id)) {
        summary.photo = Some(photo.clone());
    }
    (summary, ChosenVariant { id: variant.id, title: variant.title(), sku: variant.sku.clone() })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cart {
    pub lines: Vec<CartLine>,
    /// Units in the cart, for the header badge.
    pub count: u32,
    /// `None` for an empty cart.
    pub total: Option<Money>,
    /// The discount code the shopper entered, with its terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<crate::offers::AppliedCode>,
}

impl Cart {
    /// The lines as a discount code looks at them.
    pub fn offer_lines(&self) -> Vec<crate::offers::OfferLine<'_>> {
        self.lines
            .iter()
            .map(|l| crate::offers::OfferLine { product_id: l.product.id, category_slug: &l.product.category_slug, amount_minor: l.line_total.minor })
            .collect()
    }

    /// What the cart's code takes off it now, or why nothing.
    pub fn discount(&self) -> Option<Result<crate::offers::Discount, crate::offers::CodeRefusal>> {
        self.code.as_ref().map(|c| c.discount(&self.offer_lines()))
    }

    /// Builds a cart from its lines, computing line totals, count and total.
    pub fn from_lines(items: Vec<(ProductSummary, Option<ChosenVariant>, u32)>) -> Cart {
        let mut lines = Vec::with_capacity(items.len());
        let mut total: Option<Money> = None;
        let mut count = 0u32;
        for (product, variant, quantity) in items {
            let line_total = product.price.times(quantity).unwrap_or(product.price);
            total = Some(match total {
                None => line_total,
                Some(t) => t.plus(line_total).unwrap_or(t),
            });
            count = count.saturating_add(quantity);
            lines.push(CartLine { product, variant, quantity, line_total });
        }
        Cart { lines, count, total, code: None }
    }
}

/// `PUT /api/cart/items`: set a product's (or one of its variants') quantity; 0
/// removes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetQuantity {
    pub product_id: i64,
    /// Which variant, for a product sold in options. Changes queued before variants
    /// existed have none, and name the product itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<i64>,
    /// 0 removes the product.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 99))]
    pub quantity: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn product(id: i64, minor: i64) -> ProductSummary {
        ProductSummary { market_prices: Default::default(), tax_class: Default::default(), id, slug: format!("p{id}"), name: format!("P{id}"), price: Money::new(minor, Currency::EUR), compare_at: None, rating: None, stock: 10, category_slug: "c".into(), photo: None }
    }

    #[test]
    fn cart_totals_add_up_exactly() {
        let cart = Cart::from_lines(vec![(product(1, 1999), None, 3), (product(2, 1), None, 2)]);
        assert_eq!(cart.count, 5);
        assert_eq!(cart.lines[0].line_total, Money::new(5997, Currency::EUR));
        assert_eq!(cart.total, Some(Money::new(5999, Currency::EUR)));
        assert_eq!(Cart::from_lines(vec![]).total, None);
    }
}
