//! Aisle's web app: the storefront shoppers use, rendered in the browser.
//!
//! - [`app`]: the `App` component, its routes and the state every page shares.
//! - [`api`]: every HTTP call to the Aisle API, in one place.
//! - [`routes`]: one module per page.
//! - [`components`]: pieces several pages use (header, product card, forms).
//! - [`shop`]: the shopper's session and cart, shared through context.

pub mod api;
pub mod app;
pub mod components;
pub mod routes;
pub mod shop;

pub use app::App;
