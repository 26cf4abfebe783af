//! The shop's legal pages: staff publish new versions of the terms, withdrawal
//! notice, privacy notice and legal notice.

pub mod api;
pub mod page;
