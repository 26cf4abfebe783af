//! Sales: automatic offers without a code, such as "10 % off kitchen this week". While
//! a sale runs, the products it covers are priced at the sale price and show their
//! price before it as "was": the cards, the product page, the cart, the offline
//! catalogue and checkout all read that one price, so nothing is worked out twice. The
//! server starts and ends sales on their days (`api/src/offers/sales.rs`).

use crate::customer::FieldError;
use serde::{Deserialize, Serialize};

/// The deepest cut a sale may make: beyond it a typo (90 for 9) gives the shop away.
pub const MAX_PERCENT: u32 = 90;

/// Where a sale stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SaleState {
    /// Its first day is still to come.
    Scheduled,
    /// Its prices are on.
    Running,
    /// Its prices are back to what they were.
    Ended,
}

impl SaleState {
    /// As the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SaleState::Scheduled => "scheduled",
            SaleState::Running => "running",
            SaleState::Ended => "ended",
        }
    }

    /// On `today` (`YYYY-MM-DD`, the shop's date; ISO dates compare as text), for a
    /// sale from `starts_on` to `ends_on`, both days included, unless staff `stopped` it.
    pub fn on(today: &str, starts_on: &str, ends_on: &str, stopped: bool) -> SaleState {
        if stopped || today > ends_on {
            SaleState::Ended
        } else if today < starts_on {
            SaleState::Scheduled
        } else {
            SaleState::Running
        }
    }
}

/// A price with `percent` off, to the cent, half up: 10 % off €19.99 is €17.99.
/// Never below one cent for something that costs anything.
pub fn sale_price(price_minor: i64, percent: u32) -> i64 {
    if price_minor <= 0 {
        return price_minor;
    }
    let kept = i64::from(100 - percent.min(100));
    ((price_minor * kept * 2 + 100) / 200).max(1)
}

/// `POST /api/staff/sales`: a sale as staff fill in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSale {
    /// What shoppers and staff call it: "Winter sale".
    pub name: String,
    /// Whole per cent off, 1–90, as typed.
    pub percent: String,
    /// The category slug it covers (with its subcategories' products only if they are
    /// in it); empty with `products` empty is refused: a sale on everything is made by
    /// choosing each category.
    #[serde(default)]
    pub category: String,
    /// Product ids it covers, besides the category's.
    #[serde(default)]
    pub products: Vec<i64>,
    /// `YYYY-MM-DD`, both days included.
    pub starts_on: String,
    pub ends_on: String,
}

/// A [`NewSale`] checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSale {
    pub name: String,
    pub percent: u32,
    pub category: Option<String>,
    pub products: Vec<i64>,
    pub starts_on: String,
    pub ends_on: String,
}

impl NewSale {
    /// Every problem, each named by its field. `today` is the shop's date: a sale
    /// cannot end before it.
    pub fn validate(&self, today: &str) -> Result<ValidSale, Vec<FieldError>> {
        let mut problems = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 60 {
            problems.push(FieldError::new("name", "Give the sale a name of up to 60 characters, such as \"Winter sale\"."));
        }
        let percent = match self.percent.trim().trim_end_matches('%').trim().parse::<u32>() {
            Ok(p) if (1..=MAX_PERCENT).contains(&p) => p,
            _ => {
                problems.push(FieldError::new("percent", format!("A sale takes off a whole per cent from 1 to {MAX_PERCENT}.")));
                0
            }
        };
        let category = Some(self.category.trim().to_string()).filter(|c| !c.is_empty());
        if category.is_none() && self.products.is_empty() {
            problems.push(FieldError::new("category", "Choose the category the sale is for."));
        }
        let day = |field: &'static str, raw: &str, problems: &mut Vec<FieldError>| {
            let raw = raw.trim();
            if super::is_date(raw) {
                raw.to_string()
            } else {
                problems.push(FieldError::new(field, "A day as YYYY-MM-DD, such as 2026-12-24."));
                String::new()
            }
        };
        let starts_on = day("starts_on", &self.starts_on, &mut problems);
        let ends_on = day("ends_on", &self.ends_on, &mut problems);
        if !starts_on.is_empty() && !ends_on.is_empty() {
            if ends_on < starts_on {
                problems.push(FieldError::new("ends_on", "The last day comes before the first."));
            } else if ends_on.as_str() < today {
                problems.push(FieldError::new("ends_on", "This day is over: a sale must end today or later."));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ValidSale { name, percent, category, products: self.products.clone(), starts_on, ends_on })
    }
}

/// `GET /api/staff/sales`: a sale and how it has done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSale {
    pub id: i64,
    pub name: String,
    pub percent: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub state: SaleState,
    /// Products (or variants) priced by it while it ran.
    pub priced: u32,
    /// Orders that bought at its prices, and what they paid for those lines.
    pub orders: u32,
    pub revenue: crate::Money,
    /// Prices staff changed while it ran, so left as they were when it ended.
    pub kept: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form() -> NewSale {
        NewSale { name: "Winter sale".into(), percent: "10".into(), category: "kitchen".into(), products: vec![], starts_on: "2026-12-07".into(), ends_on: "2026-12-13".into() }
    }

    #[test]
    fn a_sale_is_checked_field_by_field() {
        assert_eq!(form().validate("2026-12-07").map(|s| s.percent), Ok(10));
        assert_eq!(NewSale { percent: "15 %".into(), ..form() }.validate("2026-12-07").map(|s| s.percent), Ok(15));
        let fields = |s: NewSale| s.validate("2026-12-07").err().unwrap_or_default().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(NewSale { name: " ".into(), ..form() }), vec!["name"]);
        assert_eq!(fields(NewSale { percent: "95".into(), ..form() }), vec!["percent"]);
        assert_eq!(fields(NewSale { percent: "ten".into(), ..form() }), vec!["percent"]);
        assert_eq!(fields(NewSale { category: String::new(), ..form() }), vec!["category"]);
        assert_eq!(fields(NewSale { ends_on: "2026-12-01".into(), ..form() }), vec!["ends_on"]);
        assert_eq!(fields(NewSale { starts_on: "2026-11-01".into(), ends_on: "2026-11-30".into(), ..form() }), vec!["ends_on"]);
        assert_eq!(fields(NewSale { starts_on: "7.12.2026".into(), ..form() }), vec!["starts_on"]);
    }

    #[test]
    fn a_sale_runs_from_its_first_to_its_last_day() {
        assert_eq!(SaleState::on("2026-12-06", "2026-12-07", "2026-12-13", false), SaleState::Scheduled);
        assert_eq!(SaleState::on("2026-12-07", "2026-12-07", "2026-12-13", false), SaleState::Running);
        assert_eq!(SaleState::on("2026-12-13", "2026-12-07", "2026-12-13", false), SaleState::Running);
        assert_eq!(SaleState::on("2026-12-14", "2026-12-07", "2026-12-13", false), SaleState::Ended);
        assert_eq!(SaleState::on("2026-12-08", "2026-12-07", "2026-12-13", true), SaleState::Ended);
    }

    #[test]
    fn sale_prices_are_rounded_half_up_to_the_cent() {
        assert_eq!(sale_price(1999, 10), 1799);
        assert_eq!(sale_price(1000, 25), 750);
        assert_eq!(sale_price(5, 10), 5, "4.5 cents rounds up");
        assert_eq!(sale_price(1, 90), 1, "never free");
    }

    proptest! {
        #[test]
        fn a_sale_price_is_lower_but_never_free(price in 1i64..10_000_000, percent in 1u32..=MAX_PERCENT) {
            let sale = sale_price(price, percent);
            prop_assert!(sale >= 1);
            prop_assert!(sale <= price);
            // Within half a cent of the exact share.
            let exact = price as f64 * f64::from(100 - percent) / 100.0;
            prop_assert!((sale as f64 - exact).abs() <= 0.5 || sale == 1);
        }
    }
}
