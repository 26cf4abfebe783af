//! An order's totals, computed once from its lines, delivery, discount and tax, in
//! integer minor units with one rounding rule, so the cart in the browser (offline
//! too) and the server that takes the order agree to the cent.
//!
//! The rule:
//!
//! - A discount on the goods is shared out over the lines in proportion to what each
//!   costs, the cents left over going to the largest remainders (ties: the earlier
//!   line), so the shares add up to the discount exactly. It is never more than the
//!   goods cost.
//! - Tax is worked out per line, on what the line costs after its share, and for
//!   delivery, each rounded half up to the minor unit. The tax lines (one per rate)
//!   are the sums of those.
//! - Prices are either gross (tax included, as EU shops show them: the tax is the part
//!   of the price that is tax) or net (tax added on top, as US shops show them).
//!
//! - A fee for the way of paying (pay on delivery's, when the shop charges one) is
//!   taxed as delivery is.
//!
//! So: total = goods − discount + delivery + fee (+ tax, when net), and tax = Σ tax
//! lines.

use serde::{Deserialize, Serialize};

/// A tax rate in basis points: 1900 is 19 %.
pub type Rate = u32;

/// The highest rate a shop can set: 100 %.
pub const MAX_RATE: Rate = 10_000;

/// What rate a product (or variant, or delivery) is taxed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaxClass {
    #[default]
    Standard,
    /// Books, food and the like in most EU countries.
    Reduced,
    Zero,
}

impl TaxClass {
    pub const ALL: [TaxClass; 3] = [TaxClass::Standard, TaxClass::Reduced, TaxClass::Zero];

    pub fn is_standard(&self) -> bool {
        *self == TaxClass::Standard
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TaxClass::Standard => "standard",
            TaxClass::Reduced => "reduced",
            TaxClass::Zero => "zero",
        }
    }

    pub fn parse(raw: &str) -> Option<TaxClass> {
        TaxClass::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// The rates of one destination (a country's VAT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaxRates {
    pub standard: Rate,
    pub reduced: Rate,
}

impl TaxRates {
    pub fn of(self, class: TaxClass) -> Rate {
        match class {
            TaxClass::Standard => self.standard,
            TaxClass::Reduced => self.reduced,
            TaxClass::Zero => 0,
        }
    }
}

/// Whether the shop's prices include tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PriceBasis {
    /// Tax included ("incl. VAT").
    #[default]
    Gross,
    /// Tax added at checkout.
    Net,
}

/// One line as priced: a unit price (in the shop's basis), how many, and its tax class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub unit_minor: i64,
    pub quantity: u32,
    pub tax: TaxClass,
}

/// What the totals are worked out from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Input<'a> {
    pub lines: &'a [Line],
    /// The delivery's price, in the shop's basis.
    pub delivery_minor: i64,
    pub delivery_tax: TaxClass,
    /// The payment method's fee, in the shop's basis; taxed as delivery.
    pub fee_minor: i64,
    /// Off the goods, before it is capped at what they cost.
    pub discount_minor: i64,
    pub basis: PriceBasis,
    pub rates: TaxRates,
}

/// One line's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineTotal {
    /// Unit price × quantity, as priced.
    pub amount_minor: i64,
    /// Its share of the discount.
    pub discount_minor: i64,
    pub rate: Rate,
    /// The tax in it (gross) or on it (net), after the discount.
    pub tax_minor: i64,
}

/// The tax at one rate, over the lines and delivery taxed at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaxLine {
    pub rate: Rate,
    pub tax_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub lines: Vec<LineTotal>,
    /// The goods, as priced.
    pub goods_minor: i64,
    /// Taken off the goods: at most what they cost.
    pub discount_minor: i64,
    pub delivery_minor: i64,
    pub delivery_tax_minor: i64,
    /// The payment method's fee, and the tax in or on it.
    #[serde(default)]
    pub fee_minor: i64,
    #[serde(default)]
    pub fee_tax_minor: i64,
    /// By rate, lowest first; only rates something is taxed at.
    pub tax: Vec<TaxLine>,
    pub tax_minor: i64,
    /// What the shopper pays.
    pub total_minor: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalsError {
    /// A price or delivery below zero, or a rate over 100 %.
    Invalid,
    /// Beyond what an amount can hold.
    TooLarge,
}

/// `n × rate / base`, rounded half up; `n` is never negative here.
fn part(n: i64, rate: Rate, base: i64) -> i64 {
    let (n, rate, base) = (i128::from(n), i128::from(rate), i128::from(base));
    // Fits: n < 2^63 and rate ≤ 10^4, so n × rate × 2 < 2^127.
    ((n * rate * 2 + base) / (base * 2)) as i64
}

/// The tax in (gross) or on (net) `amount` at `rate`.
fn tax_of(amount: i64, rate: Rate, basis: PriceBasis) -> i64 {
    match basis {
        PriceBasis::Gross => part(amount, rate, 10_000 + i64::from(rate)),
        PriceBasis::Net => part(amount, rate, 10_000),
    }
}

/// Shares `discount` (≤ Σ `amounts`) out in proportion to `amounts`, by largest
/// remainder.
fn shares(amounts: &[i64], discount: i64) -> Vec<i64> {
    let whole: i128 = amounts.iter().map(|a| i128::from(*a)).sum();
    if whole == 0 || discount == 0 {
        return vec![0; amounts.len()];
    }
    let d = i128::from(discount);
    let mut out: Vec<i64> = Vec::with_capacity(amounts.len());
    let mut left: Vec<(i128, usize)> = Vec::with_capacity(amounts.len());
    for (i, a) in amounts.iter().enumerate() {
        let exact = i128::from(*a) * d;
        out.push((exact / whole) as i64);
        left.push((exact % whole, i));
    }
    let short = discount - out.iter().sum::<i64>();
    // Largest remainder first; the earlier line on a tie.
    left.sort_by(|(ra, ia), (rb, ib)| rb.cmp(ra).then(ia.cmp(ib)));
    for (_, i) in left.into_iter().take(usize::try_from(short).unwrap_or(0)) {
        out[i] += 1;
    }
    out
}

/// The totals of `input` by the rule above.
pub fn totals(input: Input<'_>) -> Result<Totals, TotalsError> {
    let Input { lines, delivery_minor, delivery_tax, fee_minor, discount_minor, basis, rates } = input;
    if rates.standard > MAX_RATE || rates.reduced > MAX_RATE || delivery_minor < 0 || fee_minor < 0 || lines.iter().any(|l| l.unit_minor < 0) {
        return Err(TotalsError::Invalid);
    }
    let amounts: Vec<i64> = lines.iter().map(|l| l.unit_minor.checked_mul(i64::from(l.quantity)).ok_or(TotalsError::TooLarge)).collect::<Result<_, _>>()?;
    let goods = amounts.iter().try_fold(0i64, |sum, a| sum.checked_add(*a)).ok_or(TotalsError::TooLarge)?;
    let discount = discount_minor.clamp(0, goods);
    let split = shares(&amounts, discount);
    let mut by_rate: Vec<TaxLine> = Vec::new();
    let mut add = |rate: Rate, tax: i64| match by_rate.iter_mut().find(|t| t.rate == rate) {
        Some(t) => t.tax_minor += tax,
        None => by_rate.push(TaxLine { rate, tax_minor: tax }),
    };
    let mut out = Vec::with_capacity(lines.len());
    for ((line, amount), share) in lines.iter().zip(&amounts).zip(&split) {
        let rate = rates.of(line.tax);
        let tax = tax_of(amount - share, rate, basis);
        add(rate, tax);
        out.push(LineTotal { amount_minor: *amount, discount_minor: *share, rate, tax_minor: tax });
    }
    let delivery_rate = rates.of(delivery_tax);
    let delivery_tax_minor = tax_of(delivery_minor, delivery_rate, basis);
    if delivery_minor > 0 {
        add(delivery_rate, delivery_tax_minor);
    }
    let fee_tax_minor = tax_of(fee_minor, delivery_rate, basis);
    if fee_minor > 0 {
        add(delivery_rate, fee_tax_minor);
    }
    by_rate.retain(|t| t.rate > 0 || t.tax_minor != 0);
    by_rate.sort_by_key(|t| t.rate);
    let tax_minor = by_rate.iter().map(|t| t.tax_minor).sum::<i64>();
    let before_tax = (goods - discount).checked_add(delivery_minor).and_then(|t| t.checked_add(fee_minor)).ok_or(TotalsError::TooLarge)?;
    let total_minor = match basis {
        PriceBasis::Gross => before_tax,
        PriceBasis::Net => before_tax.checked_add(tax_minor).ok_or(TotalsError::TooLarge)?,
    };
    Ok(Totals { lines: out, goods_minor: goods, discount_minor: discount, delivery_minor, delivery_tax_minor, fee_minor, fee_tax_minor, tax: by_rate, tax_minor, total_minor })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DE: TaxRates = TaxRates { standard: 1900, reduced: 700 };

    fn line(unit_minor: i64, quantity: u32, tax: TaxClass) -> Line {
        Line { unit_minor, quantity, tax }
    }

    fn input(lines: &[Line], delivery_minor: i64, discount_minor: i64, basis: PriceBasis) -> Input<'_> {
        Input { lines, delivery_minor, delivery_tax: TaxClass::Standard, fee_minor: 0, discount_minor, basis, rates: DE }
    }

    #[test]
    fn a_german_cart_incl_vat_shows_the_vat_in_it_per_rate() {
        // A €19.99 kettle ×2 at 19 %, a €5.00 tea at 7 %, €4.90 delivery at 19 %.
        let lines = [line(1999, 2, TaxClass::Standard), line(500, 1, TaxClass::Reduced)];
        let t = totals(input(&lines, 490, 0, PriceBasis::Gross)).unwrap();
        assert_eq!(t.goods_minor, 4498);
        assert_eq!(t.total_minor, 4988);
        // 3998 × 19/119 = 638.3 → 638; 500 × 7/107 = 32.7 → 33; 490 × 19/119 = 78.2 → 78.
        assert_eq!(t.tax, vec![TaxLine { rate: 700, tax_minor: 33 }, TaxLine { rate: 1900, tax_minor: 716 }]);
        assert_eq!(t.tax_minor, 749);
    }

    #[test]
    fn net_prices_have_the_tax_added() {
        let lines = [line(1000, 3, TaxClass::Standard)];
        let t = totals(input(&lines, 0, 0, PriceBasis::Net)).unwrap();
        assert_eq!((t.tax_minor, t.total_minor), (570, 3570));
    }

    #[test]
    fn a_discount_is_shared_by_what_each_line_costs_and_taxed_after() {
        let lines = [line(300, 1, TaxClass::Standard), line(100, 1, TaxClass::Reduced)];
        let t = totals(input(&lines, 0, 101, PriceBasis::Gross)).unwrap();
        // 75.75 and 25.25: the larger remainder (.75) takes the cent left over.
        assert_eq!((t.lines[0].discount_minor, t.lines[1].discount_minor), (76, 25));
        assert_eq!(t.total_minor, 299);
        // 224 × 19/119 = 35.8 → 36; 75 × 7/107 = 4.9 → 5.
        assert_eq!(t.tax_minor, 41);
    }

    #[test]
    fn a_discount_never_takes_the_goods_below_nothing_and_delivery_is_still_paid() {
        let lines = [line(500, 1, TaxClass::Standard)];
        let t = totals(input(&lines, 490, 10_000, PriceBasis::Gross)).unwrap();
        assert_eq!((t.discount_minor, t.total_minor), (500, 490));
        assert_eq!(t.lines[0].tax_minor, 0);
    }

    #[test]
    fn a_payment_fee_is_charged_and_taxed_as_delivery() {
        let lines = [line(1000, 1, TaxClass::Reduced)];
        let t = totals(Input { fee_minor: 200, ..input(&lines, 490, 0, PriceBasis::Gross) }).unwrap();
        assert_eq!(t.total_minor, 1690);
        // 200 × 19/119 = 31.9 → 32, at delivery's rate.
        assert_eq!(t.fee_tax_minor, 32);
        assert_eq!(t.tax, vec![TaxLine { rate: 700, tax_minor: 65 }, TaxLine { rate: 1900, tax_minor: 78 + 32 }]);
    }

    #[test]
    fn bad_figures_are_refused() {
        assert_eq!(totals(input(&[line(-1, 1, TaxClass::Standard)], 0, 0, PriceBasis::Gross)), Err(TotalsError::Invalid));
        assert_eq!(totals(input(&[], -1, 0, PriceBasis::Gross)), Err(TotalsError::Invalid));
        assert_eq!(totals(Input { fee_minor: -1, ..input(&[], 0, 0, PriceBasis::Gross) }), Err(TotalsError::Invalid));
        assert_eq!(totals(input(&[line(i64::MAX, 2, TaxClass::Standard)], 0, 0, PriceBasis::Gross)), Err(TotalsError::TooLarge));
        let bad = Input { rates: TaxRates { standard: 10_001, reduced: 0 }, ..input(&[], 0, 0, PriceBasis::Gross) };
        assert_eq!(totals(bad), Err(TotalsError::Invalid));
    }

    fn a_line() -> impl Strategy<Value = Line> {
        (0i64..1_000_000, 1u32..100, prop_oneof![Just(TaxClass::Standard), Just(TaxClass::Reduced), Just(TaxClass::Zero)]).prop_map(|(u, q, t)| line(u, q, t))
    }

    proptest! {
        #[test]
        fn the_figures_always_add_up(
            lines in proptest::collection::vec(a_line(), 0..12),
            delivery in 0i64..10_000,
            fee in prop_oneof![Just(0i64), 0i64..1_000],
            discount in 0i64..2_000_000,
            net in any::<bool>(),
            standard in 0u32..=3000,
            reduced in 0u32..=1500,
        ) {
            let basis = if net { PriceBasis::Net } else { PriceBasis::Gross };
            let rates = TaxRates { standard, reduced };
            let t = totals(Input { lines: &lines, delivery_minor: delivery, delivery_tax: TaxClass::Standard, fee_minor: fee, discount_minor: discount, basis, rates }).unwrap();
            let goods: i64 = t.lines.iter().map(|l| l.amount_minor).sum();
            prop_assert_eq!(goods, t.goods_minor);
            prop_assert_eq!(t.lines.iter().map(|l| l.discount_minor).sum::<i64>(), t.discount_minor);
            prop_assert_eq!(t.discount_minor, discount.min(goods));
            prop_assert!(t.lines.iter().all(|l| (0..=l.amount_minor).contains(&l.discount_minor)));
            prop_assert_eq!(t.tax.iter().map(|x| x.tax_minor).sum::<i64>(), t.tax_minor);
            let charges_tax = if delivery > 0 { t.delivery_tax_minor } else { 0 } + if fee > 0 { t.fee_tax_minor } else { 0 };
            prop_assert_eq!(t.lines.iter().map(|l| l.tax_minor).sum::<i64>() + charges_tax, t.tax_minor);
            let expected = goods - t.discount_minor + delivery + fee + if net { t.tax_minor } else { 0 };
            prop_assert_eq!(t.total_minor, expected);
            prop_assert!(t.total_minor >= 0 && t.tax_minor >= 0);
            if !net {
                // Tax included is part of the price, never more than it.
                prop_assert!(t.lines.iter().all(|l| l.tax_minor <= l.amount_minor - l.discount_minor));
            }
        }
    }
}
