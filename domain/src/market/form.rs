//! Prices for other markets as staff type them, on a product's or a variant's form.

use crate::{customer::FieldError, pricing::amount::parse_amount, Currency, Money};
use serde::{Deserialize, Serialize};

/// A price typed for one market: `"21.99"` in `GBP`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarketPriceForm {
    pub currency: Currency,
    #[serde(default)]
    pub price: String,
}

/// The prices typed per market: the filled ones, or every problem, each against its
/// own field (`market_price_GBP`).
pub fn parse_market_prices(typed: &[MarketPriceForm]) -> Result<Vec<Money>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out: Vec<Money> = Vec::new();
    for t in typed.iter().filter(|t| !t.price.trim().is_empty()) {
        let field: &'static str = match t.currency {
            Currency::EUR => "market_price_EUR",
            Currency::GBP => "market_price_GBP",
            Currency::CHF => "market_price_CHF",
            Currency::USD => "market_price_USD",
            Currency::JPY => "market_price_JPY",
        };
        if out.iter().any(|m| m.currency == t.currency) {
            errors.push(FieldError::new(field, "That market's price is given twice."));
            continue;
        }
        match parse_amount(field, &format!("The price in {}", t.currency.code()), &t.price, t.currency) {
            Ok(0) => errors.push(FieldError::new(field, "A price above zero, or empty to convert the shop's price.")),
            Ok(minor) => out.push(Money::new(minor, t.currency)),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

