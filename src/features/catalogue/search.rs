//! `/search?q=…&sort=…&page=N`: results update as the shopper types in the header's
//! search box, best match first unless another order is chosen, with the same filters
//! as a category (see `filters`) and "Show more" paging in the address.
//!
//! With the catalogue on the device (the usual case) results are computed as the query
//! changes, without a round of async work, and the cards are keyed by product: a
//! keystroke is one render that keeps the cards still in the results. Before the
//! device has a copy, the API answers.

use crate::{
    features::catalogue::{
        filters::{href_keeping, kept, open_on, page_in, params_in, ListingControls, ShowMore},
        local::{read_choice, use_catalogue},
        product_card::ProductCard,
    },
    platform::lang::fill,
    tr,
    tr_now,
    ui::{feedback::{ErrorPanel, Loading}, title::set_title},
};
use aisle_domain::{catalogue::{listing::Choice, paging::DEFAULT_PER_PAGE}, Currency, ProductSummary, SearchResults};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, PartialEq)]
enum Shown {
    Prompt,
    Loading,
    Failed(crate::platform::http::ApiError),
    /// The results, the order and filters they were read with, and whether the
    /// address's own could not be read (then the results are unfiltered).
    Results(SearchResults, Choice, bool),
}

#[component]
pub fn SearchView() -> impl IntoView {
    set_title(tr_now!(search_title));
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let page = Memo::new(move |_| page_in(&query.read()));
    let params = Memo::new(move |_| params_in(&query.read()));
    let shown_through = move || (page.get() as usize).saturating_mul(DEFAULT_PER_PAGE as usize);
    let catalogue = use_catalogue();
    // The filters' counts, only once the shopper opens them (see `CatalogueData::search`).
    let counted = RwSignal::new(open_on("/search"));
    let on_device = Memo::new(move |_| {
        let q = q.get();
        let through = shown_through();
        let counted = counted.get();
        params.with(|params| {
            catalogue.data.with(|d| {
                d.as_ref().map(|d| {
                    (!q.trim().is_empty()).then(|| {
                        let (choice, unread) = read_choice(params, d.currency()).map_or((Choice::default(), true), |c| (c, false));
                        (d.search(&q, through, &choice, counted), choice, unread)
                    })
                })
            })
        })
    });
    let from_api = LocalResource::new(move || {
        let q = q.get();
        let through = shown_through();
        let params = params.get();
        let needed = on_device.with(Option::is_none) && !q.trim().is_empty();
        async move {
            if !needed {
                return Ok(None);
            }
            match catalogue.search(&q, through, &params).await {
                Err(e) if e.status == 400 => catalogue.search(&q, through, &[]).await.map(|(r, c)| Some((r, c, true))),
                other => other.map(|(r, c)| Some((r, c, false))),
            }
        }
    });
    let shown = Memo::new(move |_| match on_device.get() {
        Some(None) => Shown::Prompt,
        Some(Some((r, c, unread))) => Shown::Results(r, c, unread),
        None if q.with(|q| q.trim().is_empty()) => Shown::Prompt,
        None => match from_api.get() {
            None => Shown::Loading,
            Some(Err(e)) => Shown::Failed(e),
            Some(Ok(Some((r, c, unread)))) => Shown::Results(r, c, unread),
            Some(Ok(None)) => Shown::Loading,
        },
    });
    // Recorded once the shopper pauses, so "k", "ke", "ket" are not three searches;
    // and as typed, so choosing a filter afterwards is not another search.
    Effect::new(move |_| {
        if let Shown::Results(r, choice, _) = shown.get() {
            if choice.is_default() {
                record_search(&r.query, r.total);
            }
        }
    });
    let items = Memo::new(move |_| match shown.get() {
        Shown::Results(r, _, _) => r.items,
        _ => Vec::new(),
    });
    let i18n = crate::i18n::use_i18n();
    // "Showing the best 24 of 130 products matching “kettle”": it follows each
    // keystroke without redrawing the controls.
    let summary = Signal::derive(move || match shown.get() {
        Shown::Results(r, _, _) => {
            let shown = r.items.len();
            let lang = crate::platform::lang::lang();
            let total = lang.integer(r.total as i64);
            if r.total > shown {
                fill(crate::i18n::t_string!(i18n, results_best), &[("shown", &shown), ("total", &total), ("q", &r.query)])
            } else if r.total == 1 {
                fill(crate::i18n::t_string!(i18n, results_1), &[("q", &r.query)])
            } else {
                fill(crate::i18n::t_string!(i18n, results_all), &[("total", &total), ("q", &r.query)])
            }
        }
        _ => String::new(),
    });
    // The controls are drawn again only when what they show changes: not for a
    // keystroke that leaves the same products.
    let controls = Memo::new(move |_| match shown.get() {
        Shown::Results(r, choice, unread) if !r.items.is_empty() || !choice.is_default() => {
            let currency = r.items.first().map_or(Currency::EUR, |p| p.price.currency);
            Some((choice, r.facets, r.total, unread, currency))
        }
        _ => None,
    });
    let more = Memo::new(move |_| match shown.get() {
        Shown::Results(r, choice, _) => {
            let currency = r.items.first().map_or(Currency::EUR, |p| p.price.currency);
            let keep = params.with(|p| kept(p));
            // Before the device has the catalogue the API gives at most a hundred.
            let total = if on_device.with(Option::is_some) { r.total } else { r.total.min(crate::features::catalogue::api::MAX_SEARCH) };
            Some((href_keeping("/search", &keep, &choice, currency), page.get(), r.items.len(), total as i64))
        }
        _ => None,
    });
    view! {
        <h1>{tr!(search_title)}</h1>
        {move || match shown.get() {
            Shown::Prompt => view! { <p>{tr!(search_prompt)}</p> }.into_any(),
            Shown::Loading => view! { <Loading/> }.into_any(),
            Shown::Failed(error) => view! { <ErrorPanel error/> }.into_any(),
            Shown::Results(r, choice, _) if r.items.is_empty() && choice.is_default() => view! {
                <p class="no-results" role="status">
                    {fill(crate::i18n::t_string!(i18n, no_results), &[("q", &r.query)])}" "
                    <a href="/">{tr!(browse_the_categories)}</a>{tr!(instead)}
                </p>
            }.into_any(),
            Shown::Results(..) => ().into_any(),
        }}
        {move || controls.get().map(|(choice, facets, total, unread, currency)| {
            let keep = params.with(|p| kept(p));
            view! {
                {unread.then(|| view! { <p class="notice" role="alert" data-testid="listing-unread">{tr!(listing_unread)}</p> })}
                <ListingControls path="/search".to_string() keep choice=choice.clone() facets currency total=total as i64 count=summary
                    on_open=Callback::new(move |()| if !counted.get_untracked() { counted.set(true) })/>
                {(total == 0).then(|| view! { <p class="empty">{tr!(listing_none)}</p> })}
            }
        })}
        <ul class="product-grid">
            <For each=move || items.get() key=card_key let:product>
                <ProductCard product/>
            </For>
        </ul>
        {move || more.get().map(|(href, page, shown, total)| view! { <ShowMore href page shown total/> })}
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
