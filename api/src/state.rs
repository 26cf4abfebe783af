//! What every handler can reach: the database and each slice's shared parts, built
//! once at start. The slices' parts are types of modules that never name `AppState`
//! themselves, so this file depends on them and not the other way round.

use crate::{
    catalogue::{self, cache},
    emails::Emails,
    identity,
    personal,
    platform::{
        config::Network,
        db, fanout,
        health::Health,
        mail,
        observe::{Metrics, Reading},
        rate_limit,
    },
    support,
};
use aisle_domain::support::BusinessHours;
use std::sync::Arc;

/// What every handler can reach. Cloned for every request (by each middleware and
/// handler that takes it), so it is one shared pointer: a clone is one atomic count,
/// not one per part.
#[derive(Clone)]
pub struct AppState(Arc<Parts>);

impl std::ops::Deref for AppState {
    type Target = Parts;
    fn deref(&self) -> &Parts {
        &self.0
    }
}

/// Changing the state is for before it is shared: at start, and in tests that set a
/// smaller limit or a trusted proxy before serving.
impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut Parts {
        Arc::get_mut(&mut self.0).expect("the state is changed before the server shares it")
    }
}

/// The parts of [`AppState`].
pub struct Parts {
    pub db: db::Db,
    /// Built once at start from the catalogue; the catalogue only changes through `seed`,
    /// which runs while the server is stopped.
    pub search: Arc<catalogue::search_index::LiveSearch>,
    pub sign_in_limiter: Arc<identity::password::SignInLimiter>,
    /// Stock changes, fanned out to open product pages.
    pub stock_updates: tokio::sync::broadcast::Sender<aisle_domain::catalogue::stock::StockUpdate>,
    /// Live support: opening hours, agents online, the chat fan-out and rate limits.
    pub support: Arc<support::hub::Hub>,
    /// The clickstream's rate limit and the cached recommendation model.
    pub personal: Arc<personal::model::Personal>,
    /// Per-address limits on password and contact routes.
    pub ip_limits: Arc<rate_limit::IpLimits>,
    /// How many reverse proxies in front of us append to `X-Forwarded-For` (0: none,
    /// and the header is ignored). `serve` sets it from the config.
    pub trusted_proxies: usize,
    /// The other instances on the same PostgreSQL (see `platform::fanout`); idle on SQLite.
    pub fanout: Arc<fanout::Fanout>,
    /// Product answers, evicted on every stock change (see `catalogue::cache`).
    pub products: Arc<cache::ProductCaches>,
    /// The category list per language, cleared with every catalogue change.
    pub categories: Arc<cache::CategoryCache>,
    /// Requests counted and gauges read for `/metrics` (see `platform::observe`).
    pub metrics: Arc<Metrics>,
    /// What `/readyz` reads, and says once the server is stopping.
    pub health: Health,
    /// Networks besides loopback that may read `/metrics`. `serve` sets them from the
    /// config.
    pub metrics_allow: Arc<Vec<Network>>,
    /// The e-mail templates and the shop they speak for (name, address, public
    /// address). `serve` sets them from the config.
    pub emails: Arc<Emails>,
    /// Where photo files are kept: the database unless `serve` set another from the
    /// config (`AISLE_MEDIA_STORE`).
    pub media: Arc<crate::media::store::MediaStore>,
    /// Where and how the shop delivers, and its VAT: the built-in rules unless `serve`
    /// read others from the config (`AISLE_SHOP_RULES`).
    pub rules: Arc<aisle_domain::delivery::ShopRules>,
    /// The ways to pay: pay on delivery, and bank transfer once `serve` has read the
    /// shop's account from the config (`AISLE_BANK_ACCOUNT`).
    pub payments: Arc<crate::checkout::payments::Payments>,
}

impl AppState {
    /// Sets the ways to pay, and says so in the rules the web app prices with.
    pub fn offer_payments(&mut self, mut payments: crate::checkout::payments::Payments) {
        let mut rules = self.rules.as_ref().clone();
        if rules.invoice_due_days == 0 {
            payments = payments.without(aisle_domain::payment::PaymentMethod::Invoice);
        }
        rules.payments = payments.offered();
        self.rules = Arc::new(rules);
        self.payments = Arc::new(payments);
    }

    /// The state with the default support hours.
    pub async fn new(db: db::Db) -> Result<AppState, sqlx::Error> {
        AppState::with_hours(db, BusinessHours::default()).await
    }

    pub async fn with_hours(db: db::Db, hours: BusinessHours) -> Result<AppState, sqlx::Error> {
        let search = catalogue::search_index::LiveSearch::load(&db).await?;
        // A new shop can take orders at once: it has terms to accept.
        crate::legal::store::ensure_samples(&db).await?;
        let fanout = Arc::new(fanout::Fanout::default());
        let support = Arc::new(support::hub::Hub::new(hours, fanout.clone()));
        let personal = Arc::new(personal::model::Personal::default());
        let ip_limits = Arc::new(rate_limit::IpLimits::default());
        // Several instances may share this database: each allowance counts once for
        // all of them (one server on SQLite counts in memory).
        if db::backend(&db) == db::Backend::Postgres {
            support.share_limits(&db);
            personal.events_limiter.share(&db);
            ip_limits.share(&db);
        }
        let metrics = Arc::new(metrics(&db, &fanout, &support));
        Ok(AppState(Arc::new(Parts {
            health: Health::new(db.clone()),
            media: Arc::new(crate::media::store::MediaStore::Database(db.clone())),
            db,
            search: Arc::new(search),
            sign_in_limiter: Arc::new(identity::password::SignInLimiter::default()),
            stock_updates: tokio::sync::broadcast::channel(1024).0,
            support,
            fanout,
            personal,
            ip_limits,
            trusted_proxies: 0,
            products: Arc::new(cache::ProductCaches::default()),
            categories: Arc::new(cache::CategoryCache::default()),
            metrics,
            metrics_allow: Arc::new(Vec::new()),
            emails: Arc::new(Emails::default()),
            rules: Arc::new(aisle_domain::delivery::ShopRules::default()),
            payments: Arc::new(crate::checkout::payments::Payments::new(None)),
        })))
    }
}

/// The metrics, with the gauges read at each scrape: the database pool, the e-mail
/// queue, the signals waiting for other instances, the chat sockets open.
fn metrics(db: &db::Db, fanout: &Arc<fanout::Fanout>, support: &Arc<support::hub::Hub>) -> Metrics {
    let mut m = Metrics::default();
    m.gauge("db_connections", "Database connections of this instance, by state");
    m.gauge("db_connections_max", "The most database connections this instance opens");
    m.gauge("mail_waiting", "E-mails not yet sent");
    m.gauge("mail_given_up", "E-mails that failed every attempt");
    m.gauge("instance_signals_waiting", "Signals for the other instances not yet sent");
    m.gauge("chat_sockets_open", "Live chat sockets open on this instance, by role");
    let reading = |name, labels: &[(&str, &str)], value: f64| Reading { name, labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), value };
    let (pool, fanout, hub) = (db.clone(), fanout.clone(), support.clone());
    m.source(Box::new(move || {
        let (pool, fanout, hub) = (pool.clone(), fanout.clone(), hub.clone());
        Box::pin(async move {
            let size = f64::from(pool.size());
            let idle = pool.num_idle() as f64;
            let mut readings = vec![
                reading("db_connections", &[("state", "idle")], idle),
                reading("db_connections", &[("state", "in_use")], (size - idle).max(0.0)),
                reading("db_connections_max", &[], f64::from(pool.options().get_max_connections())),
                reading("instance_signals_waiting", &[], fanout.waiting() as f64),
                reading("chat_sockets_open", &[("role", "shopper")], hub.shopper_sockets() as f64),
                reading("chat_sockets_open", &[("role", "agent")], hub.local_agents() as f64),
            ];
            match mail::queue_counts(&pool).await {
                Ok((waiting, given_up)) => {
                    readings.push(reading("mail_waiting", &[], waiting as f64));
                    readings.push(reading("mail_given_up", &[], given_up as f64));
                }
                Err(error) => tracing::warn!(%error, "cannot count the e-mail queue for the metrics"),
            }
            readings
        })
    }));
    m
}
