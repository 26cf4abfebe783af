// The storefront's catalogue check, run on this crate's `locales/` (cargo runs a
// build script in its package's folder).
include!("../build.rs");
