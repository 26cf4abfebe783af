//! What Aisle's two web apps, the storefront (the root package) and the back office
//! (`staff/`), share in the browser:
//!
//! - [`http`]: talking to the API: reads, changes with the session's CSRF token, the
//!   session itself, and [`http::ApiError`], whose message is fit to show.
//! - [`lang`]: the language on show as the domain's [`aisle_domain::Lang`], for text
//!   and requests made outside views; each app keeps its own word catalogue.
//! - [`chat`]: the live chat's WebSocket client, for shoppers and agents alike.
//! - [`device`]: small settings kept in the browser's local storage.

pub mod chat;
pub mod device;
pub mod http;
pub mod lang;
