//! Configuration from the environment, with defaults that need no set-up.
//!
//! Every setting is listed once, in [`SETTINGS`]: its name, default and meaning. That
//! list is what `aisle-api --help` prints and what the table in `docs/operations.md`
//! is generated from; a test fails when the table is out of date or when this file
//! reads a variable the list does not name.

use aisle_domain::support::BusinessHours;
use std::{net::IpAddr, path::PathBuf};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/aisle.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_SUPPORT_HOURS: &str = "Mon-Fri 09:00-17:00";
pub const DEFAULT_TIME_ZONE: &str = "Europe/Berlin";

/// One setting: the variable, its default ("" for none) and what it does.
pub struct Setting {
    pub name: &'static str,
    pub default: &'static str,
    pub meaning: &'static str,
}

/// The demo shop's address: a shop sets its own with `AISLE_SHOP_ADDRESS`.
pub const DEFAULT_SHOP_ADDRESS: &str = "Aisle Demo Shop, Example Street 1, 10115 Berlin, Germany";

/// Every setting the server reads.
pub const SETTINGS: &[Setting] = &[
    Setting {
        name: "DATABASE_URL",
        default: DEFAULT_DATABASE_URL,
        meaning: "Where the data lives: a SQLite file (created on first start), or a PostgreSQL database, `postgres://user:password@host:5432/aisle`, for several instances. Migrated on start either way.",
    },
    Setting { name: "AISLE_ADDR", default: DEFAULT_ADDR, meaning: "The address to listen on (`127.0.0.1:0` picks a free port)." },
    Setting { name: "AISLE_WEB_DIR", default: "dist", meaning: "The built web app to serve (`cargo xtask build-web` writes it)." },
    Setting {
        name: "AISLE_MAIL_DIR",
        default: "data/mail",
        meaning: "Where outgoing e-mails are written, one `.eml` file each, when no SMTP server is set.",
    },
    Setting {
        name: "AISLE_SMTP_URL",
        default: "",
        meaning: "Send e-mails over SMTP instead: `smtp://localhost:25` (a local relay), `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://user:pass@host:465`.",
    },
    Setting { name: "AISLE_MAIL_FROM", default: "Aisle <shop@localhost>", meaning: "The sender of the shop's e-mails." },
    Setting {
        name: "AISLE_PUBLIC_URL",
        default: "",
        meaning: "The shop's address as shoppers reach it, `https://shop.example.com`: every link in an e-mail starts with it. Empty: the address the server listens on, which only works on that machine.",
    },
    Setting { name: "AISLE_SHOP_NAME", default: "Aisle", meaning: "The shop's name, at the top and bottom of every e-mail." },
    Setting { name: "AISLE_SHOP_ADDRESS", default: DEFAULT_SHOP_ADDRESS, meaning: "The shop's postal address, on one line, at the bottom of every e-mail (many countries require it) and at the top of every invoice." },
    Setting { name: "AISLE_SHOP_VAT_ID", default: "", meaning: "The shop's VAT identification number (`DE123456789`), printed on every invoice and credit note. Unset: the invoices carry none, and the server warns at start. `cargo xtask run` sets a demo number." },
    Setting {
        name: "AISLE_TIME_ZONE",
        default: DEFAULT_TIME_ZONE,
        meaning: "The shop's time zone, an IANA name such as `Europe/London` or `America/New_York` (the zone database is built into the server; a name it does not know stops the start): the back office shows every date and time in it, and insight's days begin at the shop's midnight.",
    },
    Setting {
        name: "AISLE_SUPPORT_HOURS",
        default: DEFAULT_SUPPORT_HOURS,
        meaning: "When people answer support, in UTC, such as `Mon-Sat 08:30-20:00`: shown in the chat and used for call-back times.",
    },
    Setting {
        name: "AISLE_TRUSTED_PROXIES",
        default: "0",
        meaning: "How many reverse proxies in front of the server append the client's address to `X-Forwarded-For` (0 to 10). With 0 the header is ignored, since anyone can send it; set it only when the proxy appends to the header.",
    },
    Setting {
        name: "AISLE_LOG_FORMAT",
        default: "human",
        meaning: "`human` (one readable line per event) or `json` (one JSON object per line, for a log collector).",
    },
    Setting {
        name: "AISLE_LOG_LEVEL",
        default: "info",
        meaning: "How much to log: `error`, `warn`, `info` (a line for every change, failure or slow request), `debug` (a line for every request) or `trace`.",
    },
    Setting {
        name: "AISLE_METRICS_ALLOW",
        default: "",
        meaning: "Addresses or networks besides loopback that may read `/metrics`, comma-separated: `10.0.0.0/8,192.168.1.7`.",
    },
    Setting {
        name: "AISLE_MEDIA_STORE",
        default: "",
        meaning: "Where photo files are kept. Unset: in the database, so every instance on it serves every photo. `s3://bucket/prefix`: an S3-compatible bucket, with the usual `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION` and `AWS_ENDPOINT` (for MinIO, R2 and the like). `file:///srv/aisle/media`: a directory, for one instance or a shared disk.",
    },
    Setting {
        name: "AISLE_SHOP_RULES",
        default: "",
        meaning: "A JSON file with the shop's delivery zones, methods and prices, its VAT (prices incl. or plus VAT, home country, one-stop shop, rates by country), its price-drop window (`price_protection_days`, at most 92), the days to pay an invoice (`invoice_due_days`, 0 to not offer it) and a fee for paying on delivery (`payment_fees`): see `docs/checkout.md`. Unset: a German shop, prices incl. VAT, delivery €4.90 in Germany (free from €50), express, pick-up point and collect in store; the rest of the EU, Switzerland, the UK and Norway; price cuts credited for 92 days.",
    },
    Setting {
        name: "AISLE_BANK_ACCOUNT",
        default: "",
        meaning: "The shop's account for payment by bank transfer (prepayment), as `holder, IBAN, BIC`: `Aisle GmbH, DE89 3704 0044 0532 0130 00, COBADEFFXXX` (the BIC may be left out). Set: checkout offers bank transfer (the confirmation tells the shopper where to pay, with the order number as reference) and, to business customers with a VAT ID, payment by invoice. Unset: pay on delivery only. `cargo xtask run` sets a demo account.",
    },
    Setting {
        name: "AISLE_ACCOUNT_LIMIT",
        default: "60",
        meaning: "Sign-ins, sign-ups, password changes and account erasures allowed from one address in 10 minutes. Raise it for many shoppers or staff behind one address (an office, a test run).",
    },
    Setting {
        name: "AISLE_DEMO_PHOTOS",
        default: "on",
        meaning: "`off` leaves the drawn photos out of a new database's demo catalogue (they are drawn in the background at the first start, and appear some 15 s later).",
    },
    Setting {
        name: "AISLE_DEMO_HISTORY",
        default: "off",
        meaning: "`on` gives a new database's demo shop a made-up past: 120 delivered orders from guests at `example.com` over the four months before last week, and their reviews, so stars, best sellers and \"bought together\" show at once. `cargo xtask run` sets it; a real shop leaves it off.",
    },
];

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: String,
    pub web_dir: PathBuf,
    pub mail_dir: PathBuf,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Checked by [`Config::public_url`].
    pub public_url: Option<String>,
    pub shop_name: String,
    pub shop_address: String,
    pub shop_vat_id: String,
    /// Checked by [`Config::time_zone`].
    pub time_zone: String,
    /// Checked by [`Config::business_hours`].
    pub support_hours: String,
    /// Checked by [`Config::trusted_proxies`].
    pub trusted_proxies: Option<String>,
    /// Checked by [`Config::log_format`].
    pub log_format: Option<String>,
    /// Checked by [`Config::log_level`].
    pub log_level: Option<String>,
    /// Checked by [`Config::metrics_allow`].
    pub metrics_allow: Option<String>,
    /// Where photo files are kept (see `media::store`); unset: the database.
    pub media_store: Option<String>,
    /// Checked by [`Config::shop_rules`].
    pub shop_rules: Option<String>,
    /// Checked by [`Config::bank_account`].
    pub bank_account: Option<String>,
    /// Checked by [`Config::account_limit`].
    pub account_limit: String,
    /// Whether a new database's demo catalogue gets drawn photos (`AISLE_DEMO_PHOTOS`,
    /// on unless `off`).
    pub demo_photos: bool,
    /// Whether a new database's demo shop gets a made-up past (`AISLE_DEMO_HISTORY`,
    /// off unless `on`).
    pub demo_history: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

/// An address, or a network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Network {
    pub fn parse(raw: &str) -> Option<Network> {
        let (addr, prefix) = match raw.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (raw.trim().parse::<IpAddr>().ok()?, None),
        };
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        (prefix <= bits).then_some(Network { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        let bits = |a: IpAddr| -> u128 {
            match a {
                IpAddr::V4(v4) => u128::from(u32::from(v4)),
                IpAddr::V6(v6) => u128::from(v6),
            }
        };
        if ip.is_ipv4() != self.addr.is_ipv4() {
            return false;
        }
        let width = if ip.is_ipv4() { 32 } else { 128 };
        let shift = width - u32::from(self.prefix);
        shift >= 128 || (bits(ip) >> shift) == (bits(self.addr) >> shift)
    }
}

impl Config {
    /// The address in `AISLE_MAIL_FROM` (`Shop <shop@example.com>` or a bare address).
    pub fn reply_address(&self) -> String {
        let from = self.mail_from.trim();
        match (from.rfind('<'), from.rfind('>')) {
            (Some(start), Some(end)) if start < end => from[start + 1..end].trim().to_string(),
            _ => from.to_string(),
        }
    }

    pub fn from_env() -> Config {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let or_default = |name: &str| var(name).unwrap_or_else(|| default_of(name).to_string());
        Config {
            database_url: or_default("DATABASE_URL"),
            addr: or_default("AISLE_ADDR"),
            web_dir: PathBuf::from(or_default("AISLE_WEB_DIR")),
            mail_dir: PathBuf::from(or_default("AISLE_MAIL_DIR")),
            smtp_url: var("AISLE_SMTP_URL"),
            mail_from: or_default("AISLE_MAIL_FROM"),
            public_url: var("AISLE_PUBLIC_URL"),
            shop_name: or_default("AISLE_SHOP_NAME"),
            shop_address: or_default("AISLE_SHOP_ADDRESS"),
            shop_vat_id: or_default("AISLE_SHOP_VAT_ID"),
            time_zone: or_default("AISLE_TIME_ZONE"),
            support_hours: or_default("AISLE_SUPPORT_HOURS"),
            trusted_proxies: var("AISLE_TRUSTED_PROXIES"),
            log_format: var("AISLE_LOG_FORMAT"),
            log_level: var("AISLE_LOG_LEVEL"),
            metrics_allow: var("AISLE_METRICS_ALLOW"),
            media_store: var("AISLE_MEDIA_STORE"),
            shop_rules: var("AISLE_SHOP_RULES"),
            bank_account: var("AISLE_BANK_ACCOUNT"),
            account_limit: or_default("AISLE_ACCOUNT_LIMIT"),
            demo_photos: !matches!(or_default("AISLE_DEMO_PHOTOS").trim(), "off" | "0" | "false" | "no"),
            demo_history: matches!(or_default("AISLE_DEMO_HISTORY").trim(), "on" | "1" | "true" | "yes"),
        }
    }

    /// Every setting that can be wrong, checked: a start-up error names the first bad
    /// one.
    pub fn check(&self) -> Result<(), String> {
        self.business_hours()?;
        self.time_zone()?;
        self.trusted_proxies()?;
        self.log_format()?;
        self.log_level()?;
        self.metrics_allow()?;
        Ok(())
    }

    /// The support hours, or a start-up error that names the setting.
    pub fn business_hours(&self) -> Result<BusinessHours, String> {
        BusinessHours::parse(&self.support_hours).map_err(|e| format!("AISLE_SUPPORT_HOURS: {e}"))
    }

    /// The shop's time zone, an IANA name (`Europe/Berlin`, `UTC`) that the zone
    /// database built into the server knows; the browser's `Intl` takes the same names.
    /// A typed offset, a city alone or a misspelt name stops the start with a message.
    pub fn time_zone(&self) -> Result<String, String> {
        let zone = self.time_zone.trim();
        match jiff::tz::TimeZone::get(zone) {
            // The database's own spelling: `europe/berlin` is found, and shown as it should be.
            Ok(tz) if !zone.is_empty() => Ok(tz.iana_name().unwrap_or(zone).to_string()),
            _ => Err(format!("AISLE_TIME_ZONE: an IANA time zone name such as `Europe/Berlin` or `UTC`, not {zone:?}")),
        }
    }

    /// The shop's delivery and VAT rules: read from the file named, or the built-in
    /// ones; a file that cannot be read or used is a start-up error naming the setting.
    pub fn shop_rules(&self) -> Result<aisle_domain::delivery::ShopRules, String> {
        let Some(path) = self.shop_rules.as_deref().map(str::trim) else { return Ok(Default::default()) };
        let text = std::fs::read_to_string(path).map_err(|e| format!("AISLE_SHOP_RULES: cannot read {path}: {e}"))?;
        let rules: aisle_domain::delivery::ShopRules = serde_json::from_str(&text).map_err(|e| format!("AISLE_SHOP_RULES: {path} is not a rules file: {e}"))?;
        rules.check().map_err(|e| format!("AISLE_SHOP_RULES: in {path}, {e}"))?;
        Ok(rules)
    }

    /// How many account requests one address may make in the limit's window.
    pub fn account_limit(&self) -> Result<usize, String> {
        match self.account_limit.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(format!("AISLE_ACCOUNT_LIMIT: a whole number of at least 1, not {:?}", self.account_limit)),
        }
    }

    /// The shop's account for bank transfers, with its IBAN checked; `None` when unset.
    pub fn bank_account(&self) -> Result<Option<aisle_domain::payment::BankAccount>, String> {
        let Some(raw) = self.bank_account.as_deref() else { return Ok(None) };
        let parts: Vec<&str> = raw.split(',').map(str::trim).collect();
        let (holder, iban, bic) = match parts.as_slice() {
            [holder, iban] => (*holder, *iban, ""),
            [holder, iban, bic] => (*holder, *iban, *bic),
            _ => return Err(format!("AISLE_BANK_ACCOUNT: `holder, IBAN, BIC` (the BIC may be left out), not {raw:?}")),
        };
        if holder.is_empty() {
            return Err("AISLE_BANK_ACCOUNT: the account holder's name comes first".into());
        }
        let iban = aisle_domain::payment::parse_iban(iban).map_err(|e| format!("AISLE_BANK_ACCOUNT: {e}"))?;
        Ok(Some(aisle_domain::payment::BankAccount { holder: holder.to_string(), iban, bic: bic.to_ascii_uppercase() }))
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

    pub fn log_format(&self) -> Result<LogFormat, String> {
        match self.log_format.as_deref().map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            None | Some("human") => Ok(LogFormat::Human),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(format!("AISLE_LOG_FORMAT: `human` or `json`, not {other:?}")),
        }
    }

    pub fn log_level(&self) -> Result<tracing::Level, String> {
        let raw = self.log_level.as_deref().unwrap_or("info").trim();
        raw.parse::<tracing::Level>().map_err(|_| format!("AISLE_LOG_LEVEL: error, warn, info, debug or trace, not {raw:?}"))
    }

    /// The networks besides loopback that may read `/metrics`.
    pub fn metrics_allow(&self) -> Result<Vec<Network>, String> {
        let Some(raw) = self.metrics_allow.as_deref() else { return Ok(Vec::new()) };
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Network::parse(s).ok_or_else(|| format!("AISLE_METRICS_ALLOW: addresses or networks such as 10.0.0.0/8, not {s:?}")))
            .collect()
    }

    /// Where links in e-mails point: `AISLE_PUBLIC_URL` without its trailing slash,
    /// else the address the server listens on (`listening`, with an unspecified
    /// address such as 0.0.0.0 read as localhost).
    pub fn public_url(&self, listening: std::net::SocketAddr) -> Result<String, String> {
        match self.public_url.as_deref().map(str::trim) {
            Some(url) => {
                let url = url.trim_end_matches('/');
                let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
                match rest {
                    Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) && !host.contains(['?', '#']) => Ok(url.to_string()),
                    _ => Err(format!("AISLE_PUBLIC_URL: an address such as https://shop.example.com, not {url:?}")),
                }
            }
            None => {
                let host = if listening.ip().is_unspecified() { "localhost".to_string() } else { listening.ip().to_string() };
                let host = if listening.is_ipv6() && host != "localhost" { format!("[{host}]") } else { host };
                Ok(format!("http://{host}:{}", listening.port()))
            }
        }
    }
}

/// The default of a setting in [`SETTINGS`] ("" when it has none).
pub fn default_of(name: &str) -> &'static str {
    SETTINGS.iter().find(|s| s.name == name).map_or("", |s| s.default)
}

/// The settings as `aisle-api --help` prints them.
pub fn settings_help() -> String {
    let mut out = String::from("Environment:\n");
    for s in SETTINGS {
        let default = if s.default.is_empty() { String::new() } else { format!(" (default {})", s.default) };
        out.push_str(&format!("  {}{default}\n      {}\n", s.name, s.meaning.replace('`', "")));
    }
    out
}

/// The settings as the Markdown table in `docs/operations.md`.
pub fn settings_table() -> String {
    let mut out = String::from("| variable | default | meaning |\n|---|---|---|\n");
    for s in SETTINGS {
        let default = if s.default.is_empty() { "—".to_string() } else { format!("`{}`", s.default) };
        out.push_str(&format!("| `{}` | {default} | {} |\n", s.name, s.meaning));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_is_the_setting_or_the_listening_address() {
        let mut c = Config::from_env();
        let addr: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
        c.public_url = None;
        assert_eq!(c.public_url(addr).unwrap(), "http://127.0.0.1:8080");
        assert_eq!(c.public_url("0.0.0.0:3000".parse().unwrap()).unwrap(), "http://localhost:3000");
        assert_eq!(c.public_url("[::1]:3000".parse().unwrap()).unwrap(), "http://[::1]:3000");
        c.public_url = Some("https://shop.example.com/".into());
        assert_eq!(c.public_url(addr).unwrap(), "https://shop.example.com");
        for bad in ["shop.example.com", "ftp://x", "https://", "https://a b", "https://x/?q"] {
            c.public_url = Some(bad.into());
            assert!(c.public_url(addr).is_err(), "{bad}");
        }
    }

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

    #[test]
    fn log_settings_and_metrics_networks_are_checked() {
        let mut c = Config::from_env();
        c.log_format = Some("JSON".into());
        c.log_level = Some("debug".into());
        c.metrics_allow = Some("10.0.0.0/8, 192.168.1.7 ,2001:db8::/32".into());
        assert_eq!(c.log_format(), Ok(LogFormat::Json));
        assert_eq!(c.log_level(), Ok(tracing::Level::DEBUG));
        let nets = c.metrics_allow().expect("networks");
        assert!(nets[0].contains("10.1.2.3".parse().unwrap()) && !nets[0].contains("11.0.0.1".parse().unwrap()));
        assert!(nets[1].contains("::ffff:192.168.1.7".parse().unwrap()) && !nets[1].contains("192.168.1.8".parse().unwrap()));
        assert!(nets[2].contains("2001:db8:1::1".parse().unwrap()) && !nets[2].contains("10.1.2.3".parse().unwrap()));
        c.log_format = Some("xml".into());
        assert!(c.check().unwrap_err().starts_with("AISLE_LOG_FORMAT:"));
        c.log_format = None;
        c.metrics_allow = Some("10.0.0.0/40".into());
        assert!(c.check().unwrap_err().starts_with("AISLE_METRICS_ALLOW:"));
    }

    /// Every variable this file reads is in the list, so none goes undocumented.
    #[test]
    fn every_variable_read_is_a_listed_setting() {
        let source = include_str!("config.rs");
        let body = &source[source.find("pub fn from_env").expect("from_env")..source.find("pub fn check").expect("check")];
        let read: Vec<&str> = body.split('"').skip(1).step_by(2).filter(|s| s.chars().all(|c| c.is_ascii_uppercase() || c == '_')).collect();
        assert_eq!(read.len(), SETTINGS.len(), "{read:?}");
        for name in read {
            assert!(SETTINGS.iter().any(|s| s.name == name), "{name} is read but not in SETTINGS");
        }
    }

    /// `docs/operations.md` carries the table made from [`SETTINGS`];
    /// `AISLE_UPDATE_DOCS=1 cargo test -p aisle-api settings` writes it.
    #[test]
    fn the_settings_table_in_the_docs_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/operations.md");
        let doc = std::fs::read_to_string(&path).expect("docs/operations.md");
        let (start, end) = ("<!-- settings:start -->\n", "<!-- settings:end -->");
        let (Some(a), Some(b)) = (doc.find(start), doc.find(end)) else { panic!("docs/operations.md lost its settings markers") };
        let current = &doc[a + start.len()..b];
        let wanted = settings_table();
        if current != wanted {
            if std::env::var("AISLE_UPDATE_DOCS").is_ok_and(|v| v == "1") {
                let updated = format!("{}{wanted}{}", &doc[..a + start.len()], &doc[b..]);
                std::fs::write(&path, updated).expect("write docs/operations.md");
            } else {
                panic!("the settings table in docs/operations.md is out of date; run AISLE_UPDATE_DOCS=1 cargo test -p aisle-api settings");
            }
        }
    }

    #[test]
    fn a_time_zone_must_be_one_the_zone_database_knows() {
        let with = |tz: &str| Config { time_zone: tz.into(), ..Config::from_env() };
        for ok in ["Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+1", "Asia/Kolkata"] {
            assert_eq!(with(ok).time_zone().as_deref(), Ok(ok), "{ok}");
        }
        assert_eq!(with(" europe/berlin ").time_zone().as_deref(), Ok("Europe/Berlin"));
        for bad in ["", "Berlin", "+01:00", "Europe/", "Europe/Ber lin", "Europe/Berln", "Mars/Olympus_Mons"] {
            assert!(with(bad).time_zone().unwrap_err().starts_with("AISLE_TIME_ZONE"), "{bad}");
        }
    }
}
