//! A change the web app makes on the shopper's behalf, as its outbox keeps it until the
//! API has it: one variant per kind of change, with its typed body. [`Change::request`]
//! is the one place that says which method and path each goes to, so a page cannot
//! send a change to the wrong address, and the API's tests check every one against the
//! routes it serves.
//!
//! Outbox entries outlive builds: a change queued offline by one build is sent by the
//! next. Entries carry [`OUTBOX_VERSION`]; those written before it (version 1) kept the
//! method, path and JSON body as text, and [`Change::from_legacy`] reads them back.

use crate::{
    cart::SetQuantity,
    checkout::Checkout,
    customer::{AddressInput, ProfileUpdate},
    order::{ChangeItems, ReturnRequest},
    personal::EventBatch,
    support::{FaqVote, NewCallback, NewFeedback, NewRating, NewTicket},
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The outbox entry format this build writes. 1: method, path and body as text.
/// 2: a [`Change`].
pub const OUTBOX_VERSION: u32 = 2;

/// An order the shopper reaches by its number, and the token of its link (empty when
/// they are signed in as its owner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRef {
    pub number: String,
    #[serde(default)]
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    SetCartQuantity { set: SetQuantity },
    PlaceOrder { checkout: Checkout },
    CancelOrder { order: OrderRef },
    ChangeOrderItems { order: OrderRef, change: ChangeItems },
    ChangeOrderAddress { order: OrderRef, address: AddressInput },
    RequestReturn { order: OrderRef, request: ReturnRequest },
    RateProduct { order: OrderRef, product_id: i64, rating: NewRating },
    /// The buyer takes their review back.
    DeleteRating { order: OrderRef, product_id: i64 },
    UpdateProfile { profile: ProfileUpdate },
    AddAddress { address: AddressInput },
    UpdateAddress { id: i64, address: AddressInput },
    DeleteAddress { id: i64 },
    RequestCallback { request: NewCallback },
    SendMessage { ticket: NewTicket },
    SendFeedback { feedback: NewFeedback },
    VoteOnAnswer { article_id: i64, vote: FaqVote },
    RecordActivity { batch: EventBatch },
    /// A signed-in shopper keeps a product on their wish list (a guest's stays on the
    /// device).
    Wish { product_id: i64 },
    Unwish { product_id: i64 },
}

/// What a change is about, for how the app shows it and what it refreshes after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Cart,
    Checkout,
    Order,
    Account,
    /// Call-backs, contact messages, feedback, FAQ votes, ratings.
    Support,
    /// A clickstream batch: sent quietly, never announced.
    Activity,
    /// Wish list keeps and removals: shown on the list at once, sent quietly.
    Wishlist,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// The HTTP request a change is sent as.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    /// From `/api`, with the query (an order link's token) when there is one.
    pub path: String,
    pub body: Value,
}

/// Why an old entry cannot be read as a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyError(pub String);

impl fmt::Display for LegacyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Change {
    pub fn kind(&self) -> ChangeKind {
        use Change::*;
        match self {
            SetCartQuantity { .. } => ChangeKind::Cart,
            PlaceOrder { .. } => ChangeKind::Checkout,
            CancelOrder { .. } | ChangeOrderItems { .. } | ChangeOrderAddress { .. } | RequestReturn { .. } => ChangeKind::Order,
            UpdateProfile { .. } | AddAddress { .. } | UpdateAddress { .. } | DeleteAddress { .. } => ChangeKind::Account,
            RateProduct { .. } | DeleteRating { .. } | RequestCallback { .. } | SendMessage { .. } | SendFeedback { .. } | VoteOnAnswer { .. } => ChangeKind::Support,
            RecordActivity { .. } => ChangeKind::Activity,
            Wish { .. } | Unwish { .. } => ChangeKind::Wishlist,
        }
    }

    pub fn request(&self) -> Request {
        use Change::*;
        fn json(v: &impl Serialize) -> Value {
            serde_json::to_value(v).unwrap_or(Value::Null)
        }
        let empty = || Value::Object(Default::default());
        let (method, path, body) = match self {
            SetCartQuantity { set } => (Method::Put, "/api/cart/items".to_string(), json(set)),
            PlaceOrder { checkout } => (Method::Post, "/api/orders".to_string(), json(checkout)),
            CancelOrder { order } => (Method::Post, order_path(order, "/cancel"), empty()),
            ChangeOrderItems { order, change } => (Method::Put, order_path(order, "/items"), json(change)),
            ChangeOrderAddress { order, address } => (Method::Put, order_path(order, "/address"), json(address)),
            RequestReturn { order, request } => (Method::Post, order_path(order, "/return"), json(request)),
            RateProduct { order, product_id, rating } => (Method::Put, order_path(order, &format!("/ratings/{product_id}")), json(rating)),
            DeleteRating { order, product_id } => (Method::Delete, order_path(order, &format!("/ratings/{product_id}")), empty()),
            UpdateProfile { profile } => (Method::Put, "/api/account".to_string(), json(profile)),
            AddAddress { address } => (Method::Post, "/api/account/addresses".to_string(), json(address)),
            UpdateAddress { id, address } => (Method::Put, format!("/api/account/addresses/{id}"), json(address)),
            DeleteAddress { id } => (Method::Delete, format!("/api/account/addresses/{id}"), empty()),
            RequestCallback { request } => (Method::Post, "/api/support/callbacks".to_string(), json(request)),
            SendMessage { ticket } => (Method::Post, "/api/support/tickets".to_string(), json(ticket)),
            SendFeedback { feedback } => (Method::Post, "/api/support/feedback".to_string(), json(feedback)),
            VoteOnAnswer { article_id, vote } => (Method::Post, format!("/api/faq/{article_id}/votes"), json(vote)),
            RecordActivity { batch } => (Method::Post, "/api/events".to_string(), json(batch)),
            Wish { product_id } => (Method::Put, format!("/api/wishlist/{product_id}"), empty()),
            Unwish { product_id } => (Method::Delete, format!("/api/wishlist/{product_id}"), empty()),
        };
        Request { method, path, body }
    }

    /// Reads a change that a build before [`OUTBOX_VERSION`] 2 queued as text, so that
    /// it is still sent after an update. Anything those builds did not send is refused
    /// with the reason, never guessed at.
    pub fn from_legacy(method: &str, path: &str, body: Value) -> Result<Change, LegacyError> {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let token = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("token="))
            .unwrap_or_default()
            .to_string();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let id = |s: &str| s.parse::<i64>().map_err(|_| LegacyError(format!("{s:?} is not an id")));
        let order = |number: &str| OrderRef { number: number.to_string(), token: token.clone() };
        use Change::*;
        let change = match (method, segments.as_slice()) {
            ("PUT", ["api", "cart", "items"]) => SetCartQuantity { set: body_as(body)? },
            ("POST", ["api", "orders"]) => PlaceOrder { checkout: body_as(body)? },
            ("POST", ["api", "orders", number, "cancel"]) => CancelOrder { order: order(number) },
            ("PUT", ["api", "orders", number, "items"]) => ChangeOrderItems { order: order(number), change: body_as(body)? },
            ("PUT", ["api", "orders", number, "address"]) => ChangeOrderAddress { order: order(number), address: body_as(body)? },
            ("POST", ["api", "orders", number, "return"]) => RequestReturn { order: order(number), request: body_as(body)? },
            ("PUT", ["api", "orders", number, "ratings", product]) => RateProduct { order: order(number), product_id: id(product)?, rating: body_as(body)? },
            ("DELETE", ["api", "orders", number, "ratings", product]) => DeleteRating { order: order(number), product_id: id(product)? },
            ("PUT", ["api", "account"]) => UpdateProfile { profile: body_as(body)? },
            ("POST", ["api", "account", "addresses"]) => AddAddress { address: body_as(body)? },
            ("PUT", ["api", "account", "addresses", n]) => UpdateAddress { id: id(n)?, address: body_as(body)? },
            ("DELETE", ["api", "account", "addresses", n]) => DeleteAddress { id: id(n)? },
            ("POST", ["api", "support", "callbacks"]) => RequestCallback { request: body_as(body)? },
            ("POST", ["api", "support", "tickets"]) => SendMessage { ticket: body_as(body)? },
            ("POST", ["api", "support", "feedback"]) => SendFeedback { feedback: body_as(body)? },
            ("POST", ["api", "faq", n, "votes"]) => VoteOnAnswer { article_id: id(n)?, vote: body_as(body)? },
            ("POST", ["api", "events"]) => RecordActivity { batch: body_as(body)? },
            _ => return Err(LegacyError(format!("{method} {path} is not a change this app sends"))),
        };
        Ok(change)
    }
}

fn body_as<T: DeserializeOwned>(body: Value) -> Result<T, LegacyError> {
    serde_json::from_value(body).map_err(|e| LegacyError(format!("the change could not be read: {e}")))
}

/// `/api/orders/{number}{tail}`, with the link's token as the query when there is one.
/// Only the characters numbers and tokens are made of are kept.
pub fn order_path(order: &OrderRef, tail: &str) -> String {
    let number: String = order.number.chars().filter(char::is_ascii_alphanumeric).collect();
    let token: String = order.token.chars().filter(char::is_ascii_hexdigit).collect();
    if token.is_empty() {
        format!("/api/orders/{number}{tail}")
    } else {
        format!("/api/orders/{number}{tail}?token={token}")
    }
}

/// One change of each kind, as the pages make them: for the tests here and in the
/// API (which checks that each goes to a route it serves).
pub fn examples() -> Vec<Change> {
    let order = OrderRef { number: "A000012".into(), token: "ab12".into() };
    let address = AddressInput { name: "Ada".into(), line1: "1 Road".into(), city: "Town".into(), postcode: "12345".into(), country: "DE".into(), ..Default::default() };
    vec![
        Change::SetCartQuantity { set: SetQuantity { product_id: 7, variant_id: Some(31), quantity: 2 } },
        Change::PlaceOrder {
            checkout: Checkout { currency: Default::default(), credit_minor: Default::default(), terms_version: Default::default(), code: Default::default(), email: "a@b.co".into(), address: address.clone(), payment_method: "pay_on_delivery".into(), delivery_method: Default::default(), expected_total_minor: None, expected: vec![], save_address: false },
        },
        Change::CancelOrder { order: order.clone() },
        Change::ChangeOrderItems { order: order.clone(), change: ChangeItems { items: vec![SetQuantity { product_id: 7, variant_id: None, quantity: 1 }] } },
        Change::ChangeOrderAddress { order: order.clone(), address: address.clone() },
        Change::RequestReturn { order: order.clone(), request: ReturnRequest { reason: "Too big".into() } },
        Change::RateProduct { order: OrderRef { number: "A000012".into(), token: String::new() }, product_id: 7, rating: NewRating { rating: 5, ..NewRating::default() } },
        Change::UpdateProfile { profile: ProfileUpdate { name: "Ada".into(), email: "a@b.co".into(), phone: String::new(), ..Default::default() } },
        Change::AddAddress { address: address.clone() },
        Change::UpdateAddress { id: 3, address },
        Change::DeleteAddress { id: 3 },
        Change::RequestCallback { request: NewCallback { name: "Ada".into(), phone: "+49 1".into(), window: "asap".into(), ..Default::default() } },
        Change::SendMessage { ticket: NewTicket { name: "Ada".into(), email: "a@b.co".into(), subject: "Hi".into(), body: "Hello".into(), ..Default::default() } },
        Change::SendFeedback { feedback: NewFeedback { kind: "compliment".into(), body: "Nice".into(), ..Default::default() } },
        Change::VoteOnAnswer { article_id: 4, vote: FaqVote { helpful: true } },
        Change::RecordActivity { batch: EventBatch { device_id: "d".repeat(32), events: vec![] } },
        Change::DeleteRating { order, product_id: 7 },
        Change::Wish { product_id: 7 },
        Change::Unwish { product_id: 7 },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn samples() -> Vec<Change> {
        examples()
    }

    #[test]
    fn every_change_has_one_address_and_a_kind() {
        let cases: Vec<(Method, String)> = samples().iter().map(|c| (c.request().method, c.request().path)).collect();
        assert_eq!(cases[0], (Method::Put, "/api/cart/items".into()));
        assert_eq!(cases[2], (Method::Post, "/api/orders/A000012/cancel?token=ab12".into()));
        assert_eq!(cases[6], (Method::Put, "/api/orders/A000012/ratings/7".into()));
        assert_eq!(cases[10], (Method::Delete, "/api/account/addresses/3".into()));
        assert_eq!(samples()[15].kind(), ChangeKind::Activity);
    }

    #[test]
    fn a_change_reads_back_as_it_was_written() {
        for change in samples() {
            let text = serde_json::to_string(&change).expect("writes");
            assert_eq!(serde_json::from_str::<Change>(&text).expect("reads"), change, "{text}");
        }
    }

    /// What a version 1 entry held is exactly what its change sends now: an update
    /// does not lose or alter a change queued before it.
    #[test]
    fn changes_queued_as_text_by_an_older_build_read_as_the_same_change() {
        // Builds of version 1 kept no wish list.
        for change in samples().into_iter().filter(|c| c.kind() != ChangeKind::Wishlist) {
            let r = change.request();
            let read = Change::from_legacy(r.method.as_str(), &r.path, r.body.clone()).unwrap_or_else(|e| panic!("{}: {e}", r.path));
            assert_eq!(read.request(), r);
        }
    }

    /// A cart change queued before products had variants names the product itself.
    #[test]
    fn a_cart_change_from_before_variants_names_the_product() {
        let old = json!({"type": "set_cart_quantity", "set": {"product_id": 7, "quantity": 2}});
        let read: Change = serde_json::from_value(old).expect("reads");
        assert_eq!(read, Change::SetCartQuantity { set: SetQuantity { product_id: 7, variant_id: None, quantity: 2 } });
    }

    #[test]
    fn an_unknown_old_change_is_refused_not_guessed() {
        assert!(Change::from_legacy("PATCH", "/api/cart/items", json!({})).is_err(), "an unknown method is not sent as another");
        assert!(Change::from_legacy("POST", "/api/staff/orders/A1/ship", json!({})).is_err());
        assert!(Change::from_legacy("PUT", "/api/cart/items", json!({"product": "x"})).is_err());
        assert!(Change::from_legacy("DELETE", "/api/account/addresses/x", json!({})).is_err());
    }

    #[test]
    fn order_paths_keep_only_number_and_token_characters() {
        let o = OrderRef { number: "A0/../1".into(), token: "zz;ab".into() };
        assert_eq!(order_path(&o, "/cancel"), "/api/orders/A01/cancel?token=ab");
    }
}
