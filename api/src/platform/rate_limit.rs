//! Sliding-window allowances: how often one key (a session, an address) may do a thing.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Allows at most `max` events per key (a session, say) in a sliding `window`: how the
/// chat and the support forms keep one browser from flooding the people who answer.
pub struct RateLimiter {
    hits: Mutex<HashMap<String, Vec<Instant>>>,
    pub max: usize,
    pub window: Duration,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> RateLimiter {
        RateLimiter { hits: Mutex::new(HashMap::new()), max, window }
    }

    /// Counts one event for `key`, or `Err(seconds to wait)` when the key has used up
    /// its allowance (and then nothing is counted).
    pub fn hit(&self, key: &str) -> Result<(), u64> {
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
}

impl Default for IpLimits {
    fn default() -> Self {
        // Generous enough for a household or an office behind one address, far below
        // what a script would send.
        IpLimits {
            accounts: RateLimiter::new(60, Duration::from_secs(10 * 60)),
            contact: RateLimiter::new(60, Duration::from_secs(10 * 60)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_limiter_counts_per_key_within_its_window() {
        let l = RateLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(l.hit("s1").is_ok());
        }
        let wait = l.hit("s1").unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(l.hit("s2").is_ok(), "another key has its own allowance");
        let quick = RateLimiter::new(1, Duration::from_millis(10));
        assert!(quick.hit("k").is_ok());
        std::thread::sleep(Duration::from_millis(20));
        assert!(quick.hit("k").is_ok(), "the window slides");
        assert_eq!(wait_words(1), "Please wait 1 second and try again.");
        assert_eq!(wait_words(61), "Please wait 2 minutes and try again.");
    }
}
