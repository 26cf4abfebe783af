//! What Aisle learns from how a shopper uses the shop, and what it gives back: the
//! clickstream the app records, the "welcome back" a returning shopper sees, their
//! recommendations, their privacy settings and a copy of their data; and the figures
//! the shop's staff read on the insight page.

pub mod recommend;
pub mod related;

use crate::{customer::FieldError, order::OrderSummary, Money, ProductSummary};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------
// Clickstream
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    ProductView,
    /// `query` and `results` say what was searched and how much was found.
    Search,
    CartAdd,
    CartRemove,
    CheckoutStarted,
    CheckoutFinished,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::ProductView,
        EventKind::Search,
        EventKind::CartAdd,
        EventKind::CartRemove,
        EventKind::CheckoutStarted,
        EventKind::CheckoutFinished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ProductView => "product_view",
            EventKind::Search => "search",
            EventKind::CartAdd => "cart_add",
            EventKind::CartRemove => "cart_remove",
            EventKind::CheckoutStarted => "checkout_started",
            EventKind::CheckoutFinished => "checkout_finished",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One thing a shopper did, as the app records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientEvent {
    pub kind: EventKind,
    #[serde(default)]
    pub product_id: Option<i64>,
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub results: Option<u32>,
    /// When it happened on the device (ISO time); the server keeps its own receipt time
    /// too and trusts this only for ordering.
    pub at: String,
}

/// Longest batch the API takes in one request.
pub const MAX_EVENTS_PER_BATCH: usize = 100;
/// Longest search query kept.
pub const MAX_EVENT_QUERY_CHARS: usize = 200;

/// `POST /api/events`: a batch of events from one device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventBatch {
    /// A random id the app keeps on the device (32–64 hex characters): ties a guest's
    /// events together without knowing who they are.
    pub device_id: String,
    pub events: Vec<ClientEvent>,
}

impl EventBatch {
    /// Checks a batch: a well-formed device id, 1..=100 events, product events naming a
    /// product, searches carrying their query (trimmed, cut at 200 characters).
    pub fn validate(mut self) -> Result<EventBatch, FieldError> {
        let id_ok = (32..=64).contains(&self.device_id.len()) && self.device_id.bytes().all(|b| b.is_ascii_hexdigit());
        if !id_ok {
            return Err(FieldError::new("device_id", "The device id must be 32 to 64 hex characters."));
        }
        if self.events.is_empty() || self.events.len() > MAX_EVENTS_PER_BATCH {
            return Err(FieldError::new("events", format!("Send 1 to {MAX_EVENTS_PER_BATCH} events at a time.")));
        }
        for e in &mut self.events {
            match e.kind {
                EventKind::ProductView | EventKind::CartAdd | EventKind::CartRemove if e.product_id.is_none_or(|id| id <= 0) => {
                    return Err(FieldError::new("events", "A product event must name its product."));
                }
                EventKind::Search => {
                    let q: String = e.query.as_deref().unwrap_or("").trim().chars().take(MAX_EVENT_QUERY_CHARS).collect();
                    if q.is_empty() || q.chars().any(char::is_control) {
                        return Err(FieldError::new("events", "A search event must carry the words searched."));
                    }
                    e.query = Some(q);
                }
                _ => {}
            }
            if e.at.len() > 40 {
                return Err(FieldError::new("events", "An event's time is not a time."));
            }
        }
        Ok(self)
    }
}

// ---------------------------------------------------------------------------------------
// Privacy
// ---------------------------------------------------------------------------------------

/// `GET/PUT /api/account/privacy`. Both on by default; the browser's Global Privacy
/// Control (`Sec-GPC: 1`) switches the clickstream off whatever is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacySettings {
    /// Recommendations and the "welcome back" greeting from what they bought and viewed.
    pub personalisation: bool,
    /// Recording what they view, search and put in the cart.
    pub clickstream: bool,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings { personalisation: true, clickstream: true }
    }
}

/// `DELETE /api/account` needs the password, so a left-open laptop cannot erase it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeleteAccount {
    pub password: String,
}

// ---------------------------------------------------------------------------------------
// Welcome back and recommendations
// ---------------------------------------------------------------------------------------

/// A delivered product the shopper has not rated yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingPrompt {
    pub order_number: String,
    pub product_id: i64,
    pub product_name: String,
    pub product_slug: String,
    pub delivered_at: String,
}

/// `GET /api/welcome`: what a returning signed-in shopper's home shows first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Welcome {
    /// The first name to greet them by.
    pub first_name: String,
    /// The most recently delivered product not yet rated (only with personalisation on).
    pub rate: Option<RatingPrompt>,
    /// Their newest order that is still on its way (placed, packed, shipped, out for
    /// delivery).
    pub open_order: Option<OrderSummary>,
}

/// The first word of a name, for a greeting ("Ada Lovelace" → "Ada").
pub fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or("there").to_string()
}

/// `GET /api/recommendations`: rows for the home page. Empty rows are left out by the
/// app; with personalisation off every row is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendations {
    /// Products they bought before, most often bought first.
    pub buy_again: Vec<ProductSummary>,
    /// "Because you bought X": what others bought together with their latest purchase.
    pub because_you_bought: Option<BecauseYouBought>,
    /// Best sellers in the categories they buy from most, excluding what they have.
    pub popular_in_favourites: Vec<ProductSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BecauseYouBought {
    pub product: ProductSummary,
    pub similar: Vec<ProductSummary>,
}

// ---------------------------------------------------------------------------------------
// Staff insight
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayFigures {
    /// "2026-11-23"
    pub day: String,
    pub orders: u32,
    pub revenue: Money,
}

/// How many distinct shoppers (accounts or devices) reached each step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Funnel {
    pub viewed: u32,
    pub added_to_cart: u32,
    pub started_checkout: u32,
    pub ordered: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountedText {
    pub text: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaqVotes {
    pub question: String,
    pub helpful: u32,
    pub unhelpful: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseTimes {
    /// Median seconds from a shopper's first chat message to the first agent answer.
    pub chat_median_secs: Option<i64>,
    /// Median seconds from a ticket's opening to the first agent reply.
    pub ticket_median_secs: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingFigures {
    pub count: u32,
    /// Mean stars, `None` without ratings.
    pub average: Option<f64>,
    /// How many ratings gave 1, 2, 3, 4 and 5 stars.
    pub by_stars: [u32; 5],
}

/// `GET /api/staff/insight?days=N` (1..=365, default 30).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Insight {
    /// Every day of the period, oldest first, including days without orders.
    pub days: Vec<DayFigures>,
    pub funnel: Funnel,
    /// Carts with items, untouched for 24 hours, whose owner has not ordered since.
    pub abandoned_carts: u32,
    /// Searches that found nothing, most frequent first (at most 10).
    pub searches_without_results: Vec<CountedText>,
    /// FAQ answers with more "no" than "yes" votes, worst first.
    pub unhelpful_faq: Vec<FaqVotes>,
    pub first_response: ResponseTimes,
    pub ratings: RatingFigures,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: EventKind) -> ClientEvent {
        ClientEvent { kind, product_id: Some(3), query: None, results: None, at: "2026-11-23T10:00:00Z".into() }
    }

    #[test]
    fn batches_are_checked() {
        let ok = EventBatch { device_id: "a".repeat(32), events: vec![event(EventKind::ProductView)] };
        assert!(ok.clone().validate().is_ok());
        assert_eq!(EventBatch { device_id: "xyz".into(), ..ok.clone() }.validate().unwrap_err().field, "device_id");
        assert!(EventBatch { events: vec![], ..ok.clone() }.validate().is_err());
        assert!(EventBatch { events: vec![event(EventKind::CartAdd); 101], ..ok.clone() }.validate().is_err());
        let no_product = ClientEvent { product_id: None, ..event(EventKind::CartAdd) };
        assert!(EventBatch { events: vec![no_product], ..ok.clone() }.validate().is_err());
        let search = ClientEvent { query: Some(format!("  {}  ", "k".repeat(300))), results: Some(0), ..event(EventKind::Search) };
        let checked = EventBatch { events: vec![search], ..ok.clone() }.validate().unwrap();
        assert_eq!(checked.events[0].query.as_deref().map(|q| q.chars().count()), Some(MAX_EVENT_QUERY_CHARS));
        let empty_search = ClientEvent { query: Some("  ".into()), ..event(EventKind::Search) };
        assert!(EventBatch { events: vec![empty_search], ..ok }.validate().is_err());
    }

    #[test]
    fn kinds_round_trip_and_names_greet() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(first_name("Ada Lovelace"), "Ada");
        assert_eq!(first_name("  "), "there");
        assert!(PrivacySettings::default().personalisation && PrivacySettings::default().clickstream);
    }
}
