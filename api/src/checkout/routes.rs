//! `POST /api/orders`: checkout.

use crate::{
    checkout,
    identity::{self, session::Visitor},
    platform::{error::ApiError, extract::{ApiJson, RequestLang}},
    AppState,
};
use aisle_domain::{checkout::Checkout, customer::{AddressInput, Email}, payment::PaymentMethod};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

pub fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default().trim();
    let valid = (8..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Err(ApiError::bad_request("Placing an order needs an Idempotency-Key header of 8–100 letters, digits, '-' or '_'."));
    }
    Ok(key.to_string())
}

/// `POST /api/orders`: place an order. A retry with the same `Idempotency-Key`
/// returns the same order (200) instead of placing another (201).
#[utoipa::path(post, path = "/orders", tag = "orders", params(("Idempotency-Key" = String, Header, pattern = "^[A-Za-z0-9_-]{8,100}$", description = "The same key on a retry answers with the first order instead of placing another")), request_body = Checkout, responses((status = 201, description = "The order", body = aisle_domain::order::Order), (status = 200, description = "The order, for a retry with the same Idempotency-Key", body = aisle_domain::order::Order)))]
pub async fn orders_create(State(state): State<AppState>, v: Visitor, RequestLang(lang): RequestLang, headers: HeaderMap, ApiJson(req): ApiJson<Checkout>) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let email = match &v.customer {
        Some(c) => c.email.clone(),
        None => Email::parse(&req.email)?.as_str().to_string(),
    };
    let address = req.address.validate()?;
    let payment = state
        .payments
        .provider(&req.payment_method)
        .ok_or_else(|| ApiError::bad_request(format!("Please choose a payment method we offer: {}.", state.payments.listed())))?;
    if payment.method() == PaymentMethod::Invoice && v.customer.as_ref().and_then(|c| c.vat_id.as_ref()).is_none() {
        return Err(ApiError::bad_request("Paying by invoice is for business customers: sign in and add your company's VAT ID under Account, or choose another way to pay."));
    }
    let (order, replayed) = checkout::service::place(
        &state,
        &v,
        checkout::service::NewOrder { email: &email, address: &address, payment, lines: &req.expected, delivery: req.delivery_method, code: req.code.as_deref(), expected_total: req.expected_total_minor, terms_version: req.terms_version, credit: req.credit_minor, idempotency_key: &key, lang, currency: req.currency },
    )
    .await?;
    if let (Some(me), true, false) = (&v.customer, req.save_address, replayed) {
        let known = identity::store::addresses(&state.db, me.id).await?.iter().any(|a| AddressInput { is_default: false, ..a.fields.clone() } == address);
        if !known {
            identity::store::save_address(&state.db, me.id, None, &address).await?;
        }
    }
    let status = if replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(order)).into_response())
}

/// `GET /api/checkout/rules`: where and how the shop delivers, at what price, and its
/// VAT: what the web app prices a cart with, offline too, exactly as checkout will.
#[utoipa::path(get, path = "/checkout/rules", tag = "orders", responses((status = 200, description = "The shop's delivery zones and methods and its VAT rules", body = aisle_domain::delivery::ShopRules)))]
pub async fn rules(State(state): State<AppState>) -> Result<Response, ApiError> {
    let mut rules = state.rules.as_ref().clone();
    rules.terms_version = crate::legal::store::terms_version(&mut *state.db.acquire().await?).await?;
    rules.schedule = crate::checkout::promise::schedule(&rules.dispatch, &state.emails.shop.zone(), jiff::Timestamp::now().as_second());
    // Not cached: staff may publish new terms at any moment, and a checkout showing the
    // old ones would be refused.
    Ok(([(axum::http::header::CACHE_CONTROL, "no-cache")], Json(rules)).into_response())
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(orders_create))
        .routes(routes!(rules))
}
