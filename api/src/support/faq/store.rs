//! The help centre's articles and their "was this helpful?" votes. The articles are few
//! (see `seed::FAQ`), so search reads them all and ranks them with the shared search.

use crate::platform::{db::Db, error::ApiError};
use aisle_domain::support::{Faq, FaqArticle, FaqCategory};

type ArticleRow = (i64, String, String, String, String, String, i64, i64);

const ARTICLE_COLUMNS: &str = "SELECT a.id, a.slug, c.slug, c.name, a.question, a.answer, a.helpful, a.unhelpful \
     FROM faq_articles a JOIN faq_categories c ON c.slug = a.category_slug";

fn article((id, slug, _, category, question, answer, helpful, unhelpful): ArticleRow) -> FaqArticle {
    FaqArticle { id, slug, category, question, answer, helpful, unhelpful }
}

/// Every article, by category in the order to show them.
pub async fn faq(db: &Db) -> Result<Faq, ApiError> {
    let categories: Vec<(String, String)> = sqlx::query_as("SELECT slug, name FROM faq_categories ORDER BY position, slug").fetch_all(db).await?;
    let rows: Vec<ArticleRow> = sqlx::query_as(&format!("{ARTICLE_COLUMNS} ORDER BY c.position, a.position, a.id")).fetch_all(db).await?;
    let mut faq = Faq { categories: categories.into_iter().map(|(slug, name)| FaqCategory { slug, name, articles: Vec::new() }).collect() };
    for row in rows {
        if let Some(c) = faq.categories.iter_mut().find(|c| c.slug == row.2) {
            c.articles.push(article(row));
        }
    }
    Ok(faq)
}

pub const MAX_RESULTS: usize = 10;

/// The best-matching articles, best first; none for an empty query.
pub async fn search(db: &Db, query: &str) -> Result<Vec<FaqArticle>, ApiError> {
    // Long pastes are cut rather than refused: the first words carry the meaning.
    let query: String = query.trim().chars().take(200).collect();
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let faq = faq(db).await?;
    Ok(faq.search(&query, MAX_RESULTS).into_iter().cloned().collect())
}

async fn article_by_id(db: &Db, id: i64) -> Result<Option<FaqArticle>, ApiError> {
    let row: Option<ArticleRow> = sqlx::query_as(&format!("{ARTICLE_COLUMNS} WHERE a.id = $1")).bind(id).fetch_optional(db).await?;
    Ok(row.map(article))
}

/// Records a session's vote on an article. A second vote from the same session
/// replaces the first, so each session counts once.
pub async fn vote(db: &Db, article_id: i64, session_hash: &str, helpful: bool) -> Result<FaqArticle, ApiError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM faq_articles WHERE id = $1").bind(article_id).fetch_optional(&mut *tx).await?;
    if exists.is_none() {
        return Err(ApiError::not_found("There is no such help article."));
    }
    let before: Option<bool> = sqlx::query_scalar("SELECT helpful FROM faq_votes WHERE article_id = $1 AND session_hash = $2")
        .bind(article_id)
        .bind(session_hash)
        .fetch_optional(&mut *tx)
        .await?
        .map(|f: crate::platform::db::Flag| f.0);
    if before != Some(helpful) {
        let (add, take) = if helpful { ("helpful", "unhelpful") } else { ("unhelpful", "helpful") };
        let undo = if before.is_some() { format!(", {take} = {take} - 1") } else { String::new() };
        sqlx::query(&format!("UPDATE faq_articles SET {add} = {add} + 1{undo} WHERE id = $1")).bind(article_id).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO faq_votes (article_id, session_hash, helpful) VALUES ($1, $2, $3) ON CONFLICT (article_id, session_hash) DO UPDATE SET helpful = excluded.helpful")
            .bind(article_id)
            .bind(session_hash)
            .bind(i64::from(helpful))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    article_by_id(db, article_id).await?.ok_or_else(|| ApiError::not_found("There is no such help article."))
}
