//! Discount codes: what a code gives, when and to what it applies, and the reason in
//! plain words when it does not. The server checks a code's limits (dates, uses) when
//! it is entered and again, under the order's write lock, when the order is placed; the
//! discount itself is worked out here, by the web app (offline too) and the server
//! alike.

pub mod sale;

use serde::{Deserialize, Serialize};

/// The longest code a shop can make, and a shopper can type.
pub const MAX_CODE_CHARS: usize = 32;

/// What a code takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Benefit {
    /// A share of the eligible goods, in whole per cent (1–100).
    Percent { percent: u32 },
    /// An amount off the eligible goods, at most what they cost.
    Fixed { amount_minor: i64 },
    /// Delivery costs nothing.
    FreeDelivery,
}

/// A code as the shopper holds it once accepted: enough for the web app to work out
/// the discount on the cart as it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppliedCode {
    pub code: String,
    pub benefit: Benefit,
    /// The goods must come to at least this (before the discount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_spend_minor: Option<i64>,
    /// Only these categories' products count (by slug); every product when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Only these products count; every product when empty (and no categories).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<i64>,
}

/// One cart line as a code looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferLine<'a> {
    pub product_id: i64,
    pub category_slug: &'a str,
    /// Unit price × quantity.
    pub amount_minor: i64,
}

/// What a code does for a cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Discount {
    pub discount_minor: i64,
    pub free_delivery: bool,
}

/// Why a code does nothing for this cart (now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeRefusal {
    Unknown,
    NotYet { starts: String },
    Ended { ended: String },
    UsedUp,
    AlreadyUsed,
    MinSpend { min_minor: i64, away_minor: i64 },
    NothingEligible,
}

impl CodeRefusal {
    /// In English, with amounts and dates already written by the caller's `money` and
    /// `day`.
    pub fn message(&self, money: impl Fn(i64) -> String, day: impl Fn(&str) -> String) -> String {
        match self {
            CodeRefusal::Unknown => "We do not know that code. Please check it for a typo.".into(),
            CodeRefusal::NotYet { starts } => format!("This code starts on {}.", day(starts)),
            CodeRefusal::Ended { ended } => format!("This code ended on {}.", day(ended)),
            CodeRefusal::UsedUp => "This code has been used as often as it can be.".into(),
            CodeRefusal::AlreadyUsed => "You have already used this code.".into(),
            CodeRefusal::MinSpend { min_minor, away_minor } => {
                format!("This code needs goods of at least {}: add {} more to use it.", money(*min_minor), money(*away_minor))
            }
            CodeRefusal::NothingEligible => "This code is for other products than the ones in your cart.".into(),
        }
    }
}

/// A code as typed, made comparable: spaces and dashes dropped, upper case. `None`
/// when nothing is left or it is too long to be a code.
pub fn normalise(raw: &str) -> Option<String> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect();
    (!code.is_empty() && code.chars().count() <= MAX_CODE_CHARS && code.chars().all(|c| c.is_alphanumeric() || c == '_')).then_some(code)
}

impl AppliedCode {
    fn eligible(&self, line: &OfferLine<'_>) -> bool {
        (self.categories.is_empty() && self.products.is_empty())
            || self.products.contains(&line.product_id)
            || self.categories.iter().any(|c| c == line.category_slug)
    }

    /// What the code takes off `lines`, or why it takes nothing.
    pub fn discount(&self, lines: &[OfferLine<'_>]) -> Result<Discount, CodeRefusal> {
        let goods: i64 = lines.iter().map(|l| l.amount_minor).sum();
        if let Some(min) = self.min_spend_minor.filter(|min| goods < *min) {
            return Err(CodeRefusal::MinSpend { min_minor: min, away_minor: min - goods });
        }
        let eligible: i64 = lines.iter().filter(|l| self.eligible(l)).map(|l| l.amount_minor).sum();
        if eligible == 0 && !matches!(self.benefit, Benefit::FreeDelivery) {
            return Err(CodeRefusal::NothingEligible);
        }
        Ok(match self.benefit {
            // Half up, as the tax is: 10 % of €0.05 is one cent.
            Benefit::Percent { percent } => Discount { discount_minor: (eligible * i64::from(percent.min(100)) * 2 + 100) / 200, free_delivery: false },
            Benefit::Fixed { amount_minor } => Discount { discount_minor: amount_minor.clamp(0, eligible), free_delivery: false },
            Benefit::FreeDelivery => Discount { discount_minor: 0, free_delivery: true },
        })
    }
}

/// A code's days and uses, checked on `today` (the shop's date, `YYYY-MM-DD`; ISO dates
/// compare as text): the limits only the server knows. The first and last days count.
pub fn check_limits(starts_on: Option<&str>, ends_on: Option<&str>, today: &str, uses: i64, max_uses: Option<i64>, uses_by_shopper: i64, max_per_shopper: Option<i64>) -> Result<(), CodeRefusal> {
    if let Some(starts) = starts_on.filter(|s| today < *s) {
        return Err(CodeRefusal::NotYet { starts: starts.to_string() });
    }
    if let Some(ends) = ends_on.filter(|e| today > *e) {
        return Err(CodeRefusal::Ended { ended: ends.to_string() });
    }
    if max_uses.is_some_and(|max| uses >= max) {
        return Err(CodeRefusal::UsedUp);
    }
    if max_per_shopper.is_some_and(|max| uses_by_shopper >= max) {
        return Err(CodeRefusal::AlreadyUsed);
    }
    Ok(())
}

/// `POST /api/staff/codes`: a new code as staff fill in the form. Amounts are typed
/// ("10", "10.00", "10,00"); days are `YYYY-MM-DD`; empty means no limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCode {
    pub code: String,
    /// `percent`, `fixed` or `free_delivery`.
    pub kind: String,
    /// The per cent (for `percent`) or the amount (for `fixed`).
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub min_spend: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub max_uses: String,
    #[serde(default)]
    pub max_uses_per_shopper: String,
    /// Category slugs; empty for every product.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Product numbers as typed ("12, 15"); empty for every product (or the categories').
    #[serde(default)]
    pub products: String,
}

/// A [`NewCode`] checked: every problem named by its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCode {
    pub code: String,
    pub benefit: Benefit,
    pub min_spend_minor: Option<i64>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub max_uses: Option<i64>,
    pub max_uses_per_shopper: Option<i64>,
    pub categories: Vec<String>,
    pub products: Vec<i64>,
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.split('-').all(|p| p.bytes().all(|c| c.is_ascii_digit()))
        && matches!(s[5..7].parse::<u32>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u32>(), Ok(1..=31))
}

impl NewCode {
    pub fn validate(&self, currency: crate::Currency) -> Result<ValidCode, Vec<crate::customer::FieldError>> {
        use crate::customer::FieldError;
        let mut problems = Vec::new();
        let code = normalise(&self.code).unwrap_or_else(|| {
            problems.push(FieldError::new("code", format!("A code is 1–{MAX_CODE_CHARS} letters or digits (spaces and dashes are dropped).")));
            String::new()
        });
        let count = |field: &'static str, raw: &str, problems: &mut Vec<FieldError>| -> Option<i64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match raw.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    problems.push(FieldError::new(field, "A whole number of at least 1, or empty for no limit."));
                    None
                }
            }
        };
        let benefit = match self.kind.as_str() {
            "percent" => match self.value.trim().trim_end_matches('%').trim().parse::<u32>() {
                Ok(p @ 1..=100) => Some(Benefit::Percent { percent: p }),
                _ => {
                    problems.push(FieldError::new("value", "A percentage is a whole number from 1 to 100."));
                    None
                }
            },
            "fixed" => match crate::pricing::amount::parse_amount("value", "The amount", &self.value, currency) {
                Ok(a) if a > 0 => Some(Benefit::Fixed { amount_minor: a }),
                Ok(_) => {
                    problems.push(FieldError::new("value", "The amount off must be more than nothing."));
                    None
                }
                Err(e) => {
                    problems.push(e);
                    None
                }
            },
            "free_delivery" => Some(Benefit::FreeDelivery),
            _ => {
                problems.push(FieldError::new("kind", "Choose what the code gives: a percentage, an amount or free delivery."));
                None
            }
        };
        let min_spend_minor = if self.min_spend.trim().is_empty() {
            None
        } else {
            crate::pricing::amount::parse_amount("min_spend", "The minimum spend", &self.min_spend, currency).map_err(|e| problems.push(e)).ok()
        };
        let day = |field: &'static str, raw: &str, problems: &mut Vec<FieldError>| -> Option<String> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            if is_date(raw) {
                Some(raw.to_string())
            } else {
                problems.push(FieldError::new(field, "A day as YYYY-MM-DD, or empty."));
                None
            }
        };
        let starts_on = day("starts_on", &self.starts_on, &mut problems);
        let ends_on = day("ends_on", &self.ends_on, &mut problems);
        if let (Some(s), Some(e)) = (&starts_on, &ends_on) {
            if e < s {
                problems.push(FieldError::new("ends_on", "The last day comes before the first."));
            }
        }
        let max_uses = count("max_uses", &self.max_uses, &mut problems);
        let max_uses_per_shopper = count("max_uses_per_shopper", &self.max_uses_per_shopper, &mut problems);
        let products: Vec<i64> = self
            .products
            .split([',', ' ', ';'])
            .filter(|p| !p.is_empty())
            .filter_map(|p| match p.trim_start_matches('#').parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    problems.push(FieldError::new("products", format!("{p:?} is not a product number: list numbers such as 12, 15, or leave it empty.")));
                    None
                }
            })
            .collect();
        match (problems.is_empty(), benefit) {
            (true, Some(benefit)) => Ok(ValidCode {
                code,
                benefit,
                min_spend_minor,
                starts_on,
                ends_on,
                max_uses,
                max_uses_per_shopper,
                categories: self.categories.iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
                products,
            }),
            _ => Err(problems),
        }
    }
}

/// `GET /api/staff/codes`: a code with how it has done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCode {
    pub id: i64,
    #[serde(flatten)]
    pub terms: AppliedCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_uses: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_uses_per_shopper: Option<i64>,
    pub uses: i64,
    /// What the orders that used it came to, and what it took off them.
    pub revenue: crate::Money,
    pub discounted: crate::Money,
    pub created_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(benefit: Benefit) -> AppliedCode {
        AppliedCode { code: "SPRING".into(), benefit, min_spend_minor: None, categories: Vec::new(), products: Vec::new() }
    }

    fn line(product_id: i64, category_slug: &str, amount_minor: i64) -> OfferLine<'_> {
        OfferLine { product_id, category_slug, amount_minor }
    }

    #[test]
    fn codes_are_read_however_they_are_typed() {
        assert_eq!(normalise(" spring-10 ").as_deref(), Some("SPRING10"));
        assert_eq!(normalise("Spring 10").as_deref(), Some("SPRING10"));
        assert_eq!(normalise("   "), None);
        assert_eq!(normalise("a;drop"), None);
        assert_eq!(normalise(&"A".repeat(40)), None);
    }

    #[test]
    fn a_percentage_counts_only_eligible_lines_and_rounds_half_up() {
        let mut c = code(Benefit::Percent { percent: 10 });
        c.categories = vec!["books".into()];
        let lines = [line(1, "books", 1995), line(2, "kitchen", 5000)];
        assert_eq!(c.discount(&lines), Ok(Discount { discount_minor: 200, free_delivery: false }), "10 % of €19.95 is €2.00 (1.995 up)");
        assert_eq!(c.discount(&lines[1..]), Err(CodeRefusal::NothingEligible));
    }

    #[test]
    fn a_fixed_amount_is_at_most_the_goods_and_a_minimum_spend_says_how_far() {
        let mut c = code(Benefit::Fixed { amount_minor: 1000 });
        assert_eq!(c.discount(&[line(1, "x", 600)]).map(|d| d.discount_minor), Ok(600));
        c.min_spend_minor = Some(5000);
        assert_eq!(c.discount(&[line(1, "x", 4260)]), Err(CodeRefusal::MinSpend { min_minor: 5000, away_minor: 740 }));
        let msg = CodeRefusal::MinSpend { min_minor: 5000, away_minor: 740 }.message(|m| format!("€{:.2}", m as f64 / 100.0), str::to_string);
        assert_eq!(msg, "This code needs goods of at least €50.00: add €7.40 more to use it.");
    }

    #[test]
    fn limits_name_their_reason() {
        let today = "2026-12-07";
        assert_eq!(check_limits(Some("2026-12-08"), None, today, 0, None, 0, None), Err(CodeRefusal::NotYet { starts: "2026-12-08".into() }));
        assert_eq!(check_limits(None, Some("2026-11-30"), today, 0, None, 0, None), Err(CodeRefusal::Ended { ended: "2026-11-30".into() }));
        assert_eq!(check_limits(Some("2026-12-07"), Some("2026-12-07"), today, 0, None, 0, None), Ok(()), "the first and last days count");
        assert_eq!(check_limits(None, None, today, 5, Some(5), 0, None), Err(CodeRefusal::UsedUp));
        assert_eq!(check_limits(None, None, today, 1, Some(5), 1, Some(1)), Err(CodeRefusal::AlreadyUsed));
        assert_eq!(check_limits(Some("2026-12-01"), Some("2026-12-31"), today, 4, Some(5), 0, Some(1)), Ok(()));
    }

    #[test]
    fn a_new_code_names_every_problem_by_its_field() {
        let bad = NewCode { code: "  ".into(), kind: "percent".into(), value: "120".into(), starts_on: "2026-12-10".into(), ends_on: "2026-12-01".into(), max_uses: "0".into(), ..Default::default() };
        let fields: Vec<&str> = bad.validate(crate::Currency::EUR).expect_err("refused").iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["code", "value", "ends_on", "max_uses"]);
        let good = NewCode { code: "spring-10".into(), kind: "fixed".into(), value: "5,00".into(), min_spend: "30".into(), ..Default::default() };
        let v = good.validate(crate::Currency::EUR).expect("valid");
        assert_eq!((v.code.as_str(), v.benefit, v.min_spend_minor), ("SPRING10", Benefit::Fixed { amount_minor: 500 }, Some(3000)));
        let for_two = NewCode { products: "12, #15".into(), ..good.clone() };
        assert_eq!(for_two.validate(crate::Currency::EUR).map(|v| v.products), Ok(vec![12, 15]));
        let typo = NewCode { products: "12, kettle".into(), ..good };
        assert_eq!(typo.validate(crate::Currency::EUR).expect_err("refused")[0].field, "products");
    }

    proptest! {
        #[test]
        fn a_discount_is_never_negative_nor_more_than_the_eligible_goods(
            amounts in proptest::collection::vec(0i64..100_000, 1..6),
            percent in 0u32..150,
            fixed in -1_000i64..200_000,
        ) {
            let lines: Vec<OfferLine<'_>> = amounts.iter().enumerate().map(|(i, a)| line(i as i64, "c", *a)).collect();
            let goods: i64 = amounts.iter().sum();
            for benefit in [Benefit::Percent { percent }, Benefit::Fixed { amount_minor: fixed }] {
                if let Ok(d) = code(benefit).discount(&lines) {
                    prop_assert!(d.discount_minor >= 0 && d.discount_minor <= goods);
                }
            }
        }
    }
}
