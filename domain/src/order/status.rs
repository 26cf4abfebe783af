//! The order state machine. Every change to an order — by the shopper, by fulfilment
//! staff — is an [`OrderAction`] checked here first, so the API, the web app's buttons
//! and the tests agree on what is allowed, and a refusal can say why in plain words.
//!
//! ```text
//! placed → packed → shipped → out_for_delivery → delivered → return_requested → returned
//!    └──────┴──→ cancelled                   (shipped → delivered is allowed too)
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrderStatus {
    Placed,
    Packed,
    Shipped,
    OutForDelivery,
    Delivered,
    Cancelled,
    ReturnRequested,
    Returned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrderAction {
    // The shopper's own actions.
    Cancel,
    ChangeItems,
    ChangeAddress,
    RequestReturn,
    // Fulfilment.
    Pack,
    Ship,
    MarkOutForDelivery,
    MarkDelivered,
    CompleteReturn,
}

pub const ALL_STATUSES: [OrderStatus; 8] = [
    OrderStatus::Placed,
    OrderStatus::Packed,
    OrderStatus::Shipped,
    OrderStatus::OutForDelivery,
    OrderStatus::Delivered,
    OrderStatus::Cancelled,
    OrderStatus::ReturnRequested,
    OrderStatus::Returned,
];

pub const ALL_ACTIONS: [OrderAction; 9] = [
    OrderAction::Cancel,
    OrderAction::ChangeItems,
    OrderAction::ChangeAddress,
    OrderAction::RequestReturn,
    OrderAction::Pack,
    OrderAction::Ship,
    OrderAction::MarkOutForDelivery,
    OrderAction::MarkDelivered,
    OrderAction::CompleteReturn,
];

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Packed => "packed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::OutForDelivery => "out_for_delivery",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::ReturnRequested => "return_requested",
            OrderStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        ALL_STATUSES.into_iter().find(|st| st.as_str() == s)
    }

    /// How the status reads on the order page.
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Placed => "Placed",
            OrderStatus::Packed => "Packed",
            OrderStatus::Shipped => "Shipped",
            OrderStatus::OutForDelivery => "Out for delivery",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Cancelled => "Cancelled",
            OrderStatus::ReturnRequested => "Return requested",
            OrderStatus::Returned => "Returned",
        }
    }

    /// Whether the order still takes stock out of the shop.
    pub fn holds_stock(self) -> bool {
        !matches!(self, OrderStatus::Cancelled | OrderStatus::Returned)
    }

    /// The status an action leads to, or why it cannot be done now.
    pub fn apply(self, action: OrderAction) -> Result<OrderStatus, Refusal> {
        use OrderAction as A;
        use OrderStatus as S;
        let next = match (self, action) {
            (S::Placed | S::Packed, A::Cancel) => S::Cancelled,
            (S::Placed, A::ChangeItems | A::ChangeAddress) => S::Placed,
            (S::Delivered, A::RequestReturn) => S::ReturnRequested,
            (S::Placed, A::Pack) => S::Packed,
            (S::Packed, A::Ship) => S::Shipped,
            (S::Shipped, A::MarkOutForDelivery) => S::OutForDelivery,
            (S::Shipped | S::OutForDelivery, A::MarkDelivered) => S::Delivered,
            (S::ReturnRequested, A::CompleteReturn) => S::Returned,
            _ => return Err(Refusal { status: self, action }),
        };
        Ok(next)
    }

    /// The actions the shopper may take on an order in this status (for showing buttons).
    pub fn customer_actions(self) -> Vec<OrderAction> {
        [OrderAction::Cancel, OrderAction::ChangeItems, OrderAction::ChangeAddress, OrderAction::RequestReturn]
            .into_iter()
            .filter(|a| self.apply(*a).is_ok())
            .collect()
    }

    /// The fulfilment step that moves this order on, if any.
    pub fn next_fulfilment_action(self) -> Option<OrderAction> {
        [OrderAction::Pack, OrderAction::Ship, OrderAction::MarkOutForDelivery, OrderAction::MarkDelivered, OrderAction::CompleteReturn]
            .into_iter()
            .find(|a| self.apply(*a).is_ok())
    }
}

impl OrderAction {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderAction::Cancel => "cancel",
            OrderAction::ChangeItems => "change_items",
            OrderAction::ChangeAddress => "change_address",
            OrderAction::RequestReturn => "request_return",
            OrderAction::Pack => "pack",
            OrderAction::Ship => "ship",
            OrderAction::MarkOutForDelivery => "mark_out_for_delivery",
            OrderAction::MarkDelivered => "mark_delivered",
            OrderAction::CompleteReturn => "complete_return",
        }
    }

    pub fn parse(s: &str) -> Option<OrderAction> {
        ALL_ACTIONS.into_iter().find(|a| a.as_str() == s)
    }

    pub fn is_fulfilment(self) -> bool {
        matches!(
            self,
            OrderAction::Pack | OrderAction::Ship | OrderAction::MarkOutForDelivery | OrderAction::MarkDelivered | OrderAction::CompleteReturn
        )
    }

    /// How the action reads on a button.
    pub fn label(self) -> &'static str {
        match self {
            OrderAction::Cancel => "Cancel order",
            OrderAction::ChangeItems => "Change quantities",
            OrderAction::ChangeAddress => "Change delivery address",
            OrderAction::RequestReturn => "Request a return",
            OrderAction::Pack => "Mark packed",
            OrderAction::Ship => "Ship",
            OrderAction::MarkOutForDelivery => "Out for delivery",
            OrderAction::MarkDelivered => "Mark delivered",
            OrderAction::CompleteReturn => "Return received",
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An action that the order's status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub status: OrderStatus,
    pub action: OrderAction,
}

impl Refusal {
    /// The reason in plain words. `since` is the day the order reached its status
    /// (e.g. "12 Nov"), which turns "already shipped" into "already shipped on 12 Nov".
    pub fn message(&self, since: Option<&str>) -> String {
        use OrderStatus as S;
        let on = since.map(|d| format!(" on {d}")).unwrap_or_default();
        let state = match self.status {
            S::Placed => "has not been sent yet".to_string(),
            S::Packed => format!("was already packed{on}"),
            S::Shipped => format!("was already shipped{on}"),
            S::OutForDelivery => format!("is already out for delivery{on}"),
            S::Delivered => format!("was already delivered{on}"),
            S::Cancelled => format!("was cancelled{on}"),
            S::ReturnRequested => format!("already has a return requested{on}"),
            S::Returned => format!("was returned{on}"),
        };
        let what = match self.action {
            OrderAction::Cancel => "This order can no longer be cancelled",
            OrderAction::ChangeItems => "The items of this order can no longer be changed",
            OrderAction::ChangeAddress => "The delivery address of this order can no longer be changed",
            OrderAction::RequestReturn => "A return can only be requested once the order is delivered",
            _ => "This step does not fit the order now",
        };
        format!("{what}: it {state}.")
    }
}

/// "2026-11-12T09:30:00Z" → "12 Nov 2026"; anything unparsable is returned unchanged.
pub fn format_day(timestamp: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let date = timestamp.get(..10).unwrap_or(timestamp);
    let mut parts = date.split('-');
    match (parts.next(), parts.next().and_then(|m| m.parse::<usize>().ok()), parts.next().and_then(|d| d.parse::<u32>().ok())) {
        (Some(y), Some(m @ 1..=12), Some(d)) if y.len() == 4 => format!("{d} {} {y}", MONTHS[m - 1]),
        _ => timestamp.to_string(),
    }
}

/// "2026-11-12T09:30:00Z" → "12 Nov 2026, 09:30 UTC".
pub fn format_time(timestamp: &str) -> String {
    match timestamp.get(11..16) {
        Some(hm) if timestamp.len() >= 16 => format!("{}, {hm} UTC", format_day(timestamp)),
        _ => format_day(timestamp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderAction as A;
    use OrderStatus as S;

    /// Every allowed transition, exactly; everything else must be refused.
    const ALLOWED: &[(OrderStatus, OrderAction, OrderStatus)] = &[
        (S::Placed, A::Cancel, S::Cancelled),
        (S::Packed, A::Cancel, S::Cancelled),
        (S::Placed, A::ChangeItems, S::Placed),
        (S::Placed, A::ChangeAddress, S::Placed),
        (S::Delivered, A::RequestReturn, S::ReturnRequested),
        (S::Placed, A::Pack, S::Packed),
        (S::Packed, A::Ship, S::Shipped),
        (S::Shipped, A::MarkOutForDelivery, S::OutForDelivery),
        (S::Shipped, A::MarkDelivered, S::Delivered),
        (S::OutForDelivery, A::MarkDelivered, S::Delivered),
        (S::ReturnRequested, A::CompleteReturn, S::Returned),
    ];

    #[test]
    fn every_allowed_transition_leads_where_it_should() {
        for &(from, action, to) in ALLOWED {
            assert_eq!(from.apply(action), Ok(to), "{from:?} + {action:?}");
        }
    }

    #[test]
    fn every_other_transition_is_refused() {
        let mut refused = 0;
        for from in ALL_STATUSES {
            for action in ALL_ACTIONS {
                if ALLOWED.iter().any(|&(f, a, _)| f == from && a == action) {
                    continue;
                }
                assert_eq!(from.apply(action), Err(Refusal { status: from, action }), "{from:?} + {action:?}");
                refused += 1;
            }
        }
        assert_eq!(refused, ALL_STATUSES.len() * ALL_ACTIONS.len() - ALLOWED.len());
    }

    #[test]
    fn refusals_say_why_with_the_day() {
        let r = S::Shipped.apply(A::Cancel).unwrap_err();
        assert_eq!(r.message(Some("12 Nov")), "This order can no longer be cancelled: it was already shipped on 12 Nov.");
        let r = S::Placed.apply(A::RequestReturn).unwrap_err();
        assert!(r.message(None).contains("once the order is delivered"));
        let r = S::Packed.apply(A::ChangeAddress).unwrap_err();
        assert!(r.message(Some("3 Dec")).ends_with("was already packed on 3 Dec."));
    }

    #[test]
    fn buttons_follow_the_status() {
        assert_eq!(S::Placed.customer_actions(), vec![A::Cancel, A::ChangeItems, A::ChangeAddress]);
        assert_eq!(S::Packed.customer_actions(), vec![A::Cancel]);
        assert!(S::Shipped.customer_actions().is_empty());
        assert_eq!(S::Delivered.customer_actions(), vec![A::RequestReturn]);
        assert_eq!(S::Placed.next_fulfilment_action(), Some(A::Pack));
        assert_eq!(S::Shipped.next_fulfilment_action(), Some(A::MarkOutForDelivery));
        assert_eq!(S::Delivered.next_fulfilment_action(), None);
        assert_eq!(S::Cancelled.next_fulfilment_action(), None);
    }

    #[test]
    fn names_round_trip() {
        for s in ALL_STATUSES {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        for a in ALL_ACTIONS {
            assert_eq!(OrderAction::parse(a.as_str()), Some(a));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
    }

    #[test]
    fn only_cancelled_and_returned_orders_give_stock_back() {
        assert!(S::Placed.holds_stock());
        assert!(S::Delivered.holds_stock());
        assert!(!S::Cancelled.holds_stock());
        assert!(!S::Returned.holds_stock());
    }

    #[test]
    fn days_read_as_people_write_them() {
        assert_eq!(format_day("2026-11-12T09:30:00Z"), "12 Nov 2026");
        assert_eq!(format_time("2026-01-05T17:04:59Z"), "5 Jan 2026, 17:04 UTC");
        assert_eq!(format_day("soon"), "soon");
        assert_eq!(format_day("2026-13-01"), "2026-13-01");
    }
}
