//! The API half of `cargo xtask bench`: throughput and latency under load on loopback,
//! and a peer serving the same catalogue for comparison.

use crate::{bench::Figure, Result};
use std::path::Path;

/// Measures the running server at `base` (its data folder is `data`, its binary `bin`).
pub fn run(_base: &str, _data: &Path, _bin: &Path) -> Result<Vec<Figure>> {
    Ok(Vec::new())
}
