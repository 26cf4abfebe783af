//! What a page shows while it waits, and when something went wrong.

use crate::api::ApiError;
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Loading…"</p> }
}

/// A friendly page for a failed request, with a way forward. Never a blank screen.
#[component]
pub fn ErrorPanel(error: ApiError) -> impl IntoView {
    let offline = error.status == 0;
    view! {
        <section class="error-panel" role="alert" data-testid="error">
            <h1>{if offline { "You seem to be offline" } else { "Sorry, something went wrong" }}</h1>
            <p>{error.message}</p>
            <p>
                <button type="button" on:click=|_| { let _ = window().location().reload(); }>"Try again"</button>
                " or "
                <a href="/">"go to the home page"</a>
            </p>
        </section>
    }
}
