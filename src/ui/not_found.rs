use crate::{tr, tr_now, ui::title::set_title};
use leptos::prelude::*;

/// Shown for unknown addresses, and for products or categories that do not exist.
#[component]
pub fn NotFound(#[prop(into, optional)] title: Option<String>) -> impl IntoView {
    let title = title.unwrap_or_else(|| tr_now!(not_found_title).to_string());
    set_title(&title);
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>{title}</h1>
            <p>{tr!(not_found_text)}</p>
            <p><a href="/">{tr!(browse_categories)}</a>{tr!(or_search_above)}</p>
        </section>
    }
}
