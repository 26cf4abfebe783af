//! API tests against a real server on a free port with a fresh SQLite file per test.

mod backoffice;
mod catalogue;
mod catalogue_admin;
mod checkout_totals;
mod category_tree;
mod errors;
mod faults;
mod mail;
mod operations;
mod openapi;
mod personal;
mod photos;
mod recovery;
mod reviews;
mod security;
mod shop;
mod support;
mod translations;
mod helpers;
mod hostile;
mod invoices;
mod legal;
mod links;
mod variants;
mod web;
mod wishlist;
