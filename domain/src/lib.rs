//! Aisle's shared domain: the types that cross the wire between the API server and the
//! web app, and the pure rules both sides must agree on. Nothing here does I/O, so it
//! compiles for native and `wasm32-unknown-unknown` alike and is tested with plain unit
//! tests.
//!
//! - [`catalogue`]: categories, products and pages of them as the API serves them;
//!   `search` (ranking what a shopper typed), `stock` (what a count means to a
//!   shopper), `paging`, `art` (product pictures drawn as SVG).
//! - [`pricing`]: money as integer minor units of a currency, formatted for people.
//! - [`cart`], [`checkout`]: the cart and its totals; what a checkout sends.
//! - [`order`]: the order as the API serves it, and its state machine (`status`).
//! - [`invoice`]: invoices and credit notes, their numbers and VAT by rate.
//! - [`legal`]: the terms, withdrawal, privacy and imprint pages, and their versions.
//! - [`market`]: currencies and price lists per group of delivery countries.
//! - [`credit`]: store credit, its ledger, and price-drop protection.
//! - [`customer`]: parsing what shoppers type (e-mail, password, phone, address,
//!   quantity); accounts and sessions on the wire.
//! - [`support`]: chat, call-backs, tickets, FAQ, feedback, and the rules behind them.
//! - [`review`]: what a review may say, when it waits for staff, how stars add up.
//! - [`personal`]: clickstream, welcome back, privacy, staff insight; `recommend`.
//! - [`change`]: the changes the web app's outbox queues, and where each is sent.
//! - [`locale`]: the languages the shop speaks, and their numbers, money and dates.
//! - [`error`]: the JSON error body every API failure uses, and its codes.
//! - [`url`]: putting text into a link safely.

pub mod cart;
pub mod catalogue;
pub mod change;
pub mod checkout;
pub mod credit;
pub mod customer;
pub mod delivery;
pub mod error;
pub mod invoice;
pub mod legal;
pub mod locale;
pub mod market;
pub mod offers;
pub mod order;
pub mod payment;
pub mod personal;
pub mod pricing;
pub mod review;
pub mod support;
pub mod url;
pub mod wishlist;

pub use catalogue::{
    paging::{PageRequest, PagingError},
    stock::StockLevel,
    BrandPage, CatalogueChanges, Category, CategoryPage, Health, Product, ProductSummary, SearchResults,
};
pub use error::{ApiErrorBody, ApiErrorDetail, ErrorCode};
pub use locale::Lang;
pub use pricing::money::{Currency, Money};
