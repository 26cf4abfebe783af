//! Aisle's web app: the storefront shoppers use, rendered in the browser.
//!
//! - [`app`]: the shell: the page frame, the routes, and the start of every feature.
//! - [`features`]: one folder per feature, with its pages, components and state.
//! - [`platform`]: what every feature stands on: HTTP calls to the API, the device's
//!   storage, the outbox, the service worker, the language on show.
//! - [`ui`]: pieces of page every feature uses.

pub mod app;
pub mod features;
pub mod platform;
pub mod ui;

pub use app::App;
pub use platform::i18n;
