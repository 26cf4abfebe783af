//! Configuration from the environment, with defaults that need no set-up.

use aisle_domain::support::BusinessHours;
use std::path::PathBuf;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/aisle.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_SUPPORT_HOURS: &str = "Mon-Fri 09:00-17:00";

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: where the data lives.
    pub database_url: String,
    /// `AISLE_ADDR`: the address to listen on.
    pub addr: String,
    /// `AISLE_WEB_DIR`: the built web app to serve.
    pub web_dir: PathBuf,
    /// `AISLE_MAIL_DIR`: where outgoing e-mails are written, one file each, when no
    /// SMTP server is configured.
    pub mail_dir: PathBuf,
    /// `AISLE_SMTP_URL`: send e-mails through this SMTP server instead.
    pub smtp_url: Option<String>,
    /// `AISLE_MAIL_FROM`: the sender of the shop's e-mails.
    pub mail_from: String,
    /// `AISLE_SUPPORT_HOURS`: when people answer support, in UTC, like
    /// `Mon-Fri 09:00-17:00` (the default) or `Mon-Sat 08:30-20:00`. It sets the
    /// "we're back …" wording and when a call-back can be expected; a bad value stops
    /// the server at start (see [`Config::business_hours`]).
    pub support_hours: String,
    /// `AISLE_TRUSTED_PROXIES`: how many reverse proxies stand in front of the server
    /// and append the client's address to `X-Forwarded-For` (default 0: none, and the
    /// header is ignored, since anyone can send it). Per-address rate limits count the
    /// address that many entries from the right. A bad value stops the server at start.
    pub trusted_proxies: Option<String>,
}

impl Config {
    pub fn from_env() -> Config {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            addr: var("AISLE_ADDR").unwrap_or_else(|| DEFAULT_ADDR.into()),
            web_dir: var("AISLE_WEB_DIR").map(PathBuf::from).unwrap_or_else(crate::platform::web::default_web_dir),
            mail_dir: var("AISLE_MAIL_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("data/mail")),
            smtp_url: var("AISLE_SMTP_URL"),
            mail_from: var("AISLE_MAIL_FROM").unwrap_or_else(|| "Aisle <shop@localhost>".into()),
            support_hours: var("AISLE_SUPPORT_HOURS").unwrap_or_else(|| DEFAULT_SUPPORT_HOURS.into()),
            trusted_proxies: var("AISLE_TRUSTED_PROXIES"),
        }
    }

    /// The support hours, or a start-up error that names the setting.
    pub fn business_hours(&self) -> Result<BusinessHours, String> {
        BusinessHours::parse(&self.support_hours).map_err(|e| format!("AISLE_SUPPORT_HOURS: {e}"))
    }

    /// The number of trusted proxies, or a start-up error that names the setting.
    pub fn trusted_proxies(&self) -> Result<usize, String> {
        match self.trusted_proxies.as_deref().map(str::trim) {
            None => Ok(0),
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= 10)
                .ok_or_else(|| format!("AISLE_TRUSTED_PROXIES: the number of reverse proxies in front of the server (0 to 10), not {raw:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_hours_default_and_bad_values_are_refused() {
        let mut c = Config::from_env();
        c.support_hours = DEFAULT_SUPPORT_HOURS.into();
        assert_eq!(c.business_hours(), Ok(BusinessHours::default()));
        c.support_hours = "weekdays".into();
        let e = c.business_hours().unwrap_err();
        assert!(e.starts_with("AISLE_SUPPORT_HOURS:") && e.contains("Mon-Fri 09:00-17:00"), "{e}");
    }

    #[test]
    fn trusted_proxies_default_to_none_and_bad_values_are_refused() {
        let mut c = Config::from_env();
        c.trusted_proxies = None;
        assert_eq!(c.trusted_proxies(), Ok(0));
        c.trusted_proxies = Some("1".into());
        assert_eq!(c.trusted_proxies(), Ok(1));
        for bad in ["yes", "-1", "99"] {
            c.trusted_proxies = Some(bad.into());
            assert!(c.trusted_proxies().unwrap_err().starts_with("AISLE_TRUSTED_PROXIES:"), "{bad}");
        }
    }
}
