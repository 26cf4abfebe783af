//! The search index the API answers `/api/search` from.

use super::store;
use crate::platform::db::Db;
use aisle_domain::catalogue::search::{SearchDoc, SearchIndex};
use std::sync::{Arc, RwLock};

/// The search index of the products on sale, rebuilt whole after each catalogue edit
/// (edits come at a person's pace; a search is a lookup in memory). A search in
/// flight keeps the index it started with.
pub struct LiveSearch(RwLock<Arc<SearchIndex>>);

impl LiveSearch {
    pub async fn load(db: &Db) -> Result<LiveSearch, sqlx::Error> {
        Ok(LiveSearch(RwLock::new(Arc::new(build(db).await?))))
    }

    pub fn current(&self) -> Arc<SearchIndex> {
        // A poisoned lock only means a panic elsewhere mid-swap; the Arc is whole.
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub async fn rebuild(&self, db: &Db) -> Result<(), sqlx::Error> {
        let index = Arc::new(build(db).await?);
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = index;
        Ok(())
    }
}

async fn build(db: &Db) -> Result<SearchIndex, sqlx::Error> {
    let rows = store::search_rows(db).await?;
    Ok(SearchIndex::new(rows.iter().map(|r| SearchDoc { id: r.id, name: &r.name, category: &r.category, description: &r.description })))
}

