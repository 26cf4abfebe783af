//! Who is asking: sessions, sign-up, sign-in and sign-out, passwords, the profile and
//! the address book.

pub mod password;
pub mod session;
pub mod routes;
pub mod store;
