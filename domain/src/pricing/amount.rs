//! Amounts as people type them and read them back: `12.50`, `12,50`, `€12`, in a
//! currency's minor units. Staff's forms and imports and shoppers' price filters read
//! them the same way.

use super::money::Currency;
use crate::customer::FieldError;

/// The most a price may be, in major units: far above any shop's product, far below
/// where minor units could overflow in a cart's total.
pub const MAX_PRICE_MAJOR: i64 = 10_000_000;

/// An amount as staff type it — `12.50`, `12,50`, `12`, `€12.50` — in `currency`'s
/// minor units. Never negative, at most the currency's decimals.
pub fn parse_amount(field: &'static str, label: &str, raw: &str, currency: Currency) -> Result<i64, FieldError> {
    let s = raw.trim().trim_start_matches(currency.symbol()).trim();
    let bad = || FieldError::new(field, format!("{label} must be an amount like 12.50, not {:?}.", raw.trim()));
    if s.starts_with('-') {
        return Err(FieldError::new(field, format!("{label} cannot be negative.")));
    }
    let s = s.replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let exp = currency.exponent() as usize;
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 9 {
        return Err(bad());
    }
    if frac.len() > exp {
        return Err(FieldError::new(field, format!("{label} can have at most {exp} decimals in {}.", currency.code())));
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    if whole > MAX_PRICE_MAJOR {
        return Err(FieldError::new(field, format!("{label} can be at most {MAX_PRICE_MAJOR}.")));
    }
    let frac_minor: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<exp$}").parse().map_err(|_| bad())? };
    Ok(whole * 10i64.pow(exp as u32) + frac_minor)
}

/// An amount in minor units as staff type it back: `12.50`.
pub fn amount_text(minor: i64, currency: Currency) -> String {
    let exp = currency.exponent();
    if exp == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(exp);
    format!("{}.{:0width$}", minor / scale, minor % scale, width = exp as usize)
}
