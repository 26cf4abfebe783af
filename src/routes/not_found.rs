use crate::app::set_title;
use leptos::prelude::*;

/// Shown for unknown addresses, and for products or categories that do not exist.
#[component]
pub fn NotFound(#[prop(into, default = "Page not found".into())] title: String) -> impl IntoView {
    set_title(&title);
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>{title}</h1>
            <p>"The link may be old, or the item may have been removed."</p>
            <p><a href="/">"Browse all categories"</a>" or search above."</p>
        </section>
    }
}
