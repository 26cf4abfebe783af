//! What every handler can reach: the database and each slice's shared parts, built
//! once at start. The slices' parts are types of modules that never name `AppState`
//! themselves, so this file depends on them and not the other way round.

use crate::{
    catalogue::{self, cache},
    identity,
    personal,
    platform::{db, fanout, rate_limit},
    support,
};
use aisle_domain::catalogue::search::{SearchDoc, SearchIndex};
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    /// Built once at start from the catalogue; the catalogue only changes through `seed`,
    /// which runs while the server is stopped.
    pub search: Arc<SearchIndex>,
    pub sign_in_limiter: Arc<identity::password::SignInLimiter>,
    /// Stock changes, fanned out to open product pages.
    pub stock_updates: tokio::sync::broadcast::Sender<aisle_domain::catalogue::stock::StockUpdate>,
    /// Live support: opening hours, agents online, the chat fan-out and rate limits.
    /// Starts with the default hours; `serve` sets them from the config.
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
    pub products: Arc<cache::ProductCache>,
}

impl AppState {
    pub async fn new(db: db::Db) -> Result<AppState, sqlx::Error> {
        let rows = catalogue::store::search_rows(&db).await?;
        let search = SearchIndex::new(rows.iter().map(|r| SearchDoc {
            id: r.id,
            name: &r.name,
            category: &r.category,
            description: &r.description,
        }));
        let fanout = Arc::new(fanout::Fanout::default());
        Ok(AppState {
            db,
            search: Arc::new(search),
            sign_in_limiter: Arc::new(identity::password::SignInLimiter::default()),
            stock_updates: tokio::sync::broadcast::channel(1024).0,
            support: Arc::new(support::hub::Hub::new(Default::default(), fanout.clone())),
            fanout,
            personal: Arc::new(personal::model::Personal::default()),
            ip_limits: Arc::new(rate_limit::IpLimits::default()),
            trusted_proxies: 0,
            products: Arc::new(cache::ProductCache::default()),
        })
    }
}
