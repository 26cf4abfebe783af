//! Markets: a currency and its price list for a group of delivery countries.
//!
//! The shop prices its catalogue in its own currency (the **home market**: every country
//! no other market names). Each further market, say the UK in pounds or Switzerland in
//! francs, prices every product at the shop's price × the market's exchange rate,
//! rounded the shop's way (up to .99, up to .95, to whole units, or to the cent),
//! unless staff set the product's or variant's price in that market by hand (an
//! **override**). Delivery prices, fees and the amounts of discount codes convert at
//! the same rate, to the cent.
//!
//! Prices are converted here, once, and both sides use it: the web app converts what
//! the catalogue (online or its offline copy) gives it, and the server converts the
//! same way when it checks and takes the order (delivery and fees:
//! `ShopRules::in_market`). An order is charged and kept in its market's currency.
//!
//! A was-price converts too. A product on sale with an override is sold at the
//! override reduced by the same share as the shop's own price (€40 → €30 is 25 % off,
//! so an override of £35 sells at £26.25, rounded the market's way), so a sale reaches
//! every market without staff entering it twice.

use crate::{cart::Cart, catalogue::variant::Variant, pricing::money::Currency, Money, Product, ProductSummary};
use serde::{Deserialize, Serialize};

pub mod form;

/// How a converted price is rounded. The endings round up, so a converted price never
/// undercuts the exchange rate; the same price always rounds to the same figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Rounding {
    /// To the cent (half up): 12.344 → 12.34.
    #[default]
    Cent,
    /// Up to a price ending in .99: 12.30 → 12.99, 12.99 → 12.99.
    Ends99,
    /// Up to a price ending in .95: 12.30 → 12.95, 12.96 → 13.95.
    Ends95,
    /// Up to a whole unit: 12.30 → 13.00.
    Whole,
}

impl Rounding {
    /// `minor` (already to the cent) rounded this way, for a currency with `exponent`
    /// decimals. A currency without decimals (yen) is left as it is.
    pub fn apply(self, minor: i64, exponent: u32) -> i64 {
        if exponent == 0 || minor <= 0 {
            return minor;
        }
        let unit = 10i64.pow(exponent);
        let up_to_ending = |ending: i64| {
            // The smallest `k * unit + ending` that is at least `minor`.
            let k = (minor - ending + unit - 1).div_euclid(unit);
            k.max(0) * unit + ending
        };
        match self {
            Rounding::Cent => minor,
            Rounding::Ends99 => up_to_ending(unit - 1),
            Rounding::Ends95 => up_to_ending(unit - unit / 20),
            Rounding::Whole => up_to_ending(0).max(unit),
        }
    }
}

/// An exchange rate: how many of the market's units one unit of the shop's currency
/// buys, to six decimals. Written as a string in the rules file ("0.86") so no float
/// rounds it differently on two machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    /// The rate × 1,000,000.
    pub millionths: i64,
}

pub const MAX_RATE_MILLIONTHS: i64 = 1_000_000_000;

impl Rate {
    /// Reads "0.86", "1", "1.0834"; at most six decimals, more than 0, at most 1000.
    pub fn parse(raw: &str) -> Result<Rate, String> {
        let raw = raw.trim();
        let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !(digits(frac) || !raw.contains('.')) || frac.len() > 6 || whole.len() > 4 {
            return Err(format!("exchange rate {raw:?}: a number such as 0.86, with at most six decimals"));
        }
        let whole: i64 = whole.parse().map_err(|_| format!("exchange rate {raw:?} is not a number"))?;
        let frac_value: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| format!("exchange rate {raw:?} is not a number"))? };
        let millionths = whole * 1_000_000 + frac_value * 10i64.pow(6 - frac.len() as u32);
        if millionths <= 0 || millionths > MAX_RATE_MILLIONTHS {
            return Err(format!("exchange rate {raw:?}: more than 0 and at most 1000"));
        }
        Ok(Rate { millionths })
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let frac = format!("{:06}", self.millionths % 1_000_000);
        let frac = frac.trim_end_matches('0');
        match frac {
            "" => write!(f, "{}", self.millionths / 1_000_000),
            _ => write!(f, "{}.{frac}", self.millionths / 1_000_000),
        }
    }
}

impl Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rate, D::Error> {
        let raw = String::deserialize(d)?;
        Rate::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Rate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String).examples(["0.86"]).into()
    }
}
#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Rate {}

/// A market other than the shop's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Market {
    pub currency: Currency,
    /// ISO 3166-1 alpha-2 codes of the countries it serves; each must be delivered to.
    pub countries: Vec<String>,
    /// Units of this currency per unit of the shop's.
    pub rate: Rate,
    #[serde(default)]
    pub rounding: Rounding,
}

impl Market {
    /// `minor` of the shop's currency `from` in this market, to the cent (half up).
    pub fn convert(&self, minor: i64, from: Currency) -> i64 {
        let n = i128::from(minor) * i128::from(self.rate.millionths) * 10i128.pow(self.currency.exponent());
        let d = 10i128.pow(from.exponent()) * 1_000_000;
        // Half up, away from zero for negative amounts (a credit converts like a price).
        let q = (n.abs() * 2 + d) / (2 * d);
        i64::try_from(q * n.signum()).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
    }

    /// A shop's price converted and rounded the market's way.
    pub fn price(&self, minor: i64, from: Currency) -> i64 {
        self.rounding.apply(self.convert(minor, from), self.currency.exponent())
    }

    /// What an item sells for here: the override, else the shop's price converted;
    /// `price` and `compare_at` are the shop's. See the module's notes for a sale.
    pub fn item(&self, price: Money, compare_at: Option<Money>, overrides: &[Money]) -> (Money, Option<Money>) {
        let here = |minor| Money::new(minor, self.currency);
        let over = overrides.iter().find(|m| m.currency == self.currency).map(|m| m.minor);
        let (now, was) = match (over, compare_at.filter(|w| w.minor > price.minor && price.minor > 0)) {
            (Some(o), Some(was)) => {
                let share = i128::from(o) * i128::from(price.minor);
                let reduced = i64::try_from((share * 2 + i128::from(was.minor)) / (2 * i128::from(was.minor))).unwrap_or(o);
                (self.rounding.apply(reduced, self.currency.exponent()), Some(o))
            }
            (Some(o), None) => (o, None),
            (None, was) => (self.price(price.minor, price.currency), was.map(|w| self.price(w.minor, w.currency))),
        };
        // Rounding may bring the two together; a was-price equal to the price says nothing.
        (here(now), was.filter(|w| *w > now).map(here))
    }

    pub fn serves(&self, country: &str) -> bool {
        self.countries.iter().any(|c| c.eq_ignore_ascii_case(country))
    }
}

/// The markets a shop sells in, as the rules file lists them (the home market is
/// implied).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Markets(pub Vec<Market>);

impl Markets {
    /// The market that sells to `country`; `None`: the home market.
    pub fn for_country(&self, country: &str) -> Option<&Market> {
        self.0.iter().find(|m| m.serves(country))
    }

    /// The market pricing in `currency`; `None`: the home market (or no such market).
    pub fn for_currency(&self, currency: Currency) -> Option<&Market> {
        self.0.iter().find(|m| m.currency == currency)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Checks markets read from the operator's file against the shop's currency and the
    /// countries it delivers to.
    pub fn check(&self, home: Currency, delivered: &[&str]) -> Result<(), String> {
        for (i, m) in self.0.iter().enumerate() {
            if m.currency == home {
                return Err(format!("market {}: that is the shop's own currency (its prices need no market)", m.currency.code()));
            }
            if self.0[..i].iter().any(|o| o.currency == m.currency) {
                return Err(format!("market {} is listed twice", m.currency.code()));
            }
            if m.countries.is_empty() {
                return Err(format!("market {} names no country", m.currency.code()));
            }
            for c in &m.countries {
                if !delivered.iter().any(|d| d.eq_ignore_ascii_case(c)) {
                    return Err(format!("market {}: the shop does not deliver to {c:?}", m.currency.code()));
                }
                if self.0[..i].iter().any(|o| o.serves(c)) {
                    return Err(format!("country {c} is in two markets"));
                }
            }
        }
        Ok(())
    }
}

/// Prices read from the catalogue, in the shop's currency, turned into a market's.
/// With `None` (the home market) nothing changes.
pub trait InMarket {
    fn in_market(&mut self, market: Option<&Market>);
}

impl InMarket for ProductSummary {
    fn in_market(&mut self, market: Option<&Market>) {
        if let Some(m) = market.filter(|m| m.currency != self.price.currency) {
            (self.price, self.compare_at) = m.item(self.price, self.compare_at, &self.market_prices);
        }
    }
}

impl InMarket for Variant {
    fn in_market(&mut self, market: Option<&Market>) {
        if let Some(m) = market.filter(|m| m.currency != self.price.currency) {
            (self.price, self.compare_at) = m.item(self.price, self.compare_at, &self.market_prices);
        }
    }
}

impl InMarket for Product {
    fn in_market(&mut self, market: Option<&Market>) {
        if let Some(m) = market.filter(|m| m.currency != self.price.currency) {
            (self.price, self.compare_at) = m.item(self.price, self.compare_at, &self.market_prices);
            self.variants.iter_mut().for_each(|v| v.in_market(market));
            // A product sold in variants costs, from the outside, its cheapest variant.
            if let Some(cheapest) = self.variants.iter().min_by_key(|v| v.price.minor) {
                (self.price, self.compare_at) = (cheapest.price, cheapest.compare_at);
            }
        }
    }
}

impl<T: InMarket> InMarket for Vec<T> {
    fn in_market(&mut self, market: Option<&Market>) {
        self.iter_mut().for_each(|t| t.in_market(market));
    }
}

impl<T: InMarket> InMarket for Option<T> {
    fn in_market(&mut self, market: Option<&Market>) {
        if let Some(t) = self {
            t.in_market(market);
        }
    }
}

impl InMarket for crate::CategoryPage {
    fn in_market(&mut self, market: Option<&Market>) {
        self.items.in_market(market);
    }
}

impl InMarket for crate::SearchResults {
    fn in_market(&mut self, market: Option<&Market>) {
        self.items.in_market(market);
    }
}

impl InMarket for crate::BrandPage {
    fn in_market(&mut self, market: Option<&Market>) {
        self.items.in_market(market);
    }
}

impl InMarket for Cart {
    /// Every line at the market's price, the total summed again, and a fixed-amount
    /// code's figures converted.
    fn in_market(&mut self, market: Option<&Market>) {
        let Some(m) = market else { return };
        // Lines added on the device were priced there already; the shop's are not.
        let Some(from) = self.lines.iter().map(|l| l.product.price.currency).find(|c| *c != m.currency) else { return };
        for l in self.lines.iter_mut().filter(|l| l.product.price.currency != m.currency) {
            l.product.in_market(market);
            l.line_total = Money::new(l.product.price.minor.saturating_mul(i64::from(l.quantity)), m.currency);
        }
        if self.total.is_some() {
            self.total = Some(Money::new(self.lines.iter().map(|l| l.line_total.minor).sum(), m.currency));
        }
        if let Some(code) = &mut self.code {
            code.in_market(m, from);
        }
    }
}

impl crate::offers::AppliedCode {
    /// The code's amounts (a fixed discount, a minimum spend) in `market`'s currency.
    pub fn in_market(&mut self, market: &Market, from: Currency) {
        if let crate::offers::Benefit::Fixed { amount_minor } = &mut self.benefit {
            *amount_minor = market.convert(*amount_minor, from);
        }
        if let Some(min) = &mut self.min_spend_minor {
            *min = market.convert(*min, from);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn market(currency: Currency, rate: &str, rounding: Rounding) -> Market {
        Market { currency, countries: vec!["GB".into()], rate: Rate::parse(rate).expect("rate"), rounding }
    }

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    #[test]
    fn rates_read_exactly_and_refuse_nonsense() {
        assert_eq!(Rate::parse("0.86").map(|r| r.millionths), Ok(860_000));
        assert_eq!(Rate::parse("1").map(|r| r.millionths), Ok(1_000_000));
        assert_eq!(Rate::parse(" 1.083456 ").map(|r| r.millionths), Ok(1_083_456));
        for bad in ["", "0", "-1", "1.2345678", "abc", "1,2", ".5", "5.", "10000"] {
            assert!(Rate::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Rate::parse("0.860").map(|r| r.to_string()), Ok("0.86".into()));
    }

    #[test]
    fn rounding_goes_up_to_the_shops_ending() {
        assert_eq!(Rounding::Ends99.apply(1230, 2), 1299);
        assert_eq!(Rounding::Ends99.apply(1299, 2), 1299);
        assert_eq!(Rounding::Ends99.apply(1300, 2), 1399);
        assert_eq!(Rounding::Ends95.apply(1230, 2), 1295);
        assert_eq!(Rounding::Ends95.apply(1296, 2), 1395);
        assert_eq!(Rounding::Ends95.apply(50, 2), 95);
        assert_eq!(Rounding::Whole.apply(1230, 2), 1300);
        assert_eq!(Rounding::Whole.apply(3, 2), 100);
        assert_eq!(Rounding::Cent.apply(1234, 2), 1234);
        assert_eq!(Rounding::Ends99.apply(1234, 0), 1234, "yen has no cents to end in");
    }

    #[test]
    fn a_price_converts_at_the_rate_and_rounds_the_markets_way() {
        let uk = market(Currency::GBP, "0.86", Rounding::Ends99);
        // €24.90 × 0.86 = £21.414 → £21.41 → £21.99
        assert_eq!(uk.item(eur(2490), None, &[]), (Money::new(2199, Currency::GBP), None));
        assert_eq!(uk.convert(490, Currency::EUR), 421, "delivery converts to the cent");
        let jp = market(Currency::JPY, "160", Rounding::Cent);
        assert_eq!(jp.convert(1250, Currency::EUR), 2000, "€12.50 is ¥2000: the exponents differ");
    }

    #[test]
    fn an_override_wins_and_a_sale_reduces_it_by_the_same_share() {
        let uk = market(Currency::GBP, "0.86", Rounding::Cent);
        let over = [Money::new(3500, Currency::GBP), Money::new(4000, Currency::CHF)];
        assert_eq!(uk.item(eur(4000), None, &over), (Money::new(3500, Currency::GBP), None));
        // 25 % off in the shop's currency: 25 % off the override.
        assert_eq!(uk.item(eur(3000), Some(eur(4000)), &over), (Money::new(2625, Currency::GBP), Some(Money::new(3500, Currency::GBP))));
    }

    #[test]
    fn a_was_price_rounded_onto_the_price_is_dropped() {
        let uk = market(Currency::GBP, "0.86", Rounding::Ends99);
        // €10.00 and €10.10 both become £8.99.
        assert_eq!(uk.item(eur(1000), Some(eur(1010)), &[]), (Money::new(899, Currency::GBP), None));
    }

    #[test]
    fn markets_are_checked_against_the_shop() {
        let ok = Markets(vec![market(Currency::GBP, "0.86", Rounding::Ends99)]);
        assert_eq!(ok.check(Currency::EUR, &["DE", "GB"]), Ok(()));
        assert!(ok.check(Currency::GBP, &["GB"]).is_err(), "the shop's own currency");
        assert!(ok.check(Currency::EUR, &["DE"]).is_err(), "a country not delivered to");
        let twice = Markets(vec![market(Currency::GBP, "0.86", Rounding::Cent), market(Currency::CHF, "0.94", Rounding::Cent)]);
        assert!(twice.check(Currency::EUR, &["GB"]).is_err(), "GB in two markets");
        assert_eq!(ok.for_country("gb").map(|m| m.currency), Some(Currency::GBP));
        assert_eq!(ok.for_country("DE"), None);
    }

    proptest! {
        #[test]
        fn a_rounded_price_is_never_below_the_rate_and_ends_the_shops_way(minor in 1i64..100_000_000, rounding in prop::sample::select(vec![Rounding::Cent, Rounding::Ends99, Rounding::Ends95, Rounding::Whole])) {
            let r = rounding.apply(minor, 2);
            prop_assert!(r >= minor);
            prop_assert!(r - minor < 100, "never more than one unit up");
            match rounding {
                Rounding::Ends99 => prop_assert_eq!(r % 100, 99),
                Rounding::Ends95 => prop_assert_eq!(r % 100, 95),
                Rounding::Whole => prop_assert_eq!(r % 100, 0),
                Rounding::Cent => prop_assert_eq!(r, minor),
            }
        }

        #[test]
        fn conversion_keeps_the_order_of_prices(a in 0i64..10_000_000, b in 0i64..10_000_000, rate in 1i64..5_000_000) {
            let m = Market { currency: Currency::GBP, countries: vec![], rate: Rate { millionths: rate }, rounding: Rounding::Ends99 };
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(m.price(lo, Currency::EUR) <= m.price(hi, Currency::EUR), "a dearer product is never cheaper abroad");
        }

        #[test]
        fn a_sale_never_raises_an_overridden_price(over in 1i64..1_000_000, was in 2i64..1_000_000, cut in 1i64..100) {
            let m = market(Currency::GBP, "0.86", Rounding::Cent);
            let now = (was * (100 - cut) / 100).max(1);
            let (price, shown_was) = m.item(eur(now), Some(eur(was)), &[Money::new(over, Currency::GBP)]);
            prop_assert!(price.minor <= over);
            prop_assert!(shown_was.is_none_or(|w| w.minor == over && w.minor > price.minor));
        }
    }
}
