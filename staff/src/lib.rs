//! Aisle's back office: the web app the shop's staff use, at `/staff`.
//!
//! - [`app`]: the shell: sign-in, the side navigation, the routes.
//! - [`features`]: one folder per job: fulfilment, the agent console, insight.
//! - [`platform`]: the API client (from `aisle-web`), the language and the shop's clock.
//! - [`ui`]: pieces every page uses.

pub mod app;
pub mod features;
pub mod i18n;
pub mod platform;
pub mod ui;

pub use app::App;
