//! One folder per job staff do.

pub mod catalogue;
pub mod console;
pub mod fulfilment;
pub mod insight;
pub mod legal;
pub mod offers;
pub mod reviews;
