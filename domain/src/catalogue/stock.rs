//! Real stock levels, said in words a shopper acts on. "Only 3 left" tells them to buy
//! now; an exact count of 4,312 tells them nothing, so large counts read "In stock".

use serde::{Deserialize, Serialize};
use std::fmt;

/// The most units staff can set a product's or a variant's stock to.
pub const MAX_STOCK: i64 = 1_000_000;

/// At or below this many units a product shows "Only N left".
pub const LOW_STOCK_THRESHOLD: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StockLevel {
    InStock,
    Low(u32),
    OutOfStock,
}

impl StockLevel {
    /// Classifies a stock count; negative counts (which the database never should hold)
    /// read as out of stock rather than as something that can be bought.
    pub fn from_count(count: i64) -> StockLevel {
        if count <= 0 {
            StockLevel::OutOfStock
        } else if count <= LOW_STOCK_THRESHOLD {
            StockLevel::Low(count as u32)
        } else {
            StockLevel::InStock
        }
    }

    pub fn can_buy(self) -> bool {
        !matches!(self, StockLevel::OutOfStock)
    }

    /// A short machine-readable tag, used as a CSS class.
    pub fn tag(self) -> &'static str {
        match self {
            StockLevel::InStock => "in-stock",
            StockLevel::Low(_) => "low-stock",
            StockLevel::OutOfStock => "out-of-stock",
        }
    }
}

impl fmt::Display for StockLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StockLevel::InStock => f.write_str("In stock"),
            StockLevel::Low(n) => write!(f, "Only {n} left"),
            StockLevel::OutOfStock => f.write_str("Out of stock"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetStock {
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000))]
    pub stock: i64,
}

/// A live stock level, pushed to product pages: the product's, and each variant's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockUpdate {
    pub product_id: i64,
    pub stock: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantStock>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariantStock {
    pub id: i64,
    pub stock: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(StockLevel::from_count(100).to_string(), "In stock");
        assert_eq!(StockLevel::from_count(6).to_string(), "In stock");
        assert_eq!(StockLevel::from_count(5).to_string(), "Only 5 left");
        assert_eq!(StockLevel::from_count(1).to_string(), "Only 1 left");
        assert_eq!(StockLevel::from_count(0).to_string(), "Out of stock");
        assert_eq!(StockLevel::from_count(-3).to_string(), "Out of stock");
    }

    #[test]
    fn only_stock_on_hand_can_be_bought() {
        assert!(StockLevel::from_count(1).can_buy());
        assert!(!StockLevel::from_count(0).can_buy());
    }
}

/// `POST /api/products/{id}/alerts`: "e-mail me when it's back". A guest gives the
/// address; a signed-in shopper may leave it out to use their account's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockAlertRequest {
    #[serde(default)]
    pub email: Option<String>,
    /// One size or colour of a product sold in variants; none for the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<i64>,
}
