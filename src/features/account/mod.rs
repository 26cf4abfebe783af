//! Who the shopper is: the session, signing in and up, and the account page.

pub mod api;
pub mod page;
pub mod session;
pub mod sign_in;
