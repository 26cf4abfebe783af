//! The shopper's market: the country they buy for, and with it the currency and price
//! list (`aisle_domain::market`). Chosen in the footer, or by the delivery country at
//! checkout; kept on the device, so the next visit opens in the same prices.
//!
//! Prices come from the catalogue in the shop's currency and are converted where they
//! enter the app (the device copy as it loads, the API's answers, the cart as the shop
//! sends it), so every page shows them without knowing about markets. A switch from the
//! footer reloads the page, as the storefronts shoppers know do: nothing on screen stays
//! in the old money.

use aisle_domain::{delivery::ShopRules, market::Market, Currency};
use serde::{Deserialize, Serialize};

pub mod switch;
use std::cell::RefCell;

const KEY: &str = "aisle.market";

/// What the device remembers: the country, its market (with the rate it had) and the
/// shop's own currency, so a page can price and label before the rules arrive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Chosen {
    pub country: String,
    #[serde(default)]
    pub market: Option<Market>,
    pub home: Currency,
}

thread_local! {
    static CHOSEN: RefCell<Option<Option<Chosen>>> = const { RefCell::new(None) };
}

pub(crate) fn chosen() -> Option<Chosen> {
    CHOSEN.with(|c| c.borrow_mut().get_or_insert_with(|| aisle_web::device::local_get::<Chosen>(KEY)).clone())
}

fn remember(c: Chosen) {
    aisle_web::device::local_set(KEY, &c);
    // The server draws a cold page's first view in this country's prices too (the
    // API's `catalogue::pages::MARKET_COOKIE`).
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let cookie = format!("aisle_country={}; path=/; max-age=31536000; SameSite=Lax", c.country);
        let _ = js_sys::Reflect::set(&document, &"cookie".into(), &cookie.into());
    }
    CHOSEN.with(|slot| *slot.borrow_mut() = Some(Some(c)));
}

/// The market prices are shown in; `None`: the shop's own.
pub fn current() -> Option<Market> {
    chosen().and_then(|c| c.market)
}

/// The country the shopper buys for, if they said.
pub fn country() -> Option<String> {
    chosen().map(|c| c.country)
}

/// Makes `country` the shopper's; `true` when that changes the market (the caller
/// shows the new prices).
pub fn choose(country: &str, rules: &ShopRules) -> bool {
    let market = rules.markets.for_country(country).cloned();
    let changed = market.as_ref().map(|m| m.currency) != current().map(|m| m.currency);
    remember(Chosen { country: country.to_string(), market, home: rules.currency });
    changed
}

/// The shop's rules as they arrive: a rate changed since the device saved it is kept
/// for the next page load (the checkout prices with the rules themselves).
pub fn follow(rules: &ShopRules) {
    if let Some(c) = chosen() {
        let market = rules.markets.for_country(&c.country).cloned();
        if market != c.market || c.home != rules.currency {
            remember(Chosen { market, home: rules.currency, ..c });
        }
    }
}

/// `<Cart>` and the catalogue's answers in the shopper's market.
pub fn priced<T: aisle_domain::market::InMarket>(mut value: T) -> T {
    value.in_market(current().as_ref());
    value
}
