//! Aisle's API server.
//!
//! The code is laid out by feature: each folder is one slice of the shop with its
//! routes (`routes.rs`, each handler with its OpenAPI description), its SQL (`store.rs`)
//! and its rules (`service.rs`); `platform` is what every slice stands on. This file
//! only puts them together: the state every handler can reach ([`AppState`]), the
//! router ([`app`]) and the server ([`serve`]). See `docs/architecture.md`.
//!
//! Errors are `{"error": {"code", "message", "field"?}}` (see `platform::error`); the
//! routes and their shapes are in the OpenAPI document, `GET /api/openapi.json`.
//!
//! The clickstream records nothing when the browser sends `Sec-GPC: 1` or the shopper
//! switched it off; personalisation off empties recommendations (see [`personal`]).
//! The insight funnel counts distinct shoppers (the account if signed in, else the
//! device id) per step; `ordered` counts those with a `checkout_finished` event. Days,
//! funnel, empty searches, response times and ratings cover the period; abandoned carts
//! and FAQ votes are as they stand.
//!
//! Product reads are answered from memory (see [`product_cache`]): at once up to date
//! with stock changed through this server and, on PostgreSQL, through every other
//! instance (see [`fanout`]); a change whose signal was lost shows at most
//! [`product_cache::TTL`] late.
//!
//! Support (chat, call-backs, tickets, feedback) belongs to the signed-in account, or
//! to a guest's support token sent as `support_token` in a body or `X-Support-Token`
//! in a header (see [`support`]).
//!
//! Every request that changes something needs the session's `X-CSRF-Token` (see
//! [`auth`]), and may carry an `Idempotency-Key` so that a retry acts once (see
//! [`idempotency`]).
//!
//! Every other path serves the built web app (see [`web`]).
//!
//! Security (see [`security`]): every response carries a Content-Security-Policy (the
//! web app's allows only its own files and its loader script by hash), `nosniff`,
//! `X-Frame-Options: DENY` and `Referrer-Policy: same-origin`. A JSON body may be at
//! most 64 KB (`/api/events`, a batch of up to 100 events, 256 KB); a larger one is a
//! 413, a body not sent as JSON a 415, both in the error shape above. Sign-in, sign-up,
//! password changes, account erasure and the contact routes are limited per client
//! address as well as per session or account: 429 with `Retry-After`. Sessions last
//! 30 days and are replaced by a new one at sign-in; expired ones are deleted. On
//! SIGTERM the server stops accepting and drains requests in flight for up to
//! [`DRAIN`].

pub mod cart;
pub mod catalogue;
pub mod checkout;
pub mod claim;
pub mod credit;
pub mod demo;
pub mod emails;
pub mod fulfilment;
pub mod identity;
pub mod insight;
pub mod invoices;
pub mod legal;
pub mod media;
pub mod offers;
pub mod orders;
pub mod personal;
pub mod platform;
pub mod privacy;
pub mod reviews;
pub mod state;
pub mod support;
pub mod wishlist;

use axum::{extract::DefaultBodyLimit, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use catalogue::seed;
use identity::session;
use platform::{
    config,
    db,
    error::ApiError,
    extract, fanout, health, idempotency, links, mail,
    observe::{self, MetricsEndpoint},
    rate_limit, security, web,
};
use std::{future::IntoFuture, net::SocketAddr, path::PathBuf, sync::Arc};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;

pub use config::Config;
pub use state::AppState;

/// Every slice's routes, as they are mounted under `/api`, each with its description.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(platform::openapi::ApiDoc::openapi())
        .merge(platform::router())
        .merge(identity::router())
        .merge(catalogue::router())
        .merge(cart::router())
        .merge(checkout::router())
        .merge(orders::router())
        .merge(fulfilment::router())
        .merge(support::router())
        .merge(reviews::router())
        .merge(claim::router())
        .merge(personal::router())
        .merge(privacy::router())
        .merge(insight::router())
        .merge(wishlist::router())
        .merge(offers::router())
        .merge(invoices::router())
        .merge(legal::router())
        .merge(credit::router())
}

/// On PostgreSQL, hears the other instances on the same database: each slice that
/// cares acts on their signals (see `platform::fanout`).
pub async fn listen_to_other_instances(state: &AppState) -> Result<(), String> {
    let listeners: Vec<fanout::Listener<AppState>> = vec![catalogue::listen, identity::listen, support::listen];
    fanout::start(&state.db, &state.fanout, state.clone(), listeners).await
}

/// The OpenAPI document of every route under `/api`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, doc) = api_routes().split_for_parts();
    platform::openapi::finish(doc, "/api", identity::session::SESSION_COOKIE)
}

/// The API routes alone, to nest under `/api`.
pub fn api(state: AppState) -> Router {
    let (router, doc) = api_routes().split_for_parts();
    if let Err(e) = platform::openapi::publish(&platform::openapi::finish(doc, "/api", identity::session::SESSION_COOKIE)) {
        tracing::error!("cannot write the OpenAPI document: {e}");
    }
    router
        .route_layer(axum::middleware::from_fn(observe::note_route))
        .fallback(|| async { ApiError::not_found("There is no such API endpoint.") })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(state.clone(), idempotency::idempotency))
        .layer(DefaultBodyLimit::max(extract::MAX_JSON_BODY))
        // Outermost, so a flood is turned away before it touches the database.
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::limit_by_ip))
        .with_state(state)
}

/// The whole application: the API, and the web app for every other path.
/// Serve it with [`into_service`]: per-address limits need the peer's address.
pub fn app(state: AppState, web_dir: PathBuf) -> Router {
    let policy = Arc::new(web::ContentPolicy::new(&web_dir));
    let metrics = MetricsEndpoint { metrics: state.metrics.clone(), allow: state.metrics_allow.clone(), trusted_proxies: state.trusted_proxies };
    Router::new()
        .merge(health::router(state.health.clone()))
        .merge(observe::router(metrics))
        .nest("/api", api(state.clone()))
        // Home, categories and products are written with their first view; every
        // other page is the app alone.
        .merge(catalogue::pages::router(state.clone(), &web_dir))
        .merge(media::router(state.clone()))
        .merge(web::router(&web_dir))
        .layer(CatchPanicLayer::custom(|_panic| {
            axum::response::IntoResponse::into_response(ApiError::Internal("a handler panicked".into()))
        }))
        // Outside the panic catcher, so even that answer has the headers.
        .layer(axum::middleware::from_fn_with_state(policy, security::headers))
        // Outermost: every answer has its request id, its log line and its count.
        .layer(axum::middleware::from_fn_with_state(state.metrics.clone(), observe::track))
}

/// The app as `axum::serve` takes it, with each connection's peer address.
pub fn into_service(app: Router) -> axum::extract::connect_info::IntoMakeServiceWithConnectInfo<Router, SocketAddr> {
    app.into_make_service_with_connect_info::<SocketAddr>()
}

/// Opens the database (seeding the demo catalogue into a new one), then serves until
/// Ctrl-C or SIGTERM, letting requests in flight finish.
pub async fn serve(config: Config, listener: TcpListener) -> Result<(), String> {
    let hours = config.business_hours()?;
    let trusted_proxies = config.trusted_proxies()?;
    let metrics_allow = config.metrics_allow()?;
    let db = db::open(&config.database_url).await?;
    if support::faq::seed::seed_if_empty(&db).await.map_err(|e| format!("cannot seed the help articles: {e}"))? {
        tracing::info!("seeded the help articles");
    }
    let new_shop = seed::seed_if_empty(&db).await.map_err(|e| format!("cannot seed the demo catalogue: {e}"))?;
    if new_shop {
        tracing::info!("new database: seeded the demo catalogue ({} products)", seed::DEMO_PRODUCTS);
    }
    if new_shop && config.demo_history {
        let orders = demo::seed_history(&db).await.map_err(|e| format!("cannot seed the demo history: {e}"))?;
        tracing::info!("new database: seeded a demo history ({orders} delivered orders and their reviews)");
    }
    let mut state = AppState::with_hours(db, hours).await.map_err(|e| format!("cannot read the catalogue: {e}"))?;
    state.trusted_proxies = trusted_proxies;
    state.metrics_allow = Arc::new(metrics_allow);
    state.media = Arc::new(media::store::MediaStore::from_setting(&state.db, config.media_store.as_deref())?);
    let mut rules = config.shop_rules()?;
    rules.currency = catalogue::admin::store::shop_currency(&state.db).await.map_err(|e| format!("cannot read the catalogue: {e}"))?;
    if config.shop_rules.is_none() {
        // The built-in markets are for a shop in euros; a shop in pounds has no UK market.
        let home = rules.currency;
        rules.markets.0.retain(|m| m.currency != home);
    }
    // Checked again now the shop's currency is known (a market in it is refused).
    rules.check().map_err(|e| format!("AISLE_SHOP_RULES: {e}"))?;
    state.rules = Arc::new(rules);
    state.offer_payments(crate::checkout::payments::Payments::new(config.bank_account()?));
    let account_limit = config.account_limit()?;
    if let Some(limits) = Arc::get_mut(&mut state.ip_limits) {
        limits.accounts.max = account_limit;
    }
    let listening = listener.local_addr().map_err(|e| format!("cannot read the listening address: {e}"))?;
    state.emails = Arc::new(emails::Emails::new(emails::Shop {
        name: config.shop_name.clone(),
        address: config.shop_address.clone(),
        vat_id: config.shop_vat_id.trim().to_string(),
        email: config.reply_address(),
        time_zone: config.time_zone()?,
        url: config.public_url(listening)?,
    }));
    if state.emails.shop.vat_id.is_empty() {
        tracing::warn!("AISLE_SHOP_VAT_ID is not set: invoices will carry no VAT number");
    }
    let health = state.health.clone();
    listen_to_other_instances(&state).await?;
    mail::spawn_delivery(state.db.clone(), mail::Transport::from_config(&config)?);
    session::spawn_session_cleanup(state.db.clone());
    rate_limit::spawn_cleanup(state.db.clone());
    links::spawn_cleanup(state.db.clone());
    checkout::unpaid::spawn_sweep(state.clone());
    offers::sales::spawn_sweep(state.clone());
    if new_shop && config.demo_photos {
        // In the background: the shop answers at once, and its products (and their
        // offline copies) take their photos when all are drawn, some 15 s later.
        let state = state.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            match catalogue::seed_photos::seed(&state).await {
                Ok(count) => tracing::info!("drew photos for {count} demo products in {} ms", started.elapsed().as_millis()),
                Err(e) => tracing::error!("cannot draw the demo photos: {}", e.into_message()),
            }
        });
    }
    if !config.web_dir.join("index.html").exists() {
        tracing::warn!("no web app at {}: run `cargo xtask run` to build it", config.web_dir.display());
    }
    let (stopping, mut stop_seen) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, into_service(app(state, config.web_dir))).with_graceful_shutdown(async move {
        shutdown_signal().await;
        // Balancers asking /readyz move new requests elsewhere from now on.
        health.stop();
        tracing::info!("stopping: no new connections; finishing the requests in flight");
        let _ = stopping.send(true);
    });
    // Stock streams and chat sockets stay open as long as their page does, so waiting
    // for every connection to end could take for ever: after the drain time the server
    // stops anyway, and those pages reconnect to the next one.
    let drain_deadline = async move {
        let _ = stop_seen.wait_for(|s| *s).await;
        tokio::time::sleep(DRAIN).await;
    };
    tokio::select! {
        result = server.into_future() => result.map_err(|e| format!("server error: {e}")),
        _ = drain_deadline => {
            tracing::info!("stopped with streams still open after {}s", DRAIN.as_secs());
            Ok(())
        }
    }
}

/// How long a stopping server waits for requests in flight.
pub const DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
