//! Money is kept as an integer count of the currency's minor unit (cents, pence), never
//! as a float, so totals add up exactly on both the server and in the browser.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The currencies a shop can price in. Each knows its symbol and how many minor units
/// make one major unit, which differs between currencies (JPY has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    EUR,
    GBP,
    CHF,
    USD,
    JPY,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::EUR => "EUR",
            Currency::GBP => "GBP",
            Currency::CHF => "CHF",
            Currency::USD => "USD",
            Currency::JPY => "JPY",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::EUR => "€",
            Currency::GBP => "£",
            // Swiss prices are written with the code: "CHF 12.90".
            Currency::CHF => "CHF",
            Currency::USD => "$",
            Currency::JPY => "¥",
        }
    }

    /// A symbol made of letters ("CHF") stands apart from the number.
    pub fn spaced(self) -> bool {
        self.symbol().chars().all(|c| c.is_ascii_alphabetic())
    }

    /// Number of decimal places of the minor unit (ISO 4217 exponent).
    pub fn exponent(self) -> u32 {
        match self {
            Currency::JPY => 0,
            _ => 2,
        }
    }

    /// Parses an ISO 4217 code such as `"EUR"`, ignoring case.
    pub fn parse(code: &str) -> Result<Currency, String> {
        match code.trim().to_ascii_uppercase().as_str() {
            "EUR" => Ok(Currency::EUR),
            "GBP" => Ok(Currency::GBP),
            "CHF" => Ok(Currency::CHF),
            "USD" => Ok(Currency::USD),
            "JPY" => Ok(Currency::JPY),
            other => Err(format!("unsupported currency {other:?}")),
        }
    }
}

/// An amount of money: `minor` units of `currency` (1250 EUR means €12.50).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Multiplies by a quantity; `None` on overflow rather than a wrapped wrong price.
    pub fn times(self, quantity: u32) -> Option<Money> {
        self.minor
            .checked_mul(i64::from(quantity))
            .map(|minor| Money::new(minor, self.currency))
    }

    /// Adds two amounts of the same currency; `None` if the currencies differ or on overflow.
    pub fn plus(self, other: Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money::new(minor, self.currency))
    }
}

impl fmt::Display for Money {
    /// Formats as the shopper reads it: `€12.50`, `-£0.99`, `¥1200`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let exp = self.currency.exponent();
        let symbol = self.currency.symbol();
        let symbol = if self.currency.spaced() { format!("{symbol}\u{a0}") } else { symbol.to_string() };
        if exp == 0 {
            return write!(f, "{sign}{symbol}{abs}");
        }
        let scale = 10u64.pow(exp);
        write!(
            f,
            "{sign}{symbol}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = exp as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_minor_units_with_the_currency_exponent() {
        assert_eq!(Money::new(1250, Currency::EUR).to_string(), "€12.50");
        assert_eq!(Money::new(5, Currency::GBP).to_string(), "£0.05");
        assert_eq!(Money::new(0, Currency::USD).to_string(), "$0.00");
        assert_eq!(Money::new(1200, Currency::JPY).to_string(), "¥1200");
        assert_eq!(Money::new(-99, Currency::GBP).to_string(), "-£0.99");
        assert_eq!(Money::new(1290, Currency::CHF).to_string(), "CHF\u{a0}12.90");
    }

    #[test]
    fn formats_the_most_negative_amount_without_overflow() {
        let s = Money::new(i64::MIN, Currency::EUR).to_string();
        assert!(s.starts_with("-€"));
    }

    #[test]
    fn arithmetic_refuses_overflow_and_mixed_currencies() {
        let price = Money::new(1999, Currency::EUR);
        assert_eq!(price.times(3), Some(Money::new(5997, Currency::EUR)));
        assert_eq!(Money::new(i64::MAX, Currency::EUR).times(2), None);
        assert_eq!(price.plus(Money::new(1, Currency::USD)), None);
        assert_eq!(price.plus(Money::new(1, Currency::EUR)), Some(Money::new(2000, Currency::EUR)));
    }

    #[test]
    fn parses_currency_codes() {
        assert_eq!(Currency::parse("eur"), Ok(Currency::EUR));
        assert!(Currency::parse("XYZ").is_err());
    }
}
