//! The e-mail outbox. Messages are inserted in the same transaction as the change that
//! causes them (an order placed, an order shipped), then a background task delivers
//! them: over SMTP when `AISLE_SMTP_URL` is set, otherwise as files in
//! `AISLE_MAIL_DIR` (one `.eml` per message), which is enough to run and test a shop
//! without a mail server. A failed delivery is retried, up to 10 attempts.

use crate::{platform::{clock, db::Db}, Config};
use lettre::{message::Mailbox, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use std::{path::PathBuf, time::Duration};

pub const MAX_ATTEMPTS: i64 = 10;
/// How long a server owns an e-mail it is sending: longer than an SMTP attempt can
/// take, short enough that one left by a crashed server goes out minutes later.
const CLAIM_SECS: i64 = 300;

/// Where e-mails go.
pub enum Transport {
    Files(PathBuf),
    // Boxed: the SMTP client is large, and a Transport is moved into the delivery task.
    Smtp { mailer: Box<AsyncSmtpTransport<Tokio1Executor>>, from: Mailbox },
}

impl Transport {
    pub fn from_config(config: &Config) -> Result<Transport, String> {
        match &config.smtp_url {
            None => Ok(Transport::Files(config.mail_dir.clone())),
            Some(url) => {
                // smtp://host:25 (plain, for a local relay), smtp://…?tls=required
                // (STARTTLS) or smtps://user:pass@host:465.
                let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("AISLE_SMTP_URL is not usable: {e}"))?
                    .build();
                let from = config.mail_from.parse().map_err(|e| format!("AISLE_MAIL_FROM is not an address: {e}"))?;
                Ok(Transport::Smtp { mailer: Box::new(mailer), from })
            }
        }
    }

    async fn deliver(&self, id: i64, to: &str, subject: &str, body: &str, created_at: &str) -> Result<(), String> {
        match self {
            Transport::Files(dir) => {
                let message = format!(
                    "To: {to}\r\nFrom: Aisle <shop@aisle.invalid>\r\nSubject: {subject}\r\nDate: {created_at}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
                );
                tokio::fs::create_dir_all(dir).await.map_err(|e| e.to_string())?;
                tokio::fs::write(dir.join(format!("{id:08}.eml")), message).await.map_err(|e| e.to_string())
            }
            Transport::Smtp { mailer, from } => {
                let to: Mailbox = to.parse().map_err(|e| format!("bad recipient: {e}"))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(subject)
                    .body(body.to_string())
                    .map_err(|e| e.to_string())?;
                mailer.send(message).await.map(|_| ()).map_err(|e| e.to_string())
            }
        }
    }
}

pub async fn enqueue(conn: &mut crate::platform::db::Conn, to: &str, subject: &str, body: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO emails (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4)")
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(clock::now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// E-mails waiting to be sent, and those that failed every attempt.
pub async fn queue_counts(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN attempts < $1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN attempts >= $1 THEN 1 ELSE 0 END), 0) \
         FROM emails WHERE sent_at IS NULL",
    )
    .bind(MAX_ATTEMPTS)
    .fetch_one(db)
    .await
}

/// Delivers waiting e-mails every second until the process ends.
pub fn spawn_delivery(db: Db, transport: Transport) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_pending(&db, &transport).await {
                tracing::warn!(error = %e, "e-mail delivery failed; will retry");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

pub async fn deliver_pending(db: &Db, transport: &Transport) -> Result<usize, sqlx::Error> {
    let now = clock::now();
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, to_addr, subject, body, created_at FROM emails \
         WHERE sent_at IS NULL AND attempts < $1 AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT 50",
    )
    .bind(MAX_ATTEMPTS)
    .bind(&now)
    .fetch_all(db)
    .await?;
    let mut sent = 0;
    for (id, to, subject, body, created_at) in rows {
        // Another server may have read the same rows: only the one whose claim lands
        // sends the e-mail.
        let claim = sqlx::query(
            "UPDATE emails SET claimed_until = $1 WHERE id = $2 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(clock::iso(clock::now_unix() + CLAIM_SECS))
        .bind(id)
        .bind(&now)
        .execute(db)
        .await?;
        if claim.rows_affected() == 0 {
            continue;
        }
        let (sent_at, error) = match transport.deliver(id, &to, &subject, &body, &created_at).await {
            Ok(()) => (Some(clock::now()), None),
            Err(e) => {
                tracing::warn!(email = id, error = %e, "e-mail not delivered");
                (None, Some(e))
            }
        };
        sent += usize::from(sent_at.is_some());
        sqlx::query("UPDATE emails SET sent_at = $1, attempts = attempts + 1, last_error = $2, claimed_until = NULL WHERE id = $3")
            .bind(sent_at)
            .bind(error)
            .bind(id)
            .execute(db)
            .await?;
    }
    Ok(sent)
}
