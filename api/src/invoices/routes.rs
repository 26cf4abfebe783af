//! The printable invoice and credit note, for whoever may see the order: its shopper
//! (session, the order's token or an e-mail link's) and staff.

use crate::{
    identity::session::Visitor,
    invoices::{print, store},
    orders,
    platform::{error::ApiError, extract::{ApiPath, QueryParams}},
    AppState,
};
use aisle_domain::{order::page_href, Lang};
use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{Html, IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The page's own policy: nothing loads, nothing runs; only its inline style applies.
const PRINT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// `GET /api/orders/{number}/documents/{document}?token=`: an invoice or credit note
/// (`INV-000001`, `CN-000001`) as a page to print, in the order's language.
#[utoipa::path(get, path = "/orders/{number}/documents/{document}", tag = "orders", params(("token" = Option<String>, Query)), responses((status = 200, description = "The document as a printable HTML page", content_type = "text/html", body = String)))]
pub async fn orders_document(
    State(state): State<AppState>,
    v: Option<Visitor>,
    ApiPath((number, document)): ApiPath<(String, String)>,
    q: QueryParams,
) -> Result<Response, ApiError> {
    let order = orders::store::find_for(&state, &number, v.as_ref(), q.get("token")).await?;
    let mut conn = state.db.acquire().await?;
    let doc = store::find(&mut conn, order.id, &document).await?.ok_or_else(|| ApiError::not_found("This order has no such invoice."))?;
    let lang: String = sqlx::query_scalar("SELECT lang FROM orders WHERE id = $1").bind(order.id).fetch_one(&mut *conn).await?;
    let back = page_href(&order.number, q.get("token").unwrap_or_default());
    let html = print::page(&doc, Lang::from_tag(&lang).unwrap_or_default(), &back).map_err(|e| ApiError::Internal(format!("invoice {document} cannot be printed: {e:#}")))?;
    let mut res = Html(html).into_response();
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PRINT_POLICY));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(res)
}

/// These routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(orders_document))
}
