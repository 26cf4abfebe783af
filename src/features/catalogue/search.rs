//! `/search?q=…`: results update as the shopper types in the header's search box.
//!
//! With the catalogue on the device (the usual case) results are computed as the query
//! changes, without a round of async work, and the cards are keyed by product: a
//! keystroke is one render that keeps the cards still in the results. Before the
//! device has a copy, the API answers.

use crate::{
    features::catalogue::{local::use_catalogue, product_card::ProductCard},
    platform::lang::fill,
    tr,
    tr_now,
    ui::{feedback::{ErrorPanel, Loading}, title::set_title},
};
use aisle_domain::{ProductSummary, SearchResults};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Results shown at first, and added by each "Show more".
const PAGE: usize = 24;
/// The API answers at most this many.
const MAX_SHOWN: usize = 96;

#[derive(Clone, PartialEq)]
enum Shown {
    Prompt,
    Loading,
    Failed(crate::platform::http::ApiError),
    Results(SearchResults),
}

#[component]
pub fn SearchView() -> impl IntoView {
    set_title(tr_now!(search_title));
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let limit = RwSignal::new(PAGE);
    // A new query starts again from the first few.
    Effect::new(move |prev: Option<String>| {
        let now = q.get();
        if prev.is_some_and(|p| p != now) && limit.get_untracked() != PAGE {
            limit.set(PAGE);
        }
        now
    });
    let catalogue = use_catalogue();
    let on_device = Memo::new(move |_| {
        let q = q.get();
        let limit = limit.get();
        catalogue.data.with(|d| d.as_ref().map(|d| (!q.trim().is_empty()).then(|| d.search(&q, limit))))
    });
    let from_api = LocalResource::new(move || {
        let q = q.get();
        let limit = limit.get();
        let needed = on_device.with(Option::is_none) && !q.trim().is_empty();
        async move {
            if needed {
                catalogue.search(&q, limit).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let shown = Memo::new(move |_| match on_device.get() {
        Some(None) => Shown::Prompt,
        Some(Some(r)) => Shown::Results(r),
        None if q.with(|q| q.trim().is_empty()) => Shown::Prompt,
        None => match from_api.get() {
            None => Shown::Loading,
            Some(Err(e)) => Shown::Failed(e),
            Some(Ok(Some(r))) => Shown::Results(r),
            Some(Ok(None)) => Shown::Loading,
        },
    });
    // Recorded once the shopper pauses, so "k", "ke", "ket" are not three searches.
    Effect::new(move |_| {
        if let Shown::Results(r) = shown.get() {
            record_search(&r.query, r.total);
        }
    });
    let items = Memo::new(move |_| match shown.get() {
        Shown::Results(r) => r.items,
        _ => Vec::new(),
    });
    let more = move || match shown.get() {
        Shown::Results(r) if r.total > r.items.len() && r.items.len() < MAX_SHOWN => Some(view! {
            <button type="button" class="secondary show-more" on:click=move |_| limit.update(|l| *l = (*l + PAGE).min(MAX_SHOWN))>
                {tr!(show_more)}
            </button>
        }),
        _ => None,
    };
    let i18n = crate::i18n::use_i18n();
    view! {
        <h1>{tr!(search_title)}</h1>
        {move || match shown.get() {
            Shown::Prompt => view! { <p>{tr!(search_prompt)}</p> }.into_any(),
            Shown::Loading => view! { <Loading/> }.into_any(),
            Shown::Failed(error) => view! { <ErrorPanel error/> }.into_any(),
            Shown::Results(r) if r.items.is_empty() => view! {
                <p class="no-results" role="status">
                    {fill(crate::i18n::t_string!(i18n, no_results), &[("q", &r.query)])}" "
                    <a href="/">{tr!(browse_the_categories)}</a>{tr!(instead)}
                </p>
            }.into_any(),
            Shown::Results(r) => {
                let shown = r.items.len();
                let lang = crate::platform::lang::lang();
                let total = lang.integer(r.total as i64);
                let summary = if r.total > shown {
                    fill(crate::i18n::t_string!(i18n, results_best), &[("shown", &shown), ("total", &total), ("q", &r.query)])
                } else if r.total == 1 {
                    fill(crate::i18n::t_string!(i18n, results_1), &[("q", &r.query)])
                } else {
                    fill(crate::i18n::t_string!(i18n, results_all), &[("total", &total), ("q", &r.query)])
                };
                view! { <p class="result-count" role="status">{summary}</p> }.into_any()
            }
        }}
        <ul class="product-grid">
            <For each=move || items.get() key=card_key let:product>
                <ProductCard product/>
            </For>
        </ul>
        {more}
    }
}

/// A card is kept while its product is in the results and shows the same thing.
fn card_key(p: &ProductSummary) -> (i64, i64, i64) {
    (p.id, p.stock, p.price.minor)
}

/// Records a search once the shopper has stopped typing for a moment.
fn record_search(query: &str, results: usize) {
    thread_local! {
        static LAST: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    LAST.with(|l| *l.borrow_mut() = query.to_string());
    let query = query.to_string();
    let later = leptos::wasm_bindgen::closure::Closure::once_into_js(move || {
        if LAST.with(|l| *l.borrow() == query) {
            crate::features::personal::activity::search(&query, results);
        }
    });
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(leptos::wasm_bindgen::JsCast::unchecked_ref(&later), 1_000);
}
