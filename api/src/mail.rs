//! The e-mail outbox. Messages are inserted in the same transaction as the change that
//! causes them (an order placed, an order shipped), then a background task delivers
//! them: by default as files in `AISLE_MAIL_DIR` (one `.eml` per message), which is
//! enough to run and test a shop without a mail server.

use crate::{clock, db::Db};
use sqlx::SqliteConnection;
use std::{path::PathBuf, time::Duration};

pub async fn enqueue(conn: &mut SqliteConnection, to: &str, subject: &str, body: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO emails (to_addr, subject, body, created_at) VALUES (?, ?, ?, ?)")
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(clock::now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Delivers waiting e-mails every second until the process ends.
pub fn spawn_delivery(db: Db, dir: PathBuf) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_pending(&db, &dir).await {
                tracing::warn!(error = %e, "e-mail delivery failed; will retry");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

pub async fn deliver_pending(db: &Db, dir: &std::path::Path) -> Result<usize, String> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, to_addr, subject, body, created_at FROM emails WHERE sent_at IS NULL AND attempts < 10 ORDER BY id LIMIT 50",
    )
    .fetch_all(db)
    .await
    .map_err(|e| e.to_string())?;
    let mut sent = 0;
    for (id, to, subject, body, created_at) in rows {
        let message = format!(
            "To: {to}\r\nFrom: Aisle <shop@aisle.invalid>\r\nSubject: {subject}\r\nDate: {created_at}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        );
        let result = tokio::fs::create_dir_all(dir).await.and(tokio::fs::write(dir.join(format!("{id:08}.eml")), message).await);
        match result {
            Ok(()) => {
                sqlx::query("UPDATE emails SET sent_at = ?, attempts = attempts + 1 WHERE id = ?")
                    .bind(clock::now())
                    .bind(id)
                    .execute(db)
                    .await
                    .map_err(|e| e.to_string())?;
                sent += 1;
            }
            Err(e) => {
                sqlx::query("UPDATE emails SET attempts = attempts + 1, last_error = ? WHERE id = ?")
                    .bind(e.to_string())
                    .bind(id)
                    .execute(db)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(sent)
}
