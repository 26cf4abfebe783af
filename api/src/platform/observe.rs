//! What an operator sees of the server: every request gets an id (the caller's
//! `X-Request-Id` when it is a sensible one, else a new one), a tracing span that every
//! log line of the request carries, one log line when it ends (method, matched route,
//! status, time taken; at `info` for changes, failures and slow requests, at `debug`
//! for quick successful reads), the id back in its `X-Request-Id`, and its place in the
//! metrics served at `/metrics` in the Prometheus text format.
//!
//! Routes are logged and counted by their pattern (`/api/orders/{number}`), never by
//! the path or query, which may carry tokens and would make a metric per order.

use super::{client::client_ip, config::Network};
use axum::{
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::{header, HeaderName, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use futures_util::future::BoxFuture;
use prometheus_client::{
    encoding::{text::encode, EncodeLabelSet, EncodeLabelValue, LabelValueEncoder},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{exponential_buckets, Histogram},
    },
    registry::{Registry, Unit},
};
use std::{
    net::{IpAddr, SocketAddr},
    sync::{
        atomic::{AtomicU32, AtomicU64, Ordering},
        Arc, OnceLock,
    },
    time::Instant,
};
use tracing::{field::Empty, Instrument};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A request that takes this long is logged at `info` even when it went well.
pub const SLOW: std::time::Duration = std::time::Duration::from_secs(1);

// Labels are built for every request: the method is a static name and the route a
// shared string, so building one allocates nothing.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: Route,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: Route,
}

/// A route's pattern, shared.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct Route(Arc<str>);

impl EncodeLabelValue for Route {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        EncodeLabelValue::encode(&&*self.0, encoder)
    }
}

/// One reading of a gauge: its name (registered with [`Metrics::gauge`]), its labels
/// and its value now.
pub struct Reading {
    pub name: &'static str,
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

/// Where gauges are read from when `/metrics` is asked: each source gives its readings.
pub type Source = Box<dyn Fn() -> BoxFuture<'static, Vec<Reading>> + Send + Sync>;

type GaugeFamily = Family<Vec<(String, String)>, Gauge<f64, AtomicU64>>;

/// The server's metrics: requests counted as they end, gauges read at each scrape.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram>,
    gauges: Vec<(&'static str, GaugeFamily)>,
    sources: Vec<Source>,
}

fn duration_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("aisle");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "Requests answered, by method, route pattern and status", requests.clone());
        let durations = Family::<RouteLabels, Histogram>::new_with_constructor(duration_histogram as fn() -> Histogram);
        registry.register_with_unit("http_request_duration", "How long requests took, by method and route pattern", Unit::Seconds, durations.clone());
        Metrics { registry, requests, durations, gauges: Vec::new(), sources: Vec::new() }
    }
}

impl Metrics {
    /// Declares a gauge (`name` without the `aisle_` prefix) that sources give readings
    /// for.
    pub fn gauge(&mut self, name: &'static str, help: &'static str) {
        let family = GaugeFamily::default();
        self.registry.register(name, help, family.clone());
        self.gauges.push((name, family));
    }

    /// Adds a source of gauge readings, asked at every scrape.
    pub fn source(&mut self, source: Source) {
        self.sources.push(source);
    }

    fn observe(&self, method: &'static str, route: &Arc<str>, status: u16, seconds: f64) {
        self.requests.get_or_create(&RequestLabels { method, route: Route(route.clone()), status }).inc();
        self.durations.get_or_create(&RouteLabels { method, route: Route(route.clone()) }).observe(seconds);
    }

    /// The metrics in the Prometheus text format, gauges read now.
    pub async fn render(&self) -> String {
        for source in &self.sources {
            for reading in source().await {
                if let Some((_, family)) = self.gauges.iter().find(|(name, _)| *name == reading.name) {
                    family.get_or_create(&reading.labels).set(reading.value);
                }
            }
        }
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            tracing::error!("cannot write the metrics");
        }
        out
    }
}

/// The matched route's pattern, written by [`note_route`] once the router has matched
/// and read by [`track`] when the request ends.
#[derive(Clone, Default)]
struct RouteSlot(Arc<OnceLock<Arc<str>>>);

/// The route of requests for the web app's files, and of unknown API paths.
static WEB: OnceLock<Arc<str>> = OnceLock::new();
static NO_ROUTE: OnceLock<Arc<str>> = OnceLock::new();

/// A method as a static name (anything unusual is `other`, so a client cannot grow the
/// metrics with made-up methods).
fn method_name(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Put on every router as a `route_layer`: notes the matched route's pattern for
/// [`track`], which runs outside the routers and cannot see it.
pub async fn note_route(req: Request, next: Next) -> Response {
    if let (Some(slot), Some(matched)) = (req.extensions().get::<RouteSlot>(), req.extensions().get::<MatchedPath>()) {
        // MatchedPath keeps its pattern shared: one per route, not per request.
        let _ = slot.0.set(Arc::from(matched.as_str()));
    }
    next.run(req).await
}

/// The outermost layer: the request's id, its span, its log line, its metrics.
pub async fn track(State(metrics): State<Arc<Metrics>>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|v| is_sensible_id(v)).map(str::to_string).unwrap_or_else(new_id);
    let method = method_name(req.method());
    let slot = RouteSlot::default();
    req.extensions_mut().insert(slot.clone());
    let api = req.uri().path().starts_with("/api/") || req.uri().path() == "/api";
    let span = tracing::info_span!("request", id = %id, method = %method, route = Empty);
    let mut res = next.run(req).instrument(span.clone()).await;
    // Files of the web app and unknown API paths are each counted as one route.
    let route = slot.0.get().cloned().unwrap_or_else(|| {
        if api {
            NO_ROUTE.get_or_init(|| Arc::from("/api (no such route)")).clone()
        } else {
            WEB.get_or_init(|| Arc::from("web")).clone()
        }
    });
    let status = res.status().as_u16();
    let elapsed = started.elapsed();
    span.record("route", tracing::field::display(&route));
    let ms = elapsed.as_secs_f64() * 1000.0;
    // Every change, every failure and every slow request is a line at `info`; a quick,
    // successful read is one at `debug`. Reads are most of the traffic and say nothing
    // an operator acts on, and a line each cost a fifth of the product reads' throughput
    // (measured with `cargo xtask bench api`).
    let notable = !matches!(method, "GET" | "HEAD") || status >= 400 || elapsed >= SLOW;
    span.in_scope(|| {
        if notable {
            tracing::info!(target: "aisle", status, ms = format_args!("{ms:.1}"), "finished");
        } else {
            tracing::debug!(target: "aisle", status, ms = format_args!("{ms:.1}"), "finished");
        }
    });
    metrics.observe(method, &route, status, elapsed.as_secs_f64());
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    res
}

/// Who may read `/metrics`, and what it serves.
#[derive(Clone)]
pub struct MetricsEndpoint {
    pub metrics: Arc<Metrics>,
    /// Networks besides loopback (`AISLE_METRICS_ALLOW`).
    pub allow: Arc<Vec<Network>>,
    /// How the client's address is read (`AISLE_TRUSTED_PROXIES`).
    pub trusted_proxies: usize,
}

impl MetricsEndpoint {
    fn allows(&self, ip: IpAddr) -> bool {
        ip.to_canonical().is_loopback() || self.allow.iter().any(|n| n.contains(ip))
    }
}

/// `GET /metrics`: the metrics in the Prometheus (OpenMetrics) text format, for the
/// addresses allowed; anyone else gets a 404, as for a path that does not exist.
pub async fn metrics_show(State(endpoint): State<MetricsEndpoint>, req: Request) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let allowed = client_ip(req.headers(), peer, endpoint.trusted_proxies).is_some_and(|ip| endpoint.allows(ip));
    if !allowed {
        return StatusCode::NOT_FOUND.into_response();
    }
    let body = endpoint.metrics.render().await;
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body).into_response()
}

/// `/metrics`, outside `/api`: for the operator's tools, not in the API's document.
pub fn router(endpoint: MetricsEndpoint) -> Router {
    Router::new().route("/metrics", get(metrics_show)).route_layer(axum::middleware::from_fn(note_route)).with_state(endpoint)
}

/// 1–64 letters, digits, `.`, `_` or `-`: what a balancer or a client sends, and
/// nothing that could forge a log line.
pub fn is_sensible_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// An id no other request of any instance has: this process's random half, then a
/// count. Ids need to be unique, not secret, so no random bytes are drawn per request.
fn new_id() -> String {
    static PROCESS: OnceLock<u32> = OnceLock::new();
    static COUNT: AtomicU32 = AtomicU32::new(0);
    let process = *PROCESS.get_or_init(|| rand_core::RngCore::next_u32(&mut rand_core::OsRng));
    format!("{process:08x}{:08x}", COUNT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sensible_ids_are_taken_from_callers() {
        assert!(is_sensible_id("7f3c2a9e41d0b6c8"));
        assert!(is_sensible_id("lb-2026.12.05_0001"));
        for bad in ["", "a b", "x\ny", &"a".repeat(65), "id\u{1b}[31m"] {
            assert!(!is_sensible_id(bad), "{bad:?}");
        }
        assert_eq!(new_id().len(), 16);
    }

    #[tokio::test]
    async fn requests_and_gauges_come_out_in_the_text_format() {
        let mut m = Metrics::default();
        m.gauge("chat_sockets_open", "Live chat sockets open on this instance");
        m.source(Box::new(|| {
            Box::pin(async { vec![Reading { name: "chat_sockets_open", labels: vec![("role".into(), "agent".into())], value: 2.0 }] })
        }));
        m.observe("GET", &Arc::from("/api/orders/{number}"), 200, 0.004);
        let text = m.render().await;
        assert!(text.contains(r#"aisle_http_requests_total{method="GET",route="/api/orders/{number}",status="200"} 1"#), "{text}");
        assert!(text.contains("aisle_http_request_duration_seconds_bucket"), "{text}");
        assert!(text.contains(r#"aisle_chat_sockets_open{role="agent"} 2.0"#), "{text}");
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
