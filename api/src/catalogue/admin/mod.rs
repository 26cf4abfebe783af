//! The back office's catalogue: staff list, read, create, duplicate, edit and delete
//! products, add and arrange their photos, translate them, read each one's audit list, export and import the catalogue as CSV, and
//! keep the categories. Every route takes [`Staff`]: a shopper
//! gets 403 and a guest 401 before anything is read. Writes go through
//! [`super::writer`], which keeps versions, caches, search and the audit in step.

pub mod categories;
pub mod common;
pub mod create;
pub mod csv;
pub mod delete;
pub mod import_plan;
pub mod list;
pub mod photos;
pub mod read;
pub mod routes;
pub mod store;
pub mod translations;
pub mod update;
pub mod variants;
