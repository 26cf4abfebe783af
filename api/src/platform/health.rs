//! `/healthz` and `/readyz`, for load balancers and rolling deploys.
//!
//! - `/healthz`: the process serves (restart it if not).
//! - `/readyz`: send it traffic — the database answers and every migration this build
//!   knows is applied; 503 otherwise, and from the moment the server starts stopping,
//!   so a balancer moves new requests elsewhere while the ones in flight finish.

use crate::platform::db::{self, Db};
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Json, Router};
use serde_json::json;
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

/// What the health routes read: the database, and whether the server is stopping.
#[derive(Clone)]
pub struct Health {
    pub db: Db,
    pub stopping: Arc<AtomicBool>,
}

impl Health {
    pub fn new(db: Db) -> Health {
        Health { db, stopping: Arc::new(AtomicBool::new(false)) }
    }

    /// From now on `/readyz` says the server is stopping.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }
}

/// `GET /healthz`
pub async fn healthz() -> impl IntoResponse {
    Json(json!({"status": "alive"}))
}

/// `GET /readyz`
pub async fn readyz(State(health): State<Health>) -> impl IntoResponse {
    if health.stopping.load(Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "stopping"})));
    }
    match db::pending_migrations(&health.db).await {
        Ok(0) => (StatusCode::OK, Json(json!({"status": "ready", "database": "ok", "migrations": "applied"}))),
        Ok(pending) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "not ready", "database": "ok", "migrations": format!("{pending} not applied")})),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "not ready", "database": "unreachable"})))
        }
    }
}

/// The two routes, outside `/api`: they are for the operator's tools, not the shop's
/// API, and are not in its document.
pub fn router(health: Health) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route_layer(axum::middleware::from_fn(super::observe::note_route))
        .with_state(health)
}
