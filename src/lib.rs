//! Aisle's web app: the storefront shoppers use, rendered in the browser.
//!
//! - [`app`]: the `App` component, its routes and the state every page shares.
//! - [`api`]: every HTTP call to the Aisle API, in one place.
//! - [`store`]: everything kept on the device, in IndexedDB, in one place.
//! - [`catalogue`]: the catalogue kept on the device, answering pages offline.
//! - [`routes`]: one module per page.
//! - [`components`]: pieces several pages use (header, product card, forms).
//! - [`outbox`]: every change, saved on the device first and sent exactly once.
//! - [`pwa`]: service worker registration, update prompt, online state.
//! - [`shop`]: the shopper's session and cart, shared through context.
//! - [`support`]: the help widget's state and the FAQ kept on the device.
//! - [`activity`]: the clickstream, batched through the outbox, honouring privacy.
//! - [`personal`]: privacy settings, greeting and recommendations (kept for offline).
//! - [`lang`]: the language on show, its switch, and words, prices and dates in it.
//! - [`chat`]: live chat over a WebSocket that reconnects by itself.

// The `i18n` module: the `Locale` enum, `use_i18n` and `t!`, checked against locales/*.json.
// The build.rs code generation the crate now prefers pulls ICU's data exporter into
// every build; the macro reads the same catalogues with none of that.
#[allow(deprecated)]
mod catalogues {
    leptos_i18n::load_locales!();
}
pub use catalogues::i18n;

pub mod app;
pub mod features;
pub mod platform;
pub mod ui;

pub use app::App;
