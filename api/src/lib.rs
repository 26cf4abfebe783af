//! Aisle's API server.
//!
//! Routes (all JSON, errors as `{"error": {"code", "message"}}`):
//!
//! | method | path                                   | handler                   |
//! |--------|----------------------------------------|---------------------------|
//! | GET    | `/api/health`                          | `health_show`             |
//! | GET    | `/api/openapi.json`                    | `openapi_show`            |
//! | GET    | `/api/categories`                      | `categories_index`        |
//! | GET    | `/api/categories/{slug}`               | `categories_show`         |
//! | GET    | `/api/categories/{slug}/products`      | `category_products_index` |
//! | GET    | `/api/featured`                        | `featured_index`          |
//! | GET    | `/api/products/{id_or_slug}`           | `products_show`           |
//! | GET    | `/api/products/{id}/image.svg`         | `products_image`          |
//! | GET    | `/api/search?q=&limit=`                | `search_index`            |
//! | GET    | `/api/products/{id}/stock/events`      | `product_stock_events`    |
//! | GET    | `/api/catalogue/changes?since=`        | `catalogue_changes`       |
//! | GET    | `/api/session`                         | `session_show`            |
//! | POST   | `/api/session` (sign in)               | `session_create`          |
//! | DELETE | `/api/session` (sign out)              | `session_delete`          |
//! | POST   | `/api/account` (sign up)               | `account_create`          |
//! | PUT    | `/api/account`                         | `account_update`          |
//! | DELETE | `/api/account` (erase, with password)  | `account_delete`          |
//! | PUT    | `/api/account/password`                | `password_update`         |
//! | GET    | `/api/account/privacy`                 | `privacy_show`            |
//! | PUT    | `/api/account/privacy`                 | `privacy_update`          |
//! | GET    | `/api/account/export` (download)       | `account_export`          |
//! | GET    | `/api/account/addresses`               | `addresses_index`         |
//! | POST   | `/api/account/addresses`               | `addresses_create`        |
//! | PUT    | `/api/account/addresses/{id}`          | `addresses_update`        |
//! | DELETE | `/api/account/addresses/{id}`          | `addresses_delete`        |
//! | GET    | `/api/cart`                            | `cart_show`               |
//! | PUT    | `/api/cart/items`                      | `cart_items_update`       |
//! | POST   | `/api/orders` (Idempotency-Key)        | `orders_create`           |
//! | GET    | `/api/orders`                          | `orders_index`            |
//! | GET    | `/api/orders/recent`                   | `orders_recent`           |
//! | GET    | `/api/orders/{number}?token=`          | `orders_show`             |
//! | POST   | `/api/orders/{number}/cancel`          | `orders_cancel`           |
//! | PUT    | `/api/orders/{number}/items`           | `orders_items_update`     |
//! | PUT    | `/api/orders/{number}/address`         | `orders_address_update`   |
//! | POST   | `/api/orders/{number}/return`          | `orders_return`           |
//! | GET    | `/api/staff/orders?status=`            | `staff_orders_index`      |
//! | GET    | `/api/staff/orders/{number}`           | `staff_orders_show`       |
//! | POST   | `/api/staff/orders/{number}/{action}`  | `staff_orders_action`     |
//! | PUT    | `/api/staff/products/{id}/stock`       | `staff_stock_update`      |
//! | GET    | `/api/orders/{number}/ratings?token=`  | `ratings_index`           |
//! | PUT    | `/api/orders/{number}/ratings/{product_id}?token=` | `ratings_update` |
//! | GET    | `/api/support/availability`            | `support_availability`    |
//! | GET    | `/api/support/chat?after=`             | `chat_show`               |
//! | POST   | `/api/support/chat/messages`           | `chat_messages_create`    |
//! | GET    | `/api/support/chat/ws` (WebSocket)     | `chat_socket`             |
//! | POST   | `/api/support/callbacks`               | `callbacks_create`        |
//! | POST   | `/api/support/tickets`                 | `tickets_create`          |
//! | GET    | `/api/support/tickets/{id}`            | `tickets_show`            |
//! | POST   | `/api/support/tickets/{id}/messages`   | `ticket_messages_create`  |
//! | GET    | `/api/support/mine`                    | `support_mine`            |
//! | POST   | `/api/support/feedback`                | `feedback_create`         |
//! | GET    | `/api/faq`                             | `faq_index`               |
//! | GET    | `/api/faq/search?q=`                   | `faq_search`              |
//! | POST   | `/api/faq/{id}/votes`                  | `faq_votes_create`        |
//! | GET    | `/api/staff/support/ws` (WebSocket)    | `staff_support_socket`    |
//! | GET    | `/api/staff/support/queue`             | `staff_support_queue`     |
//! | GET    | `/api/staff/support/customers/{key}`   | `staff_support_customer`  |
//! | POST   | `/api/staff/support/callbacks/{id}/schedule` | `staff_callbacks_schedule` |
//! | POST   | `/api/staff/support/callbacks/{id}/done` | `staff_callbacks_done`  |
//! | POST   | `/api/staff/support/tickets/{id}/reply` | `staff_tickets_reply`    |
//! | POST   | `/api/staff/support/tickets/{id}/close` | `staff_tickets_close`    |
//! | POST   | `/api/staff/support/conversations/{id}/close` | `staff_conversations_close` |
//! | POST   | `/api/events` (clickstream batch)      | `events_create`           |
//! | GET    | `/api/welcome`                         | `welcome_show`            |
//! | GET    | `/api/recommendations`                 | `recommendations_index`   |
//! | GET    | `/api/staff/insight?days=`             | `staff_insight_show`      |
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
//! web app's allows only its own files and trunk's loader script by hash), `nosniff`,
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
pub mod demo;
pub mod fulfilment;
pub mod identity;
pub mod insight;
pub mod orders;
pub mod personal;
pub mod platform;
pub mod privacy;
pub mod support;

use aisle_domain::{catalogue::search::{SearchDoc, SearchIndex}};
use axum::{extract::DefaultBodyLimit, routing::get, Router};
use catalogue::{cache as product_cache, seed};
use identity::session;
use platform::{config, db, error::ApiError, extract, fanout, idempotency, mail, openapi, security, web};
use std::{future::IntoFuture, net::SocketAddr, path::PathBuf, sync::Arc};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;

pub use config::Config;

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
    pub personal: Arc<personal::service::Personal>,
    /// Per-address limits on password and contact routes.
    pub ip_limits: Arc<security::IpLimits>,
    /// How many reverse proxies in front of us append to `X-Forwarded-For` (0: none,
    /// and the header is ignored). `serve` sets it from the config.
    pub trusted_proxies: usize,
    /// The other instances on the same PostgreSQL (see [`fanout`]); idle on SQLite.
    pub fanout: Arc<fanout::Fanout>,
    /// Product answers, evicted on every stock change (see [`product_cache`]).
    pub products: Arc<product_cache::ProductCache>,
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
            personal: Arc::new(personal::service::Personal::default()),
            ip_limits: Arc::new(security::IpLimits::default()),
            trusted_proxies: 0,
            products: Arc::new(product_cache::ProductCache::default()),
        })
    }
}

/// The API routes alone, under `/api`.
pub fn api(state: AppState) -> Router {
    use axum::routing::{post, put};
    use crate::{
        cart::routes::*,
        checkout::routes::*,
        catalogue::{routes::*, search::*, stock_events::*},
        fulfilment::routes::*,
        identity::routes::*,
        insight::routes::*,
        orders::routes::*,
        personal::routes::*,
        platform::health::*,
        privacy::routes::*,
        support::{chat::*, console::routes::*, faq::routes::*, routes::*},
    };
    Router::new()
        .route("/openapi.json", get(openapi::openapi_show))
        .route("/health", get(health_show))
        .route("/categories", get(categories_index))
        .route("/categories/{slug}", get(categories_show))
        .route("/categories/{slug}/products", get(category_products_index))
        .route("/featured", get(featured_index))
        .route("/products/{key}", get(products_show))
        .route("/products/{key}/image.svg", get(products_image))
        .route("/search", get(search_index))
        .route("/products/{key}/stock/events", get(product_stock_events))
        .route("/catalogue/changes", get(catalogue_changes))
        .route("/session", get(session_show).post(session_create).delete(session_delete))
        .route("/account", post(account_create).put(account_update).delete(account_delete))
        .route("/account/password", put(password_update))
        .route("/account/privacy", get(privacy_show).put(privacy_update))
        .route("/account/export", get(account_export))
        .route("/account/addresses", get(addresses_index).post(addresses_create))
        .route("/account/addresses/{id}", put(addresses_update).delete(addresses_delete))
        .route("/cart", get(cart_show))
        .route("/cart/items", put(cart_items_update))
        .route("/orders", get(orders_index).post(orders_create))
        .route("/orders/recent", get(orders_recent))
        .route("/orders/{number}", get(orders_show))
        .route("/orders/{number}/cancel", post(orders_cancel))
        .route("/orders/{number}/items", put(orders_items_update))
        .route("/orders/{number}/address", put(orders_address_update))
        .route("/orders/{number}/return", post(orders_return))
        .route("/staff/orders", get(staff_orders_index))
        .route("/staff/orders/{number}", get(staff_orders_show))
        .route("/staff/orders/{number}/{action}", post(staff_orders_action))
        .route("/staff/products/{id}/stock", put(staff_stock_update))
        .route("/orders/{number}/ratings", get(ratings_index))
        .route("/orders/{number}/ratings/{product_id}", put(ratings_update))
        .route("/support/availability", get(support_availability))
        .route("/support/chat", get(chat_show))
        .route("/support/chat/messages", post(chat_messages_create))
        .route("/support/chat/ws", get(chat_socket))
        .route("/support/callbacks", post(callbacks_create))
        .route("/support/tickets", post(tickets_create))
        .route("/support/tickets/{id}", get(tickets_show))
        .route("/support/tickets/{id}/messages", post(ticket_messages_create))
        .route("/support/mine", get(support_mine))
        .route("/support/feedback", post(feedback_create))
        .route("/faq", get(faq_index))
        .route("/faq/search", get(faq_search))
        .route("/faq/{id}/votes", post(faq_votes_create))
        .route("/staff/support/ws", get(staff_support_socket))
        .route("/staff/support/queue", get(staff_support_queue))
        .route("/staff/support/customers/{key}", get(staff_support_customer))
        .route("/staff/support/callbacks/{id}/schedule", post(staff_callbacks_schedule))
        .route("/staff/support/callbacks/{id}/done", post(staff_callbacks_done))
        .route("/staff/support/tickets/{id}/reply", post(staff_tickets_reply))
        .route("/staff/support/tickets/{id}/close", post(staff_tickets_close))
        .route("/staff/support/conversations/{id}/close", post(staff_conversations_close))
        // Up to 100 events with their search words: more than one form's worth.
        .route("/events", post(events_create).layer(DefaultBodyLimit::max(MAX_EVENTS_BODY)))
        .route("/welcome", get(welcome_show))
        .route("/recommendations", get(recommendations_index))
        .route("/staff/insight", get(staff_insight_show))
        .fallback(|| async { ApiError::not_found("There is no such API endpoint.") })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(state.clone(), idempotency::idempotency))
        .layer(DefaultBodyLimit::max(extract::MAX_JSON_BODY))
        // Outermost, so a flood is turned away before it touches the database.
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::limit_by_ip))
        .with_state(state)
}

/// The body limit of `POST /api/events`: 100 events of at most ~1.4 KB each (a
/// 200-character search escaped as `\uXXXX`), with room to spare.
pub const MAX_EVENTS_BODY: usize = 256 * 1024;

/// The whole application: the API, and the web app for every other path.
/// Serve it with [`into_service`]: per-address limits need the peer's address.
pub fn app(state: AppState, web_dir: PathBuf) -> Router {
    let policy = Arc::new(web::ContentPolicy::new(&web_dir));
    Router::new()
        .nest("/api", api(state))
        .merge(web::router(&web_dir))
        .layer(CatchPanicLayer::custom(|_panic| {
            axum::response::IntoResponse::into_response(ApiError::Internal("a handler panicked".into()))
        }))
        // Outside the panic catcher, so even that answer has the headers.
        .layer(axum::middleware::from_fn_with_state(policy, security::headers))
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
    let db = db::open(&config.database_url).await?;
    if support::faq::seed::seed_if_empty(&db).await.map_err(|e| format!("cannot seed the help articles: {e}"))? {
        tracing::info!("seeded the help articles");
    }
    if seed::seed_if_empty(&db).await.map_err(|e| format!("cannot seed the demo catalogue: {e}"))? {
        tracing::info!("new database: seeded the demo catalogue ({} products)", seed::DEMO_PRODUCTS);
    }
    let mut state = AppState::new(db).await.map_err(|e| format!("cannot read the catalogue: {e}"))?;
    state.support = Arc::new(support::hub::Hub::new(hours, state.fanout.clone()));
    state.trusted_proxies = trusted_proxies;
    fanout::start(&state).await?;
    mail::spawn_delivery(state.db.clone(), mail::Transport::from_config(&config)?);
    session::spawn_session_cleanup(state.db.clone());
    if !config.web_dir.join("index.html").exists() {
        tracing::warn!("no web app at {}: run `cargo xtask run` to build it", config.web_dir.display());
    }
    let (stopping, mut stop_seen) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, into_service(app(state, config.web_dir))).with_graceful_shutdown(async move {
        shutdown_signal().await;
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
