//! The handlers' former paths, while the code still names them so.

pub use crate::cart::routes as cart;
pub use crate::catalogue::{routes as catalogue, search, stock_events as stock};
pub use crate::fulfilment::routes as staff;
pub use crate::identity::routes as account;
pub use crate::orders::routes as orders;
pub use crate::personal::routes as personal;
pub use crate::platform::health;
pub use crate::support::{chat, console::routes as agent, faq::routes as faq, routes as support};
