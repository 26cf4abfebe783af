//! "E-mail me when it's back": a shopper leaves an address on a sold-out product, and
//! when stock returns one e-mail goes out, once, with a link to the product and a link
//! that stops every other alert of that address without signing in.

use crate::{
    emails::Kind,
    identity::session::Visitor,
    platform::{
        clock,
        db::Db,
        error::ApiError,
        extract::{ApiBytes, ApiJson, ApiPath, QueryParams, RequestLang},
        links::{self, LinkKind},
    },
    AppState,
};
use aisle_domain::{
    catalogue::stock::StockAlertRequest,
    customer::{Email, FieldError},
    Currency, ErrorCode, Lang, Money,
};
use axum::{extract::State, http::StatusCode, Json};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};

/// How many products one address may wait for at once: plenty for a shopper, few for
/// someone signing up a stranger's address to everything.
const MAX_WAITING_PER_ADDRESS: i64 = 20;

/// `POST /api/products/{id}/alerts`: e-mail me when it's back. A signed-in shopper's
/// account address is used; a guest gives one. Asking twice is the same as once.
#[utoipa::path(post, path = "/products/{id}/alerts", tag = "catalogue", request_body = StockAlertRequest, params(("id" = i64, Path)), responses((status = 204, description = "One e-mail goes out when the product is back"), (status = 409, description = "It is in stock now (refused)")))]
pub async fn alerts_create(
    State(state): State<AppState>,
    v: Visitor,
    RequestLang(lang): RequestLang,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<StockAlertRequest>,
) -> Result<StatusCode, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("There is no such product."))?;
    let email = match (&v.customer, req.email.as_deref().map(str::trim).filter(|e| !e.is_empty())) {
        (_, Some(typed)) => Email::parse(typed)?.as_str().to_string(),
        (Some(c), None) => c.email.clone(),
        (None, None) => return Err(FieldError::new("email", "Please enter the e-mail address to tell.").into()),
    };
    let mut stock: Option<i64> = sqlx::query_scalar("SELECT stock FROM products WHERE id = $1").bind(id).fetch_optional(&state.db).await?;
    if let (Some(_), Some(variant)) = (stock, req.variant_id) {
        let found = super::variants::line_variant(&mut *state.db.acquire().await?, id, variant).await?;
        stock = Some(found.ok_or_else(|| ApiError::not_found("This product is no longer sold in that size or colour."))?.stock);
    }
    match stock {
        None => return Err(ApiError::not_found("There is no such product.")),
        Some(s) if s > 0 => return Err(ApiError::Conflict { code: ErrorCode::Refused, message: "It is in stock now: you can order it straight away.".into() }),
        Some(_) => {}
    }
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stock_alerts WHERE email = $1 AND sent_at IS NULL").bind(&email).fetch_one(&state.db).await?;
    if waiting >= MAX_WAITING_PER_ADDRESS {
        return Err(ApiError::Conflict { code: ErrorCode::Refused, message: format!("This address already waits for {MAX_WAITING_PER_ADDRESS} products. Stop some alerts first.") });
    }
    sqlx::query(
        "INSERT INTO stock_alerts (product_id, variant_id, email, customer_id, lang, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (product_id, variant_id, email) DO UPDATE SET sent_at = NULL, lang = excluded.lang",
    )
    .bind(id)
    .bind(super::variants::column(req.variant_id))
    .bind(&email)
    .bind(v.customer.as_ref().map(|c| c.id))
    .bind(lang.code())
    .bind(clock::now())
    .execute(&state.db)
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/alerts/unsubscribe?token=`: stops every alert still waiting for the
/// address the link was sent to. No session needed: mail readers' one-click
/// "unsubscribe" posts here (RFC 8058), with whatever body they send.
#[utoipa::path(post, path = "/alerts/unsubscribe", tag = "catalogue", params(("token" = String, Query, description = "The token of the link in a back-in-stock e-mail")), responses((status = 200, description = "How many alerts stopped", body = AlertsStopped), (status = 410, description = "The link no longer works")))]
pub async fn alerts_unsubscribe(State(state): State<AppState>, q: QueryParams, ApiBytes(_): ApiBytes) -> Result<Json<AlertsStopped>, ApiError> {
    let token = q.get("token").unwrap_or_default();
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let alert = links::open(&mut tx, LinkKind::StockAlert, token).await?.ok_or_else(|| ApiError::Gone("This link does not work any more. Stock alerts stop by themselves once sent.".into()))?;
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM stock_alerts WHERE id = $1").bind(alert).fetch_optional(&mut *tx).await?;
    let stopped = match email {
        Some(email) => sqlx::query("DELETE FROM stock_alerts WHERE email = $1 AND sent_at IS NULL").bind(&email).execute(&mut *tx).await?.rows_affected(),
        None => 0,
    };
    tx.commit().await?;
    Ok(Json(AlertsStopped { stopped }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AlertsStopped {
    /// How many products the address no longer waits for.
    pub stopped: u64,
}

/// After a committed stock change: for each product now in stock that someone waits
/// for, sends each waiting address its one e-mail. Cheap when nobody waits (one read).
pub async fn notify_back_in_stock(state: &AppState, ids: &[i64]) -> Result<(), ApiError> {
    for &id in ids {
        if waiting_for(&state.db, id).await? {
            send_for(state, id).await?;
        }
    }
    Ok(())
}

/// What a waiting alert is for is in stock: the product, or the alert's variant.
const BACK: &str = "((a.variant_id = 0 AND p.stock > 0) OR EXISTS (SELECT 1 FROM variants v WHERE v.id = a.variant_id AND v.product_id = a.product_id AND v.stock > 0))";

async fn waiting_for(db: &Db, product_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM stock_alerts a JOIN products p ON p.id = a.product_id WHERE a.product_id = $1 AND a.sent_at IS NULL AND {BACK}"))
        .bind(product_id)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

#[derive(Serialize)]
struct ProductView {
    name: String,
    price: String,
    url: String,
}

#[derive(Serialize)]
struct Context {
    product: ProductView,
    unsubscribe_url: String,
}

async fn send_for(state: &AppState, product_id: i64) -> Result<(), ApiError> {
    // One writer at a time: two instances seeing the same restock send each e-mail once.
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let product: Option<(String, String, i64, String, i64)> =
        sqlx::query_as("SELECT name, slug, price_minor, currency, stock FROM products WHERE id = $1").bind(product_id).fetch_optional(&mut *tx).await?;
    let Some((name, slug, price, currency, stock)) = product else { return Ok(()) };
    if stock <= 0 {
        return Ok(());
    }
    let currency = Currency::parse(&currency).map_err(ApiError::Internal)?;
    // Only the alerts whose product, or whose size or colour, is back.
    let alerts: Vec<(i64, i64, String, String)> = sqlx::query_as(&format!(
        "SELECT a.id, a.variant_id, a.email, a.lang FROM stock_alerts a JOIN products p ON p.id = a.product_id \
         WHERE a.product_id = $1 AND a.sent_at IS NULL AND {BACK} ORDER BY a.id"
    ))
    .bind(product_id)
    .fetch_all(&mut *tx)
    .await?;
    let now = clock::now();
    for (alert, variant, email, lang) in alerts {
        let lang = Lang::from_tag(&lang).unwrap_or_default();
        let token = links::issue(&mut tx, LinkKind::StockAlert, alert).await?;
        // A variant's e-mail names it, at its price, and links to it.
        let (name, price, url) = match super::variants::from_column(variant) {
            Some(id) => match super::variants::line_variant(&mut tx, product_id, id).await? {
                Some(v) => (format!("{name} ({})", v.title), v.price_minor, format!("/p/{slug}?variant={id}")),
                None => continue,
            },
            None => (name.clone(), price, format!("/p/{slug}")),
        };
        let context = Context {
            product: ProductView { name, price: lang.money(Money::new(price, currency)), url: state.emails.link(&url) },
            unsubscribe_url: state.emails.link(&format!("/alerts/unsubscribe?token={token}")),
        };
        let one_click = state.emails.link(&format!("/api/alerts/unsubscribe?token={token}"));
        state.emails.queue_with_unsubscribe(&mut tx, &email, lang, Kind::BackInStock, &context, &one_click).await?;
        sqlx::query("UPDATE stock_alerts SET sent_at = $1 WHERE id = $2").bind(&now).bind(alert).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(alerts_create)).routes(routes!(alerts_unsubscribe))
}
