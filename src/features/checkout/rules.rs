//! The shop's delivery and VAT rules in the web app: fetched the first time a page
//! prices a cart, kept on the device, and used from there when the network is down, so
//! the cart and checkout show delivery, VAT and the total offline exactly as the server
//! will charge them (`aisle_domain::delivery`).

use crate::platform::{http, store};
use aisle_domain::{
    cart::Cart,
    delivery::{MethodKind, Quote, QuoteError, ShopRules},
    pricing::totals::Line,
};
use gloo_net::http::Request;
use leptos::{prelude::*, task::spawn_local};
use std::sync::Arc;

const KEPT: &str = "shop_rules";

/// The rules, once known; shared through context.
#[derive(Clone, Copy)]
pub struct Rules {
    rules: RwSignal<Option<Arc<ShopRules>>>,
    asked: StoredValue<bool>,
    /// Seconds since 1970, moved on every half minute: what the delivery promise's
    /// countdown counts from.
    pub now: RwSignal<i64>,
}

/// How often the countdown moves; it shows minutes.
const TICK_MS: i32 = 30_000;

fn seconds_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

impl Rules {
    pub fn new() -> Rules {
        let now = RwSignal::new(seconds_now());
        let tick = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || now.set(seconds_now()));
        let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(leptos::wasm_bindgen::JsCast::unchecked_ref(tick.as_ref()), TICK_MS);
        tick.forget();
        Rules { rules: RwSignal::new(None), asked: StoredValue::new(false), now }
    }

    /// The rules (tracked), asking the shop for them on the first call.
    pub fn get(self) -> Option<Arc<ShopRules>> {
        if !self.asked.get_value() {
            self.asked.set_value(true);
            self.refresh();
        }
        self.rules.get()
    }

    /// Asks the shop again (after it refused a total: its rules may have changed); the
    /// device's copy stands in while the network is down.
    pub fn refresh(self) {
        spawn_local(async move {
            match http::get::<ShopRules>(Request::get("/api/checkout/rules")).await {
                Ok(fresh) => {
                    crate::features::market::follow(&fresh);
                    let _ = store::set_meta(KEPT, &fresh).await;
                    self.rules.set(Some(Arc::new(fresh)));
                }
                Err(_) if self.rules.with_untracked(Option::is_none) => {
                    if let Ok(Some(kept)) = store::get_meta::<ShopRules>(KEPT).await {
                        self.rules.set(Some(Arc::new(kept)));
                    }
                }
                Err(_) => {}
            }
        });
    }
}

pub fn use_rules() -> Rules {
    expect_context::<Rules>()
}

/// The cart's lines as the totals take them.
pub fn lines(cart: &Cart) -> Vec<Line> {
    cart.lines.iter().map(|l| Line { unit_minor: l.product.price.minor, quantity: l.quantity, tax: l.product.tax_class }).collect()
}

/// `cart` delivered to `country` by `method` (the zone's first when `None`), with what
/// its code takes off.
pub fn quote(rules: &ShopRules, cart: &Cart, country: &str, method: Option<MethodKind>) -> Result<Quote, QuoteError> {
    quote_paid(rules, cart, country, method, None)
}

/// As [`quote`], paid by `payment` with its fee (checkout, once a way to pay is chosen).
pub fn quote_paid(rules: &ShopRules, cart: &Cart, country: &str, method: Option<MethodKind>, payment: Option<aisle_domain::payment::PaymentMethod>) -> Result<Quote, QuoteError> {
    let offer = cart.discount().and_then(Result::ok).unwrap_or_default();
    // The cart is in the shopper's market: delivery and fees are too.
    let market = cart.total.and_then(|t| rules.markets.for_currency(t.currency));
    if market.is_none() {
        return rules.quote_paid(country, method, &lines(cart), offer, payment);
    }
    rules.in_market(market, rules.currency).quote_paid(country, method, &lines(cart), offer, payment)
}
