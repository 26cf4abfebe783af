//! Keyboard shortcuts for what staff do all day: `g` then `o`, `s` or `i` goes to
//! orders, support or insight; `/` jumps to the page's search field; `?` lists them.
//! None fires while a field has focus, so typing is never taken over.

use leptos::{ev, prelude::*};
use leptos_router::{hooks::use_navigate, NavigateOptions};
use std::cell::Cell;

thread_local! {
    /// When `g` was pressed (ms), waiting for the second key.
    static AFTER_G: Cell<f64> = const { Cell::new(0.0) };
}

/// How long `g` waits for its second key.
const CHORD_MS: f64 = 1_500.0;

pub fn start() {
    let navigate = use_navigate();
    let handle = window_event_listener(ev::keydown, move |e: ev::KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || typing() {
            return;
        }
        let now = js_sys::Date::now();
        let chord = AFTER_G.with(|g| now - g.replace(0.0) < CHORD_MS);
        let go = |path: &str| navigate(path, NavigateOptions::default());
        match (chord, e.key().as_str()) {
            (true, "o") => go("/staff"),
            (true, "s") => go("/staff/support"),
            (true, "i") => go("/staff/insight"),
            (true, "p") => go("/staff/products"),
            (true, "c") => go("/staff/categories"),
            (true, "r") => go("/staff/reviews"),
            (_, "g") => AFTER_G.with(|g| g.set(now)),
            (_, "/") => {
                if let Some(field) = document().query_selector("[data-shortcut-search]").ok().flatten() {
                    e.prevent_default();
                    if let Ok(field) = leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(field) {
                        let _ = field.focus();
                    }
                }
            }
            _ => return,
        }
    });
    on_cleanup(move || handle.remove());
}

fn typing() -> bool {
    document().active_element().is_some_and(|e| {
        matches!(e.tag_name().to_ascii_lowercase().as_str(), "input" | "textarea" | "select") || e.has_attribute("contenteditable")
    })
}
