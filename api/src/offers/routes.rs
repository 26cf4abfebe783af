//! `PUT`/`DELETE /api/cart/code`: a shopper's code on their cart; `GET`/`POST
//! /api/staff/codes`: staff's codes, and how each has done; `/api/staff/sales`: sales
//! (automatic offers) likewise.

use crate::{
    cart,
    identity::session::{Staff, Visitor},
    offers::store,
    platform::{clock, error::ApiError, extract::{ApiJson, ApiPath, ShopperLang}},
    AppState,
};
use aisle_domain::{
    cart::Cart,
    offers::{sale::{NewSale, StaffSale}, Benefit, NewCode, StaffCode},
    Currency, ErrorCode, Money,
};
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EnterCode {
    pub code: String,
}

/// `PUT /api/cart/code`: puts a code on the cart once it does something for it now;
/// otherwise 409 with the reason ("This code ended on 30 Nov 2026"). Returns the cart.
#[utoipa::path(put, path = "/cart/code", tag = "cart", request_body = EnterCode, responses((status = 200, description = "The cart with its code", body = Cart), (status = 409, description = "The code does nothing for this cart, and why")))]
pub async fn cart_code_update(State(state): State<AppState>, v: Visitor, ShopperLang(lang): ShopperLang, ApiJson(req): ApiJson<EnterCode>) -> Result<Json<Cart>, ApiError> {
    let current = cart::store::cart(&state.db, lang, &v).await?;
    if current.lines.is_empty() {
        return Err(ApiError::bad_request("Your cart is empty: add something first, then the code."));
    }
    let currency = current.total.map_or(Currency::EUR, |t| t.currency);
    let lines = current.offer_lines();
    let shopper = v.customer.as_ref().map(|_| store::shopper_key(&v, ""));
    let mut conn = state.db.acquire().await?;
    let (row, _, _) = store::check(&mut conn, &state, &req.code, shopper.as_deref(), &lines, None).await.map_err(|r| store::refusal(&r, currency, lang))?;
    drop(conn);
    cart::store::set_code(&state.db, &v, Some(&row.code)).await?;
    Ok(Json(cart::store::cart(&state.db, lang, &v).await?))
}

/// `DELETE /api/cart/code`: takes the code off the cart. Returns the cart.
#[utoipa::path(delete, path = "/cart/code", tag = "cart", responses((status = 200, description = "The cart without a code", body = Cart)))]
pub async fn cart_code_delete(State(state): State<AppState>, v: Visitor, ShopperLang(lang): ShopperLang) -> Result<Json<Cart>, ApiError> {
    cart::store::set_code(&state.db, &v, None).await?;
    Ok(Json(cart::store::cart(&state.db, lang, &v).await?))
}

/// `GET /api/staff/codes`: every code, newest first, with its uses, the revenue of the
/// orders that used it and what it took off them.
#[utoipa::path(get, path = "/staff/codes", tag = "staff", responses((status = 200, description = "The codes", body = Vec<StaffCode>)))]
pub async fn staff_codes_index(State(state): State<AppState>, _staff: Staff) -> Result<Json<Vec<StaffCode>>, ApiError> {
    let rows: Vec<store::CodeRow> = sqlx::query_as("SELECT * FROM discount_codes ORDER BY created_at DESC, id DESC").fetch_all(&state.db).await?;
    let currency = crate::catalogue::admin::store::shop_currency(&state.db).await?;
    // Revenue in the shop's money: an order in another market's is not added to it
    // (its uses still count).
    let sums: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT u.code_id, CAST(COALESCE(SUM(CASE WHEN o.currency = $1 THEN o.total_minor ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN o.currency = $1 THEN u.discount_minor ELSE 0 END), 0) AS BIGINT) \
         FROM discount_code_uses u JOIN orders o ON o.id = u.order_id WHERE o.status <> 'cancelled' GROUP BY u.code_id",
    )
    .bind(currency.code())
    .fetch_all(&state.db)
    .await?;
    rows.iter()
        .map(|r| {
            let (revenue, discounted) = sums.iter().find(|s| s.0 == r.id).map_or((0, 0), |s| (s.1, s.2));
            Ok(StaffCode {
                id: r.id,
                terms: r.applied()?,
                starts_on: r.starts_on.clone(),
                ends_on: r.ends_on.clone(),
                max_uses: r.max_uses,
                max_uses_per_shopper: r.max_uses_per_shopper,
                uses: r.uses,
                revenue: Money::new(revenue, currency),
                discounted: Money::new(discounted, currency),
                created_at: r.created_at.clone(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()
        .map(Json)
}

/// `POST /api/staff/codes`: a new code. Every problem comes back at once, by field;
/// a code that exists already is refused.
#[utoipa::path(post, path = "/staff/codes", tag = "staff", request_body = NewCode, responses((status = 201, description = "The code", body = StaffCode), (status = 409, description = "A code of that name exists")))]
pub async fn staff_codes_create(State(state): State<AppState>, _staff: Staff, ApiJson(req): ApiJson<NewCode>) -> Result<(StatusCode, Json<StaffCode>), ApiError> {
    let currency = crate::catalogue::admin::store::shop_currency(&state.db).await?;
    // The first problem, naming its field: the back office checks the form whole first,
    // with the same rules.
    let code = req.validate(currency).map_err(|problems| problems.into_iter().next().map_or_else(|| ApiError::bad_request("The form could not be read."), ApiError::from))?;
    let (percent, amount) = match code.benefit {
        Benefit::Percent { percent } => (Some(i64::from(percent)), None),
        Benefit::Fixed { amount_minor } => (None, Some(amount_minor)),
        Benefit::FreeDelivery => (None, None),
    };
    let kind = match code.benefit {
        Benefit::Percent { .. } => "percent",
        Benefit::Fixed { .. } => "fixed",
        Benefit::FreeDelivery => "free_delivery",
    };
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    for id in &code.products {
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM products WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        if known.is_none() {
            return Err(aisle_domain::customer::FieldError::new("products", format!("There is no product number {id}.")).into());
        }
    }
    if store::find(&mut tx, &code.code).await?.is_some() {
        return Err(ApiError::Conflict { code: ErrorCode::Refused, message: format!("There is a code {} already: choose another name.", code.code) });
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO discount_codes (code, benefit, percent, amount_minor, min_spend_minor, starts_on, ends_on, max_uses, max_uses_per_shopper, categories, products, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(&code.code)
    .bind(kind)
    .bind(percent)
    .bind(amount)
    .bind(code.min_spend_minor)
    .bind(&code.starts_on)
    .bind(&code.ends_on)
    .bind(code.max_uses)
    .bind(code.max_uses_per_shopper)
    .bind(serde_json::to_string(&code.categories).map_err(|e| ApiError::Internal(e.to_string()))?)
    .bind(serde_json::to_string(&code.products).map_err(|e| ApiError::Internal(e.to_string()))?)
    .bind(clock::now())
    .fetch_one(&mut *tx)
    .await?;
    let row: store::CodeRow = sqlx::query_as("SELECT * FROM discount_codes WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(StaffCode {
            id,
            terms: row.applied()?,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            max_uses: row.max_uses,
            max_uses_per_shopper: row.max_uses_per_shopper,
            uses: 0,
            revenue: Money::new(0, currency),
            discounted: Money::new(0, currency),
            created_at: row.created_at,
        }),
    ))
}

/// `GET /api/staff/sales`: every sale (automatic offer), newest first, with where it
/// stands, the products it priced and the orders that bought at its prices.
#[utoipa::path(get, path = "/staff/sales", tag = "staff", responses((status = 200, description = "The sales", body = Vec<StaffSale>)))]
pub async fn staff_sales_index(State(state): State<AppState>, _staff: Staff) -> Result<Json<Vec<StaffSale>>, ApiError> {
    Ok(Json(crate::offers::sales::list(&state).await?))
}

/// `POST /api/staff/sales`: a new sale; it starts at once if its first day is today.
#[utoipa::path(post, path = "/staff/sales", tag = "staff", request_body = NewSale, responses((status = 201, description = "The sale", body = StaffSale), (status = 400, description = "A field is wrong; the error names it")))]
pub async fn staff_sales_create(State(state): State<AppState>, _staff: Staff, ApiJson(req): ApiJson<NewSale>) -> Result<(StatusCode, Json<StaffSale>), ApiError> {
    let sale = req
        .validate(&state.emails.shop.today())
        .map_err(|problems| problems.into_iter().next().map_or_else(|| ApiError::bad_request("The form could not be read."), ApiError::from))?;
    Ok((StatusCode::CREATED, Json(crate::offers::sales::create(&state, &sale).await?)))
}

/// `POST /api/staff/sales/{id}/stop`: ends a sale now; its prices go back.
#[utoipa::path(post, path = "/staff/sales/{id}/stop", tag = "staff", params(("id" = i64, Path)), responses((status = 200, description = "The sale, ended", body = StaffSale)))]
pub async fn staff_sales_stop(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>) -> Result<Json<StaffSale>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("There is no such sale."))?;
    Ok(Json(crate::offers::sales::stop(&state, id).await?))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cart_code_update, cart_code_delete))
        .routes(routes!(staff_codes_index, staff_codes_create))
        .routes(routes!(staff_sales_index, staff_sales_create))
        .routes(routes!(staff_sales_stop))
}
