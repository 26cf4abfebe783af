//! The footer's Country/region switch.

use super::{choose, chosen, country};
use crate::{features::checkout::rules::use_rules, tr};
use leptos::prelude::*;

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
                            let currency = r.currency_for(&code);
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
