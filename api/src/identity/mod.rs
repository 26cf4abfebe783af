//! Who is asking: sessions, sign-up, sign-in and sign-out, passwords, the profile and
//! the address book.

pub mod auth;
pub mod routes;
pub mod store;
