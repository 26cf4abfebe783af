//! Passwords: hashed with Argon2id, checked off the async workers by the callers, and
//! failed sign-ins limited per e-mail (on every instance, see `platform::fanout`).

use crate::platform::token::random_token;
use crate::platform::error::ApiError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of a password nobody has, checked when the e-mail is unknown so that
/// "no such account" takes as long as "wrong password" and does not give it away.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

/// Counts failed sign-ins per e-mail address (by its key, see `session_create`) over a
/// sliding window.
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    pub max_failures: usize,
    pub window: Duration,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        SignInLimiter { failures: Mutex::new(HashMap::new()), max_failures: 5, window: Duration::from_secs(15 * 60) }
    }
}

impl SignInLimiter {
    /// `Err(minutes to wait)` while the address has had too many recent failures.
    pub fn check(&self, email: &str) -> Result<(), u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let list = map.entry(email.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        if list.len() >= self.max_failures {
            let oldest = list.first().copied().unwrap_or(now);
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().div_ceil(60).max(1));
        }
        Ok(())
    }

    pub fn record_failure(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Bound memory under a flood of made-up addresses.
        if map.len() > 100_000 {
            map.clear();
        }
        map.entry(email.to_string()).or_default().push(Instant::now());
    }

    pub fn clear(&self, email: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(email);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn the_limiter_blocks_after_five_failures() {
        let l = SignInLimiter::default();
        for _ in 0..5 {
            assert!(l.check("a@b.co").is_ok());
            l.record_failure("a@b.co");
        }
        assert_eq!(l.check("a@b.co"), Err(15));
        assert!(l.check("other@b.co").is_ok());
        l.clear("a@b.co");
        assert!(l.check("a@b.co").is_ok());
    }
}
