//! What every feature of the web app stands on: HTTP calls to the API, the device's
//! storage, the outbox, the service worker and the language on show.

pub mod i18n;
pub mod idle;
pub mod lang;
pub mod outbox;
pub mod pwa;
pub mod store;

/// The API client lives in the crate both web apps share.
pub use aisle_web::http;
