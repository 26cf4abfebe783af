//! What every feature of the web app stands on: HTTP calls to the API, the device's
//! storage, the outbox, the service worker and the language on show.

pub mod first_view;
pub mod i18n;
pub mod idle;
pub mod lang;
pub mod outbox;
pub mod pwa;
pub mod scroll;
pub mod store;

/// The API client lives in the crate both web apps share.
pub use aisle_web::http;

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
