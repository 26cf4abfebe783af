//! What a page shows while it waits, and when something went wrong.

use crate::{platform::http::ApiError, tr};
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{tr!(loading)}</p> }
}

/// A friendly page for a failed request, with a way forward. Never a blank screen.
#[component]
pub fn ErrorPanel(error: ApiError) -> impl IntoView {
    let offline = error.status == 0;
    view! {
        <section class="error-panel" role="alert" data-testid="error">
            <h1>{if offline { tr!(error_offline).into_any() } else { tr!(error_failed).into_any() }}</h1>
            <p>{error.message}</p>
            <p>
                <button type="button" on:click=|_| { let _ = window().location().reload(); }>{tr!(try_again)}</button>
                {tr!(or)}
                <a href="/">{tr!(go_home)}</a>
            </p>
        </section>
    }
}
