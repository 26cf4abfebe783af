//! What a page shows while it waits, and when something went wrong.

use crate::{platform::http::ApiError, tr};
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{tr!(loading)}</p> }
}

/// A page on its way, drawn as grey blocks in the places and sizes of what replaces
/// them (`children`), so nothing on the screen moves when the content arrives. The
/// blocks are hidden from screen readers, which hear one "Loading…" instead; they
/// pulse gently, and stand still for who asks for less motion.
#[component]
pub fn Placeholder(children: Children) -> impl IntoView {
    view! {
        <div class="loading placeholder" data-testid="placeholder">
            <p class="visually-hidden" role="status">{tr!(loading)}</p>
            <div class="skeleton" aria-hidden="true">{children()}</div>
        </div>
    }
}

/// A grey line of text in a placeholder: `class` gives the real element's classes
/// (so it has its size) and the bar's width.
#[component]
pub fn Bar(#[prop(into)] class: String) -> impl IntoView {
    view! { <span class=format!("sk {class}")>"\u{a0}"</span> }
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
