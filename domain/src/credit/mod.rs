//! Store credit and price-drop protection.
//!
//! A signed-in shopper who bought something that then gets cheaper within the shop's
//! window (`ShopRules::price_protection_days`, up to three months) is credited the
//! difference for every unit, as store credit. Each line remembers the lowest price it
//! was credited down to, so a second cut credits only the new difference and a rise
//! followed by the same cut credits nothing again.
//!
//! Store credit has a ledger: every credit and debit with its reason. The checkout
//! spends it first, automatically, up to the order's total; a cancelled or returned
//! order gives back what it spent.

use crate::Money;
use serde::{Deserialize, Serialize};

/// The longest window a shop may set: three months.
pub const MAX_PROTECTION_DAYS: u16 = 92;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CreditReason {
    /// A product bought got cheaper: the difference.
    PriceDrop,
    /// Spent on an order.
    Spent,
    /// Given back: the order it was spent on was cancelled or returned.
    Refunded,
}

impl CreditReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CreditReason::PriceDrop => "price_drop",
            CreditReason::Spent => "spent",
            CreditReason::Refunded => "refunded",
        }
    }

    pub fn parse(raw: &str) -> Option<CreditReason> {
        [CreditReason::PriceDrop, CreditReason::Spent, CreditReason::Refunded].into_iter().find(|r| r.as_str() == raw)
    }
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditEntry {
    /// Positive: credited; negative: spent.
    pub amount: Money,
    pub reason: CreditReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// For a price drop: the product, as it was named on the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    pub at: String,
}

/// `GET /api/account/credit`: the balance and the ledger, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreCredit {
    /// In the shop's currency.
    pub balance: Money,
    /// Credit held in other markets' currencies (from orders paid in them), where any.
    /// Credit is spent in its own currency, never exchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_balances: Vec<Money>,
    pub entries: Vec<CreditEntry>,
    /// How long after buying a price cut is credited, in days (0: not at all).
    pub protection_days: u16,
}

impl StoreCredit {
    /// The balance an order in `currency` can spend.
    pub fn in_currency(&self, currency: crate::Currency) -> i64 {
        std::iter::once(&self.balance).chain(&self.other_balances).find(|m| m.currency == currency).map_or(0, |m| m.minor)
    }
}

/// What a line is credited when its product now costs `now`: the units times the
/// difference below the lowest price it was paid or credited down to. Never negative.
pub fn price_drop_credit(paid_unit: i64, credited_down_to: Option<i64>, now: i64, quantity: u32) -> i64 {
    let floor = credited_down_to.map_or(paid_unit, |c| c.min(paid_unit));
    if now < 0 || now >= floor {
        return 0;
    }
    (floor - now).saturating_mul(i64::from(quantity))
}

/// How much credit an order spends: all of it, up to the total.
pub fn to_spend(balance: i64, total: i64) -> i64 {
    balance.clamp(0, total.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_cut_credits_the_difference_for_every_unit() {
        assert_eq!(price_drop_credit(2999, None, 2499, 2), 1000);
        assert_eq!(price_drop_credit(2999, None, 2999, 2), 0);
        assert_eq!(price_drop_credit(2999, None, 3499, 1), 0, "a rise credits nothing");
        // Credited down to 24.99 already: a cut to 19.99 credits 5.00 more.
        assert_eq!(price_drop_credit(2999, Some(2499), 1999, 1), 500);
        // Back up, then down to 24.99 again: nothing new.
        assert_eq!(price_drop_credit(2999, Some(2499), 2499, 1), 0);
    }

    #[test]
    fn credit_is_spent_up_to_the_total() {
        assert_eq!(to_spend(1500, 4000), 1500);
        assert_eq!(to_spend(5000, 4000), 4000);
        assert_eq!(to_spend(0, 4000), 0);
        assert_eq!(to_spend(-10, 4000), 0);
    }

    proptest! {
        /// However prices move, a line is credited in total exactly what it was paid
        /// above the lowest price since — never more, never twice.
        #[test]
        fn credits_add_up_to_paid_minus_the_lowest_price(paid in 1i64..100_000, quantity in 1u32..10, moves in proptest::collection::vec(0i64..150_000, 1..12)) {
            let mut credited_down_to = None;
            let mut total = 0;
            for now in &moves {
                let c = price_drop_credit(paid, credited_down_to, *now, quantity);
                prop_assert!(c >= 0);
                if c > 0 {
                    credited_down_to = Some(*now);
                }
                total += c;
            }
            let lowest = moves.iter().copied().min().unwrap_or(paid).min(paid);
            prop_assert_eq!(total, (paid - lowest) * i64::from(quantity));
        }

        #[test]
        fn spending_never_goes_below_zero_or_over_the_total(balance in -1000i64..100_000, total in 0i64..100_000) {
            let s = to_spend(balance, total);
            prop_assert!(s >= 0 && s <= total && s <= balance.max(0));
        }
    }
}
