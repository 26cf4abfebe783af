//! Where a shop delivers, how, at what price, and with what tax: the shop's rules, and
//! the quote a cart gets from them. The web app (offline too) and the server that takes
//! the order quote with the same rules and the same function, so the delivery line, the
//! tax lines and the total a shopper sees are the ones charged.
//!
//! - **Zones** group countries; each zone offers its **methods** (standard, express,
//!   pick-up point, collect in store), each with a price and, if the shop wants, a
//!   value from which it is free. A country in no zone is not delivered to.
//! - **Tax**: the shop's home country's rates apply, or, once the shop says it uses the
//!   EU's one-stop shop, the rates of the destination, when it has rates listed.
//!   A destination with no rates listed (outside the EU: Switzerland, the UK, the US)
//!   is an export and carries no VAT. Delivery is taxed at the standard rate.

pub mod promise;

use crate::pricing::totals::{self, Input, Line, PriceBasis, TaxClass, TaxRates, Totals, TotalsError};
use serde::{Deserialize, Serialize};

/// How a parcel reaches the shopper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MethodKind {
    #[default]
    Standard,
    Express,
    PickupPoint,
    Collect,
}

impl MethodKind {
    pub const ALL: [MethodKind; 4] = [MethodKind::Standard, MethodKind::Express, MethodKind::PickupPoint, MethodKind::Collect];

    pub fn as_str(self) -> &'static str {
        match self {
            MethodKind::Standard => "standard",
            MethodKind::Express => "express",
            MethodKind::PickupPoint => "pickup_point",
            MethodKind::Collect => "collect",
        }
    }

    pub fn parse(raw: &str) -> Option<MethodKind> {
        MethodKind::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    /// The English name, for e-mails and messages that speak English.
    pub fn label(self) -> &'static str {
        match self {
            MethodKind::Standard => "Standard delivery",
            MethodKind::Express => "Express delivery",
            MethodKind::PickupPoint => "Pick-up point",
            MethodKind::Collect => "Collect in store",
        }
    }
}

/// One way of delivering to a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Method {
    pub kind: MethodKind,
    /// In the shop's currency and price basis.
    pub price_minor: i64,
    /// From this value of goods (after discounts) on, delivery is free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_from_minor: Option<i64>,
    /// Working days on the way, after the shop has handed the parcel over.
    pub transit_days: u8,
}

/// Countries delivered to alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Zone {
    pub name: String,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// The first is the one offered first.
    pub methods: Vec<Method>,
}

/// A country's VAT rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryRates {
    pub country: String,
    pub rates: TaxRates,
}

/// How the shop taxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaxRules {
    pub basis: PriceBasis,
    /// Where the shop is: its rates apply unless [`TaxRules::one_stop_shop`].
    pub home: String,
    /// Charge the destination's rates (the EU's one-stop shop).
    #[serde(default)]
    pub one_stop_shop: bool,
    /// Countries whose VAT the shop charges; any other destination is an export.
    pub rates: Vec<CountryRates>,
}

/// `GET /api/checkout/rules`: everything a cart needs to be priced the way the shop prices it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShopRules {
    pub zones: Vec<Zone>,
    pub tax: TaxRules,
    /// The ways to pay the shop offers, in the order offered. Set by the server from
    /// its settings (a rules file need not name them).
    #[serde(default = "pay_on_delivery_only")]
    pub payments: Vec<crate::payment::PaymentMethod>,
    /// The version of the shop's terms an order placed now accepts. Set by the server
    /// (staff publish new versions at any time).
    #[serde(default)]
    pub terms_version: i64,
    /// Days after an order in which a price cut on what it bought is credited to the
    /// shopper (see `credit`); 0 turns it off, at most three months.
    #[serde(default = "three_months")]
    pub price_protection_days: u16,
    /// When parcels leave: the cut-off, handling days, dispatch and delivery days,
    /// holidays (see `promise`).
    #[serde(default)]
    pub dispatch: promise::Dispatch,
    /// The next cut-offs as instants, worked out by the server in the shop's time zone
    /// when it serves the rules (a rules file leaves it out).
    #[serde(default)]
    pub schedule: promise::Schedule,
    /// How long an order waits for its bank transfer before a reminder, and before it
    /// is cancelled.
    #[serde(default)]
    pub bank_transfer: crate::payment::TransferTerms,
    /// Days a business customer paying by invoice has to pay, from the invoice's day;
    /// 0: the shop does not offer payment by invoice.
    #[serde(default = "two_weeks")]
    pub invoice_due_days: u16,
    /// What a way of paying costs on top, in the shop's basis, taxed as delivery:
    /// `[{ "method": "pay_on_delivery", "fee_minor": 200 }]` (only pay on delivery may
    /// carry one). None by default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_fees: Vec<PaymentFee>,
    /// The currency the shop prices its catalogue in (the home market's). Set by the
    /// server from the catalogue.
    #[serde(default = "euro")]
    pub currency: crate::Currency,
    /// Further currencies, each for a group of countries, with its exchange rate and
    /// rounding (see [`crate::market`]). The built-in rules sell to the UK in pounds
    /// and to Switzerland in francs.
    #[serde(default)]
    pub markets: crate::market::Markets,
}

fn euro() -> crate::Currency {
    crate::Currency::EUR
}

/// A way of paying that costs extra (the courier's fee for collecting, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentFee {
    pub method: crate::payment::PaymentMethod,
    pub fee_minor: i64,
}

fn two_weeks() -> u16 {
    14
}

fn three_months() -> u16 {
    crate::credit::MAX_PROTECTION_DAYS
}

fn pay_on_delivery_only() -> Vec<crate::payment::PaymentMethod> {
    vec![crate::payment::PaymentMethod::PayOnDelivery]
}

/// Why a cart cannot be quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteError {
    /// The shop does not deliver to this country.
    NotDelivered,
    /// The country is delivered to, but not this way.
    MethodNotOffered,
    Totals(TotalsError),
}

impl std::fmt::Display for QuoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            QuoteError::NotDelivered => "We do not deliver to that country.",
            QuoteError::MethodNotOffered => "That delivery method is not offered for this address.",
            QuoteError::Totals(TotalsError::Invalid) => "A price in the cart cannot be used.",
            QuoteError::Totals(TotalsError::TooLarge) => "That order is too large.",
        })
    }
}

/// A method as offered for a cart: its price for these goods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offer {
    pub kind: MethodKind,
    /// 0 when the goods reach the method's free-delivery value.
    pub price_minor: i64,
    pub transit_days: u8,
}

/// A cart priced for one country and method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub method: MethodKind,
    /// Every method the country is offered, priced for these goods.
    pub offers: Vec<Offer>,
    /// How much more in goods makes the chosen method free, while it is not yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub away_from_free_minor: Option<i64>,
    pub basis: PriceBasis,
    pub totals: Totals,
    /// The rate delivery is taxed at (the destination's standard rate, or none).
    #[serde(default)]
    pub delivery_rate: totals::Rate,
}

/// Delivery is taxed at the standard rate (the simple rule most EU shops follow; the
/// rate of the main goods is the other one the law allows).
const DELIVERY_TAX: TaxClass = TaxClass::Standard;

impl ShopRules {
    /// The zone delivering to `country`, if any.
    pub fn zone(&self, country: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.countries.iter().any(|c| c.eq_ignore_ascii_case(country)))
    }

    pub fn delivers_to(&self, country: &str) -> bool {
        self.zone(country).is_some()
    }

    /// The VAT charged on goods sent to `country` (see the module's notes).
    pub fn rates_for(&self, country: &str) -> TaxRates {
        let listed = |c: &str| self.tax.rates.iter().find(|r| r.country.eq_ignore_ascii_case(c)).map(|r| r.rates);
        let export = TaxRates { standard: 0, reduced: 0 };
        match listed(country) {
            None => export,
            Some(there) if self.tax.one_stop_shop => there,
            Some(_) => listed(&self.tax.home).unwrap_or(export),
        }
    }

    /// Prices `lines` sent to `country` by `method` (the zone's first when `None`),
    /// with an offer's discount off the goods (and delivery free, if it says so).
    pub fn quote(&self, country: &str, method: Option<MethodKind>, lines: &[Line], offer: crate::offers::Discount) -> Result<Quote, QuoteError> {
        self.quote_paid(country, method, lines, offer, None)
    }

    /// The fee for paying by `method`, if the shop charges one.
    pub fn fee(&self, method: crate::payment::PaymentMethod) -> i64 {
        self.payment_fees.iter().find(|f| f.method == method).map_or(0, |f| f.fee_minor)
    }

    /// As [`ShopRules::quote`], paid by `payment` (with its fee); the cart, before a way
    /// of paying is chosen, passes none.
    pub fn quote_paid(&self, country: &str, method: Option<MethodKind>, lines: &[Line], offer: crate::offers::Discount, payment: Option<crate::payment::PaymentMethod>) -> Result<Quote, QuoteError> {
        let discount_minor = offer.discount_minor;
        let zone = self.zone(country).ok_or(QuoteError::NotDelivered)?;
        let goods = lines
            .iter()
            .try_fold(0i64, |sum, l| l.unit_minor.checked_mul(i64::from(l.quantity)).and_then(|a| sum.checked_add(a)))
            .ok_or(QuoteError::Totals(TotalsError::TooLarge))?;
        let after_discount = goods - discount_minor.clamp(0, goods.max(0));
        let price_of = |m: &Method| match m.free_from_minor {
            _ if offer.free_delivery => 0,
            Some(free) if after_discount >= free => 0,
            _ => m.price_minor,
        };
        let offers: Vec<Offer> = zone.methods.iter().map(|m| Offer { kind: m.kind, price_minor: price_of(m), transit_days: m.transit_days }).collect();
        let chosen = match method {
            Some(kind) => zone.methods.iter().find(|m| m.kind == kind).ok_or(QuoteError::MethodNotOffered)?,
            None => zone.methods.first().ok_or(QuoteError::NotDelivered)?,
        };
        let delivery = price_of(chosen);
        let away_from_free_minor = chosen.free_from_minor.filter(|_| delivery > 0).map(|free| free - after_discount).filter(|away| *away > 0);
        let rates = self.rates_for(country);
        let fee_minor = payment.map_or(0, |p| self.fee(p));
        let totals = totals::totals(Input { lines, delivery_minor: delivery, delivery_tax: DELIVERY_TAX, fee_minor, discount_minor, basis: self.tax.basis, rates })
            .map_err(QuoteError::Totals)?;
        Ok(Quote { method: chosen.kind, offers, away_from_free_minor, basis: self.tax.basis, totals, delivery_rate: rates.of(DELIVERY_TAX) })
    }

    /// Every country delivered to, as codes.
    pub fn countries(&self) -> impl Iterator<Item = &str> {
        self.zones.iter().flat_map(|z| z.countries.iter().map(String::as_str))
    }

    /// Checks rules read from the operator's file: every figure possible, every country
    /// in one zone only, every zone with a method, each method once per zone.
    pub fn check(&self) -> Result<(), String> {
        let mut seen: Vec<&str> = Vec::new();
        for z in &self.zones {
            if z.methods.is_empty() {
                return Err(format!("delivery zone {:?} has no methods", z.name));
            }
            for (i, m) in z.methods.iter().enumerate() {
                if m.price_minor < 0 || m.free_from_minor.is_some_and(|f| f < 0) {
                    return Err(format!("delivery zone {:?}: a price below zero", z.name));
                }
                if z.methods[..i].iter().any(|o| o.kind == m.kind) {
                    return Err(format!("delivery zone {:?} lists {} twice", z.name, m.kind.as_str()));
                }
            }
            for c in &z.countries {
                if crate::customer::country::country(c).is_none() {
                    return Err(format!("delivery zone {:?}: {c:?} is not a country code", z.name));
                }
                if seen.iter().any(|s| s.eq_ignore_ascii_case(c)) {
                    return Err(format!("country {c} is in two delivery zones"));
                }
                seen.push(c);
            }
        }
        self.dispatch.check()?;
        self.bank_transfer.check()?;
        if self.payment_fees.iter().any(|f| !(0..=10_000).contains(&f.fee_minor)) {
            return Err("payment_fees: a fee from 0 to 10000 (minor units) each".into());
        }
        // The EU forbids surcharges on transfers, direct debits and cards; the courier's
        // fee for collecting is a service of its own.
        if self.payment_fees.iter().any(|f| f.method != crate::payment::PaymentMethod::PayOnDelivery) {
            return Err("payment_fees: only pay_on_delivery may carry a fee (surcharges on transfers and cards are not allowed in the EU)".into());
        }
        let delivered: Vec<&str> = self.countries().collect();
        self.markets.check(self.currency, &delivered)?;
        if self.invoice_due_days > 90 {
            return Err(format!("invoice_due_days: {} is more than the 90 days a shop may give", self.invoice_due_days));
        }
        if self.price_protection_days > crate::credit::MAX_PROTECTION_DAYS {
            return Err(format!("price_protection_days is {}; it is at most {} (three months)", self.price_protection_days, crate::credit::MAX_PROTECTION_DAYS));
        }
        for r in &self.tax.rates {
            if r.rates.standard > totals::MAX_RATE || r.rates.reduced > totals::MAX_RATE {
                return Err(format!("the VAT rates of {} are over 100 %", r.country));
            }
        }
        Ok(())
    }
}

impl ShopRules {
    /// The currency orders to `country` are priced in: its market's, else the shop's.
    pub fn currency_for(&self, country: &str) -> crate::Currency {
        self.markets.for_country(country).map_or(self.currency, |m| m.currency)
    }

    /// The rules with every amount (delivery prices, free-delivery values, fees) in
    /// `market`'s currency; the home market's rules as they are.
    pub fn in_market(&self, market: Option<&crate::market::Market>, from: crate::Currency) -> ShopRules {
        let mut rules = self.clone();
        let Some(m) = market.filter(|m| m.currency != from) else { return rules };
        for method in rules.zones.iter_mut().flat_map(|z| z.methods.iter_mut()) {
            method.price_minor = m.convert(method.price_minor, from);
            method.free_from_minor = method.free_from_minor.map(|f| m.convert(f, from));
        }
        for fee in &mut rules.payment_fees {
            fee.fee_minor = m.convert(fee.fee_minor, from);
        }
        rules
    }
}

/// EU VAT rates (standard, reduced) in basis points, as of 2026, for the shop's
/// built-in rules. A shop sets its own in its rules file.
const EU_RATES: [(&str, u32, u32); 27] = [
    ("AT", 2000, 1000), ("BE", 2100, 600), ("BG", 2000, 900), ("CY", 1900, 500), ("CZ", 2100, 1200),
    ("DE", 1900, 700), ("DK", 2500, 2500), ("EE", 2400, 900), ("ES", 2100, 1000), ("FI", 2550, 1400),
    ("FR", 2000, 550), ("GR", 2400, 600), ("HR", 2500, 500), ("HU", 2700, 500), ("IE", 2300, 900),
    ("IT", 2200, 1000), ("LT", 2100, 900), ("LU", 1700, 800), ("LV", 2100, 1200), ("MT", 1800, 500),
    ("NL", 2100, 900), ("PL", 2300, 800), ("PT", 2300, 600), ("RO", 2100, 1100), ("SE", 2500, 600),
    ("SI", 2200, 950), ("SK", 2300, 1900),
];

impl Default for ShopRules {
    /// A shop in Germany, prices incl. VAT: Germany with standard (free from €50),
    /// express, pick-up point and collect in store; the rest of the EU, and then
    /// Switzerland, the UK and Norway, with standard and express.
    fn default() -> ShopRules {
        let method = |kind, price_minor, free_from_minor, transit_days| Method { kind, price_minor, free_from_minor, transit_days };
        let eu: Vec<String> = EU_RATES.iter().map(|(c, ..)| c.to_string()).filter(|c| c != "DE").collect();
        ShopRules {
            zones: vec![
                Zone {
                    name: "Germany".into(),
                    countries: vec!["DE".into()],
                    methods: vec![
                        method(MethodKind::Standard, 490, Some(5000), 2),
                        method(MethodKind::Express, 990, None, 1),
                        method(MethodKind::PickupPoint, 390, Some(5000), 2),
                        method(MethodKind::Collect, 0, None, 0),
                    ],
                },
                Zone { name: "European Union".into(), countries: eu, methods: vec![method(MethodKind::Standard, 990, Some(10000), 4), method(MethodKind::Express, 1990, None, 2)] },
                Zone {
                    name: "Europe outside the EU".into(),
                    countries: vec!["CH".into(), "GB".into(), "NO".into()],
                    methods: vec![method(MethodKind::Standard, 1490, None, 5), method(MethodKind::Express, 2990, None, 3)],
                },
            ],
            tax: TaxRules {
                basis: PriceBasis::Gross,
                home: "DE".into(),
                one_stop_shop: false,
                rates: EU_RATES.iter().map(|&(c, standard, reduced)| CountryRates { country: c.into(), rates: TaxRates { standard, reduced } }).collect(),
            },
            payments: pay_on_delivery_only(),
            terms_version: 0,
            price_protection_days: three_months(),
            dispatch: promise::Dispatch::default(),
            schedule: promise::Schedule::default(),
            bank_transfer: crate::payment::TransferTerms::default(),
            invoice_due_days: two_weeks(),
            payment_fees: Vec::new(),
            currency: euro(),
            markets: crate::market::Markets(vec![
                crate::market::Market { currency: crate::Currency::GBP, countries: vec!["GB".into()], rate: crate::market::Rate { millionths: 860_000 }, rounding: crate::market::Rounding::Ends99 },
                crate::market::Market { currency: crate::Currency::CHF, countries: vec!["CH".into()], rate: crate::market::Rate { millionths: 940_000 }, rounding: crate::market::Rounding::Ends95 },
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(unit_minor: i64, quantity: u32, tax: TaxClass) -> Line {
        Line { unit_minor, quantity, tax }
    }

    fn off(discount_minor: i64) -> crate::offers::Discount {
        crate::offers::Discount { discount_minor, free_delivery: false }
    }

    #[test]
    fn a_free_delivery_code_makes_every_method_free() {
        let q = ShopRules::default().quote("FR", Some(MethodKind::Express), &[line(1000, 1, TaxClass::Standard)], crate::offers::Discount { discount_minor: 0, free_delivery: true }).expect("quoted");
        assert_eq!(q.totals.delivery_minor, 0);
        assert!(q.offers.iter().all(|o| o.price_minor == 0));
        assert_eq!(q.away_from_free_minor, None);
    }

    #[test]
    fn the_built_in_rules_are_sound() {
        ShopRules::default().check().expect("sound");
    }

    #[test]
    fn a_german_cart_under_the_threshold_pays_delivery_and_is_told_how_far_free_is() {
        let q = ShopRules::default().quote("DE", None, &[line(4260, 1, TaxClass::Standard)], off(0)).expect("quoted");
        assert_eq!(q.method, MethodKind::Standard);
        assert_eq!(q.totals.delivery_minor, 490);
        assert_eq!(q.away_from_free_minor, Some(740), "€7.40 away from free delivery");
        assert_eq!(q.totals.total_minor, 4750);
        // 19 % VAT in €47.50: 4260 → 680.17 → 680, 490 → 78.24 → 78.
        assert_eq!(q.totals.tax_minor, 758);
        assert_eq!(q.offers.len(), 4);
    }

    #[test]
    fn from_the_threshold_delivery_is_free_but_express_is_not() {
        let rules = ShopRules::default();
        let lines = [line(5000, 1, TaxClass::Standard)];
        assert_eq!(rules.quote("DE", None, &lines, off(0)).expect("quoted").totals.delivery_minor, 0);
        let express = rules.quote("de", Some(MethodKind::Express), &lines, off(0)).expect("quoted");
        assert_eq!(express.totals.delivery_minor, 990);
        assert_eq!(express.away_from_free_minor, None);
        // A discount that takes the goods under the threshold brings the charge back.
        assert_eq!(rules.quote("DE", None, &lines, off(100)).expect("quoted").totals.delivery_minor, 490);
    }

    #[test]
    fn unknown_countries_and_methods_not_offered_are_refused() {
        let rules = ShopRules::default();
        let lines = [line(1000, 1, TaxClass::Standard)];
        assert_eq!(rules.quote("US", None, &lines, off(0)), Err(QuoteError::NotDelivered));
        assert_eq!(rules.quote("FR", Some(MethodKind::Collect), &lines, off(0)), Err(QuoteError::MethodNotOffered));
        assert!(!rules.delivers_to("US") && rules.delivers_to("at"));
    }

    #[test]
    fn vat_follows_the_home_country_unless_one_stop_shop_and_exports_carry_none() {
        let mut rules = ShopRules::default();
        assert_eq!(rules.rates_for("FR").standard, 1900);
        assert_eq!(rules.rates_for("CH").standard, 0);
        rules.tax.one_stop_shop = true;
        assert_eq!(rules.rates_for("FR"), TaxRates { standard: 2000, reduced: 550 });
        assert_eq!(rules.rates_for("DE").reduced, 700);
        let books = rules.quote("DE", None, &[line(2000, 1, TaxClass::Reduced)], off(0)).expect("quoted");
        assert_eq!(books.totals.tax.iter().map(|t| t.rate).collect::<Vec<_>>(), vec![700, 1900], "books at 7 %, delivery at 19 %");
    }

    #[test]
    fn bad_rules_are_named() {
        let mut rules = ShopRules::default();
        rules.zones[1].countries.push("DE".into());
        assert_eq!(rules.check(), Err("country DE is in two delivery zones".into()));
        let mut rules = ShopRules::default();
        rules.zones[0].countries.push("XX".into());
        assert!(rules.check().is_err_and(|e| e.contains("\"XX\" is not a country code")));
        let fee = |method, fee_minor| ShopRules { payment_fees: vec![PaymentFee { method, fee_minor }], ..ShopRules::default() };
        assert!(fee(crate::payment::PaymentMethod::PayOnDelivery, 200).check().is_ok());
        assert!(fee(crate::payment::PaymentMethod::BankTransfer, 200).check().is_err_and(|e| e.contains("only pay_on_delivery")));
        assert!(fee(crate::payment::PaymentMethod::PayOnDelivery, -1).check().is_err());
    }

    proptest! {
        #[test]
        fn the_quote_adds_up_and_free_delivery_is_never_charged(
            units in proptest::collection::vec((0i64..20_000, 1u32..5), 1..6),
            discount in 0i64..10_000,
            country in prop::sample::select(vec!["DE", "FR", "CH", "AT"]),
        ) {
            let rules = ShopRules::default();
            let lines: Vec<Line> = units.iter().map(|&(u, q)| line(u, q, TaxClass::Standard)).collect();
            let q = rules.quote(country, None, &lines, off(discount)).expect("quoted");
            let t = &q.totals;
            prop_assert_eq!(t.total_minor, t.goods_minor - t.discount_minor + t.delivery_minor);
            prop_assert_eq!(t.tax_minor, t.tax.iter().map(|l| l.tax_minor).sum::<i64>());
            prop_assert!(t.total_minor >= 0);
            if let Some(away) = q.away_from_free_minor {
                prop_assert!(away > 0 && t.delivery_minor > 0);
            }
            let zone = rules.zone(country).expect("delivered");
            if let Some(free) = zone.methods[0].free_from_minor {
                prop_assert_eq!(t.delivery_minor == 0, t.goods_minor - t.discount_minor >= free);
            }
        }
    }
}
