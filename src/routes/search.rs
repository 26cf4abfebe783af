//! `/search?q=…`: results update as the shopper types in the header's search box.

use crate::{
    app::set_title,
    catalogue::use_catalogue,
    components::{
        feedback::{ErrorPanel, Loading},
        product_card::ProductGrid,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchView() -> impl IntoView {
    set_title("Search");
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let catalogue = use_catalogue();
    let results = LocalResource::new(move || {
        let q = q();
        async move {
            if q.trim().is_empty() {
                return Ok(None);
            }
            let found = catalogue.search(&q).await;
            if let Ok(r) = &found {
                record_search(&q, r.total);
            }
            found.map(Some)
        }
    });
    view! {
        <h1>"Search"</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match results.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(None) => view! { <p>"Type in the search box above to find products."</p> }.into_any(),
                    Ok(Some(r)) if r.items.is_empty() => view! {
                        <p class="no-results" role="status">
                            {format!("No products match “{}”. ", r.query)}
                            <a href="/">"Browse the categories"</a>" instead."
                        </p>
                    }.into_any(),
                    Ok(Some(r)) => {
                        let shown = r.items.len();
                        let summary = if r.total > shown {
                            format!("Showing the best {shown} of {} products matching “{}”", r.total, r.query)
                        } else {
                            format!("{} products match “{}”", r.total, r.query)
                        };
                        view! {
                            <p class="result-count" role="status">{summary}</p>
                            <ProductGrid products=r.items/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Records a search once the shopper has stopped typing for a moment, so "k", "ke",
/// "ket" are not three searches.
fn record_search(query: &str, results: usize) {
    thread_local! {
        static LAST: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    LAST.with(|l| *l.borrow_mut() = query.to_string());
    let query = query.to_string();
    let later = leptos::wasm_bindgen::closure::Closure::once_into_js(move || {
        if LAST.with(|l| *l.borrow() == query) {
            crate::activity::search(&query, results);
        }
    });
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(leptos::wasm_bindgen::JsCast::unchecked_ref(&later), 1_000);
}
