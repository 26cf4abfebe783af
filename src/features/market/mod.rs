//! The shopper's market: the country they buy for, and with it the currency and price
//! list (`aisle_domain::market`). Chosen in the footer, or by the delivery country at
//! checkout; kept on the device, so the next visit opens in the same prices.
//!
//! Prices come from the catalogue in the shop's currency and are converted where they
//! enter the app (the device copy as it loads, the API's answers, the cart as the shop
//! sends it), so every page shows them without knowing about markets. A switch from the
//! footer reloads the page, as the storefronts shoppers know do: nothing on screen stays
//! in the old money.

use crate::{features::checkout::rules::use_rules, tr};
use aisle_domain::{delivery::ShopRules, market::Market, Currency};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

const KEY: &str = "aisle.market";

/// What the device remembers: the country, its market (with the rate it had) and the
/// shop's own currency, so a page can price and label before the rules arrive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Chosen {
    country: String,
    #[serde(default)]
    market: Option<Market>,
    home: Currency,
}

thread_local! {
    static CHOSEN: RefCell<Option<Option<Chosen>>> = const { RefCell::new(None) };
}

fn chosen() -> Option<Chosen> {
    CHOSEN.with(|c| c.borrow_mut().get_or_insert_with(|| aisle_web::device::local_get::<Chosen>(KEY)).clone())
}

fn remember(c: Chosen) {
    aisle_web::device::local_set(KEY, &c);
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

/// "Germany · EUR" in the footer; pressed, the countries the shop delivers to, each
/// with its currency. The list needs the shop's rules, so they are asked for only then:
/// a first visit's load carries nothing for it.
#[component]
pub fn MarketSwitch() -> impl IntoView {
    let open = RwSignal::new(false);
    let rules = use_rules();
    let label = move || match chosen() {
        Some(c) => format!("{} · {}", crate::features::cart::page::country_name(&c.country), c.market.map_or(c.home, |m| m.currency).code()),
        None => String::new(),
    };
    view! {
        <span class="market" data-testid="market">
            <Show when=move || open.get() fallback=move || view! {
                <button type="button" class="link" data-testid="market-open" on:click=move |_| open.set(true)>
                    {tr!(market_label)}{move || { let l = label(); if l.is_empty() { l } else { format!(": {l}") } }}
                </button>
            }>
                <label for="market">{tr!(market_label)}</label>" "
                {move || match rules.get() {
                    None => view! { <span>"…"</span> }.into_any(),
                    Some(r) => {
                        let here = country().unwrap_or_else(|| r.tax.home.clone());
                        let mut countries: Vec<(String, String)> = r.countries().map(|c| (crate::features::cart::page::country_name(c), c.to_string())).collect();
                        countries.sort();
                        let options = countries.into_iter().map(|(name, code)| {
                            let currency = r.markets.for_country(&code).map_or(r.currency, |m| m.currency);
                            let selected = code.eq_ignore_ascii_case(&here);
                            view! { <option value=code.clone() selected=selected>{format!("{name} ({})", currency.code())}</option> }
                        }).collect_view();
                        let r2 = r.clone();
                        view! {
                            <select id="market" data-testid="market-select" on:change=move |ev| {
                                choose(&event_target_value(&ev), &r2);
                                // Everything on screen was priced in the old market.
                                let _ = window().location().reload();
                            }>{options}</select>
                        }.into_any()
                    }
                }}
            </Show>
        </span>
    }
}
