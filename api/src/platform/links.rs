//! Links sent by e-mail that open one thing without signing in: an order, a support
//! ticket, a password reset, a stock alert's unsubscribe. The token is random and only
//! its hash is stored (see `links` in the migrations). A link stops working when it
//! expires, when a one-time link has been used, or when it is revoked.
//!
//! The token travels in the link's query string. Request logs name the route, never
//! the path or query, so tokens do not reach the logs; `Referrer-Policy: same-origin`
//! keeps them from other sites.

use super::{clock, db::Conn, token};

/// What a link opens. The database keeps [`LinkKind::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Order,
    Ticket,
    PasswordReset,
    StockAlert,
}

impl LinkKind {
    pub fn code(self) -> &'static str {
        match self {
            LinkKind::Order => "order",
            LinkKind::Ticket => "ticket",
            LinkKind::PasswordReset => "password_reset",
            LinkKind::StockAlert => "stock_alert",
        }
    }

    /// How long a link of this kind works. Order and ticket links outlast any return
    /// window; a password reset is good for an hour, as its e-mail says.
    pub fn lifetime_secs(self) -> i64 {
        const DAY: i64 = 24 * 3600;
        match self {
            LinkKind::Order | LinkKind::Ticket | LinkKind::StockAlert => 365 * DAY,
            LinkKind::PasswordReset => 3600,
        }
    }
}

/// Makes a new link for `subject_id` and returns its token (the only copy).
pub async fn issue(conn: &mut Conn, kind: LinkKind, subject_id: i64) -> Result<String, sqlx::Error> {
    let token = token::random_token();
    let now = clock::now_unix();
    sqlx::query("INSERT INTO links (token_hash, kind, subject_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token::hash_token(&token))
        .bind(kind.code())
        .bind(subject_id)
        .bind(clock::iso(now))
        .bind(clock::iso(now + kind.lifetime_secs()))
        .execute(&mut *conn)
        .await?;
    Ok(token)
}

/// What `token` opens, if it is a live link of this kind; `None` for a wrong, expired,
/// used or revoked one (the caller says the same thing for each).
pub async fn open(conn: &mut Conn, kind: LinkKind, token: &str) -> Result<Option<i64>, sqlx::Error> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT subject_id FROM links WHERE token_hash = $1 AND kind = $2 AND expires_at > $3 AND used_at IS NULL")
        .bind(token::hash_token(token))
        .bind(kind.code())
        .bind(clock::now())
        .fetch_optional(&mut *conn)
        .await
}

/// Uses a one-time link: what it opened, or `None` if it was not live. Of two uses at
/// once, only one gets the subject.
pub async fn use_once(conn: &mut Conn, kind: LinkKind, token: &str) -> Result<Option<i64>, sqlx::Error> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let now = clock::now();
    sqlx::query_scalar("UPDATE links SET used_at = $1 WHERE token_hash = $2 AND kind = $3 AND expires_at > $1 AND used_at IS NULL RETURNING subject_id")
        .bind(&now)
        .bind(token::hash_token(token))
        .bind(kind.code())
        .fetch_optional(&mut *conn)
        .await
}

/// Ends every link of this kind to `subject_id`.
pub async fn revoke(conn: &mut Conn, kind: LinkKind, subject_id: i64) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM links WHERE kind = $1 AND subject_id = $2").bind(kind.code()).bind(subject_id).execute(&mut *conn).await?;
    Ok(r.rows_affected())
}

/// Forgets links that have expired: they open nothing, and their rows only grow.
pub async fn delete_expired(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM links WHERE expires_at < $1").bind(clock::now()).execute(&mut *conn).await?;
    Ok(r.rows_affected())
}

/// Deletes expired links every hour until the process ends.
pub fn spawn_cleanup(db: super::db::Db) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            let deleted = match db.acquire().await {
                Ok(mut conn) => delete_expired(&mut conn).await,
                Err(e) => Err(e),
            };
            match deleted {
                Ok(0) => {}
                Ok(n) => tracing::info!(links = n, "deleted expired links"),
                Err(e) => tracing::warn!(error = %e, "could not delete expired links"),
            }
        }
    });
}
