//! The browser tab's title.

use leptos::prelude::document;

/// Sets the browser tab's title for the page on show.
pub fn set_title(page: &str) {
    let title = if page.is_empty() { "Aisle".to_string() } else { format!("{page} · Aisle") };
    document().set_title(&title);
}
