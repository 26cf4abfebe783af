//! The components' former paths, while the code still names them so.

pub use crate::app::layout as header;
pub use crate::features::catalogue::product_card;
pub use crate::features::support::widget as support;
pub use crate::ui::{feedback, form};
