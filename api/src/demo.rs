//! The demo shop a new database starts with, the same on every machine: the catalogue
//! (see `catalogue::seed`) and the help articles (see `support::faq::seed`).

use crate::{catalogue, platform::db::Db, support};

/// Seeds what is missing; `true` when the catalogue was seeded. The help articles are
/// seeded if they are missing, whatever the catalogue holds.
pub async fn seed_if_empty(db: &Db) -> Result<bool, sqlx::Error> {
    support::faq::seed::seed_if_empty(db).await?;
    catalogue::seed::seed_if_empty(db).await
}
