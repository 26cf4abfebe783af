//! Photos: the files of every product photo, encoded at upload and served with a
//! year's cache.
//!
//! - `process` turns an upload into the files a page offers (WebP and AVIF at up to
//!   four widths) and a ThumbHash, off the async runtime, with the pixel count checked
//!   before anything is decoded.
//! - `store` keeps the files where every instance sees them: the database by default,
//!   or the bucket or directory `AISLE_MEDIA_STORE` names.
//! - `routes` serves `/media/{key}-{width}.{avif|webp}`.
//!
//! Which photos a product has is the catalogue's business (`catalogue::writer`); this
//! folder knows files, not products.
//!
//! Invariant: a file's name holds the hash of the upload it came from, so a name is
//! written once and its bytes never change (hence `immutable`).

pub mod process;
pub mod routes;
pub mod store;

pub use routes::router;
