//! Sliding-window allowances: how often one key (a session, an address) may do a thing.
//!
//! On one server the hits are counted in memory. On PostgreSQL, where several
//! instances serve the same shoppers, a limiter that is [`RateLimiter::share`]d counts
//! them in the database instead (table `rate_hits`), so behind N instances a client
//! still gets the allowance once and not N times. Each key is counted under its own
//! transaction-scoped advisory lock, so two instances cannot both let through the last
//! hit. Should the database not answer, the hit is let through (and logged): a limit is
//! a brake, and the request needs the database anyway.

use crate::platform::{clock, db::Db};
use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};

/// Allows at most `max` events per key (a session, say) in a sliding `window`: how the
/// chat and the support forms keep one browser from flooding the people who answer.
/// Keys name what they count (`chat:…`, `contact:…`), as limiters share one table.
pub struct RateLimiter {
    hits: Mutex<HashMap<String, Vec<Instant>>>,
    pub max: usize,
    pub window: Duration,
    shared: OnceLock<Db>,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> RateLimiter {
        RateLimiter { hits: Mutex::new(HashMap::new()), max, window, shared: OnceLock::new() }
    }

    /// From now on, counts in `db` (PostgreSQL), with every other instance.
    pub fn share(&self, db: &Db) {
        let _ = self.shared.set(db.clone());
    }

    /// Counts one event for `key`, or `Err(seconds to wait)` when the key has used up
    /// its allowance (and then nothing is counted).
    pub async fn hit(&self, key: &str) -> Result<(), u64> {
        let Some(db) = self.shared.get() else { return self.hit_here(key) };
        match self.hit_shared(db, key).await {
            Ok(answer) => answer,
            Err(error) => {
                tracing::warn!(%error, "cannot count a rate-limited request in the database; letting it through");
                Ok(())
            }
        }
    }

    fn hit_here(&self, key: &str) -> Result<(), u64> {
        let mut map = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        // Bound memory under a flood of new sessions.
        if map.len() > 100_000 {
            map.retain(|_, list| list.last().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let list = map.entry(key.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        if list.len() >= self.max {
            let oldest = list.first().copied().unwrap_or(now);
            return Err(self.window.saturating_sub(now.duration_since(oldest)).as_secs().max(1));
        }
        list.push(now);
        Ok(())
    }

    async fn hit_shared(&self, db: &Db, key: &str) -> Result<Result<(), u64>, sqlx::Error> {
        let now = clock::now_millis();
        let window = i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX);
        let mut tx = db.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(key).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM rate_hits WHERE key = $1 AND at_ms <= $2").bind(key).bind(now - window).execute(&mut *tx).await?;
        let (count, oldest): (i64, Option<i64>) = sqlx::query_as("SELECT COUNT(*), MIN(at_ms) FROM rate_hits WHERE key = $1").bind(key).fetch_one(&mut *tx).await?;
        if usize::try_from(count).unwrap_or(usize::MAX) >= self.max {
            let wait_ms = oldest.map_or(window, |t| t + window - now).max(1);
            return Ok(Err(u64::try_from(wait_ms).unwrap_or(1).div_ceil(1000).max(1)));
        }
        sqlx::query("INSERT INTO rate_hits (key, at_ms) VALUES ($1, $2)").bind(key).bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}

impl IpLimits {
    /// Counts one e-mail to `address` (as typed, lower-cased): a 429 once it has had
    /// its share this hour, whether or not the address is known here.
    pub async fn mail_to(&self, address: &str) -> Result<(), crate::platform::error::ApiError> {
        self.recipients.hit(&format!("recipient:{}", address.trim().to_lowercase())).await.map_err(|secs| {
            crate::platform::error::ApiError::too_many(secs, format!("We have just sent e-mails to this address. {}", wait_words(secs)))
        })
    }
}

/// Forgets hits older than a day, now and every hour: a key that stopped coming is
/// never counted again, so its rows would stay for ever.
pub fn spawn_cleanup(db: Db) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            let before = clock::now_millis() - 86_400_000;
            if let Err(error) = sqlx::query("DELETE FROM rate_hits WHERE at_ms < $1").bind(before).execute(&db).await {
                tracing::warn!(%error, "cannot forget old rate-limited requests");
            }
        }
    });
}

/// "Please wait 3 minutes", "Please wait 20 seconds": for a 429's message.
pub fn wait_words(seconds: u64) -> String {
    if seconds >= 60 {
        let m = seconds.div_ceil(60);
        format!("Please wait {m} minute{} and try again.", if m == 1 { "" } else { "s" })
    } else {
        format!("Please wait {seconds} second{} and try again.", if seconds == 1 { "" } else { "s" })
    }
}

/// Allowances per client address.
pub struct IpLimits {
    /// Sign-in, sign-up, password change and account erasure: each checks or sets a
    /// password, which is slow on purpose and what a guesser is after.
    pub accounts: RateLimiter,
    /// The contact form and replies in its threads, call-back requests, feedback and
    /// chat messages sent without a socket: each reaches a person.
    pub contact: RateLimiter,
    /// Requests that e-mail an address someone typed (find my order, password reset,
    /// stock alerts): each could flood a stranger's inbox.
    pub mail: RateLimiter,
    /// The same, per address e-mailed, whoever asks: keyed by the address typed, so
    /// the answer is the same whether or not anything was sent.
    pub recipients: RateLimiter,
}

impl IpLimits {
    /// Counts in `db` from now on (see [`RateLimiter::share`]).
    pub fn share(&self, db: &Db) {
        self.accounts.share(db);
        self.contact.share(db);
        self.mail.share(db);
        self.recipients.share(db);
    }
}

impl Default for IpLimits {
    fn default() -> Self {
        // Generous enough for a household or an office behind one address, far below
        // what a script would send.
        IpLimits {
            accounts: RateLimiter::new(60, Duration::from_secs(10 * 60)),
            contact: RateLimiter::new(60, Duration::from_secs(10 * 60)),
            mail: RateLimiter::new(20, Duration::from_secs(10 * 60)),
            recipients: RateLimiter::new(5, Duration::from_secs(60 * 60)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_rate_limiter_counts_per_key_within_its_window() {
        let l = RateLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(l.hit("s1").await.is_ok());
        }
        let wait = l.hit("s1").await.unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(l.hit("s2").await.is_ok(), "another key has its own allowance");
        let quick = RateLimiter::new(1, Duration::from_millis(10));
        assert!(quick.hit("k").await.is_ok());
        std::thread::sleep(Duration::from_millis(20));
        assert!(quick.hit("k").await.is_ok(), "the window slides");
        assert_eq!(wait_words(1), "Please wait 1 second and try again.");
        assert_eq!(wait_words(61), "Please wait 2 minutes and try again.");
    }
}
