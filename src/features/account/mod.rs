//! Who the shopper is: the session, signing in and up, a forgotten password, and the
//! account page.

pub mod api;
pub mod page;
pub mod reset;
pub mod session;
pub mod sign_in;
