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

/// Saved prices as a form shows them again.
pub fn of(prices: &[Money]) -> Vec<MarketPriceForm> {
    prices.iter().map(|m| MarketPriceForm { currency: m.currency, price: crate::pricing::amount::amount_text(m.minor, m.currency) }).collect()
}

/// The form field of `currency`'s price: where its problems are shown.
pub fn field(currency: Currency) -> &'static str {
    match currency {
        Currency::EUR => "market_price_EUR",
        Currency::GBP => "market_price_GBP",
        Currency::CHF => "market_price_CHF",
        Currency::USD => "market_price_USD",
        Currency::JPY => "market_price_JPY",
    }
}

/// What is typed for `currency` (empty when nothing is).
pub fn typed(list: &Option<Vec<MarketPriceForm>>, currency: Currency) -> String {
    list.iter().flatten().find(|p| p.currency == currency).map(|p| p.price.clone()).unwrap_or_default()
}

/// Notes `price` typed for `currency`, in the list a form sends.
pub fn set(list: &mut Option<Vec<MarketPriceForm>>, currency: Currency, price: String) {
    let list = list.get_or_insert_with(Vec::new);
    match list.iter_mut().find(|p| p.currency == currency) {
        Some(p) => p.price = price,
        None => list.push(MarketPriceForm { currency, price }),
    }
}

/// The prices typed per market: the filled ones, or every problem, each against its
/// own field (`market_price_GBP`).
pub fn parse_market_prices(typed: &[MarketPriceForm]) -> Result<Vec<Money>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out: Vec<Money> = Vec::new();
    for t in typed.iter().filter(|t| !t.price.trim().is_empty()) {
        let field = field(t.currency);
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


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_prices_are_kept_per_currency_and_read_with_each_problem_on_its_field() {
        let mut list = None;
        set(&mut list, Currency::GBP, "21.99".into());
        set(&mut list, Currency::CHF, "0".into());
        set(&mut list, Currency::GBP, "19.99".into());
        assert_eq!(typed(&list, Currency::GBP), "19.99");
        assert_eq!(typed(&list, Currency::USD), "");
        let problems = parse_market_prices(list.as_deref().unwrap_or_default()).expect_err("a zero price");
        assert_eq!(problems.iter().map(|p| p.field).collect::<Vec<_>>(), vec!["market_price_CHF"]);
        set(&mut list, Currency::CHF, String::new());
        assert_eq!(parse_market_prices(list.as_deref().unwrap_or_default()), Ok(vec![Money::new(1999, Currency::GBP)]));
        assert_eq!(of(&[Money::new(1999, Currency::GBP)]), vec![MarketPriceForm { currency: Currency::GBP, price: "19.99".into() }]);
    }
}
