//! Legal pages in the database: versions only ever added.

use crate::{
    catalogue::description,
    platform::{clock, db::{Conn, Db}, error::ApiError},
};
use aisle_domain::legal::{LegalInput, LegalKind, LegalPage};

/// The sample texts a new shop starts from, with their titles.
fn sample(kind: LegalKind) -> (&'static str, &'static str) {
    match kind {
        LegalKind::Terms => ("Terms and conditions", include_str!("defaults/terms.md")),
        LegalKind::Withdrawal => ("Right of withdrawal", include_str!("defaults/withdrawal.md")),
        LegalKind::Privacy => ("Privacy notice", include_str!("defaults/privacy.md")),
        LegalKind::Imprint => ("Legal notice", include_str!("defaults/imprint.md")),
    }
}

/// Writes version 1 of every page that has none. Several instances starting at once
/// are harmless: a version already there is left alone.
pub async fn ensure_samples(db: &Db) -> Result<(), sqlx::Error> {
    for kind in LegalKind::ALL {
        let (title, body) = sample(kind);
        sqlx::query("INSERT INTO legal_pages (kind, version, title, body, published_at) VALUES ($1, 1, $2, $3, $4) ON CONFLICT (kind, version) DO NOTHING")
            .bind(kind.as_str())
            .bind(title)
            .bind(body)
            .bind(clock::now())
            .execute(db)
            .await?;
    }
    Ok(())
}

fn page(kind: LegalKind, (version, title, body, published_at): (i64, String, String, String)) -> LegalPage {
    LegalPage { kind, version, title, html: description::to_html(&body), body, published_at }
}

/// A version of the page (`None`: the newest).
pub async fn read(conn: &mut Conn, kind: LegalKind, version: Option<i64>) -> Result<Option<LegalPage>, ApiError> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT version, title, body, published_at FROM legal_pages WHERE kind = $1 AND ($2 IS NULL OR version = $2) ORDER BY version DESC LIMIT 1",
    )
    .bind(kind.as_str())
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| page(kind, r)))
}

/// The newest version of the terms: what an order placed now accepts.
pub async fn terms_version(conn: &mut Conn) -> Result<i64, ApiError> {
    let v: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM legal_pages WHERE kind = 'terms'").fetch_one(&mut *conn).await?;
    Ok(v.unwrap_or(0))
}

/// Saves `input` as the page's next version; the same title and text as the newest
/// version saves nothing. Runs in the write lock, so two staff saving at once get two
/// versions, not one number twice.
pub async fn publish(db: &Db, kind: LegalKind, input: &LegalInput, by: &str) -> Result<LegalPage, ApiError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    if let Some(current) = read(&mut tx, kind, None).await? {
        if current.title == input.title && current.body == input.body {
            return Ok(current);
        }
    }
    let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM legal_pages WHERE kind = $1").bind(kind.as_str()).fetch_one(&mut *tx).await?;
    let at = clock::now();
    sqlx::query("INSERT INTO legal_pages (kind, version, title, body, published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(kind.as_str())
        .bind(next)
        .bind(&input.title)
        .bind(&input.body)
        .bind(&at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(page(kind, (next, input.title.clone(), input.body.clone(), at)))
}
