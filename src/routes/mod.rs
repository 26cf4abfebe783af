//! The pages' former paths, while the code still names them so.

pub use crate::app::not_found;
pub use crate::features::account::{page as account, sign_in as auth};
pub use crate::features::cart::page as cart;
pub use crate::features::catalogue::{category, product, search};
pub use crate::features::checkout::page as checkout;
pub use crate::features::console::page as agent;
pub use crate::features::fulfilment::page as staff;
pub use crate::features::home::page as home;
pub use crate::features::insight::page as insight;
pub use crate::features::orders::page as orders;
pub use crate::features::privacy::page as privacy;
pub use crate::features::support::{help, history as support};
