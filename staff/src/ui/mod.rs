//! Pieces every page of the back office uses.

use crate::tr;
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{tr!(loading)}</p> }
}

/// Sets the browser tab's title for the page on show.
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} · Aisle back office"));
}
