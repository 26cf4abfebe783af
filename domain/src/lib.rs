//! Aisle's shared domain: the types that cross the wire between the API server and the
//! web app, and the pure rules both sides must agree on. Nothing here does I/O, so it
//! compiles for native and `wasm32-unknown-unknown` alike and is tested with plain unit
//! tests.
//!
//! - [`money`]: prices as integer minor units of a currency, formatted for people.
//! - [`locale`]: the languages the shop speaks, and their numbers, money and dates.
//! - [`stock`]: what a stock count means to a shopper ("Only 3 left").
//! - [`catalogue`]: categories, products and pages of them, as the API serves them.
//! - [`paging`]: parsing and clamping `page` / `per_page` query parameters.
//! - [`search`]: ranking products against what a shopper typed.
//! - [`art`]: the product pictures, drawn as SVG from the product itself.
//! - [`customer`]: parsing what shoppers type: e-mail, password, phone, address, quantity.
//! - [`order`]: the order state machine and how refusals are worded.
//! - [`shop`]: accounts, carts and orders as the API serves them.
//! - [`personal`]: clickstream, welcome back, recommendations, privacy, staff insight.
//! - [`recommend`]: recommendation algorithms and their offline evaluation.
//! - [`support`]: chat, call-backs, tickets, FAQ, feedback, and the rules behind them.
//! - [`error`]: the JSON error body every API failure uses.

pub mod cart;
pub mod catalogue;
pub mod change;
pub mod checkout;
pub mod customer;
pub mod error;
pub mod locale;
pub mod order;
pub mod personal;
pub mod pricing;
pub mod support;

pub use catalogue::{CatalogueChanges, Category, CategoryPage, Health, Product, ProductSummary, SearchResults};
pub use error::{ApiErrorBody, ApiErrorDetail, ErrorCode};
pub use catalogue::{paging::{PageRequest, PagingError}, stock::StockLevel};
pub use locale::Lang;
pub use pricing::money::{Currency, Money};
