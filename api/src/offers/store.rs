//! Discount codes in the database: one row per code with its use count, one row per
//! order that redeemed one.

use crate::{
    identity::session::Visitor,
    platform::{db::Conn, error::ApiError},
    AppState,
};
use aisle_domain::{
    offers::{check_limits, AppliedCode, Benefit, CodeRefusal, Discount, OfferLine},
    ErrorCode, Lang, Money,
};

#[derive(sqlx::FromRow, Clone)]
pub struct CodeRow {
    pub id: i64,
    pub code: String,
    pub benefit: String,
    pub percent: Option<i64>,
    pub amount_minor: Option<i64>,
    pub min_spend_minor: Option<i64>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub max_uses: Option<i64>,
    pub max_uses_per_shopper: Option<i64>,
    pub categories: String,
    pub products: String,
    pub uses: i64,
    pub created_at: String,
}

impl CodeRow {
    pub fn applied(&self) -> Result<AppliedCode, ApiError> {
        let bad = |what: &str| ApiError::Internal(format!("discount code {}: {what}", self.code));
        let benefit = match self.benefit.as_str() {
            "percent" => Benefit::Percent { percent: u32::try_from(self.percent.ok_or_else(|| bad("no percent"))?).map_err(|_| bad("percent"))? },
            "fixed" => Benefit::Fixed { amount_minor: self.amount_minor.ok_or_else(|| bad("no amount"))? },
            "free_delivery" => Benefit::FreeDelivery,
            other => return Err(bad(&format!("unknown benefit {other}"))),
        };
        Ok(AppliedCode {
            code: self.code.clone(),
            benefit,
            min_spend_minor: self.min_spend_minor,
            categories: serde_json::from_str(&self.categories).map_err(|_| bad("categories"))?,
            products: serde_json::from_str(&self.products).map_err(|_| bad("products"))?,
        })
    }
}

pub async fn find(conn: &mut Conn, code: &str) -> Result<Option<CodeRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM discount_codes WHERE code = $1").bind(code).fetch_optional(&mut *conn).await
}

/// Who redeemed a code, for its per-shopper limit: the account, else the e-mail.
pub fn shopper_key(v: &Visitor, email: &str) -> String {
    match &v.customer {
        Some(c) => format!("customer:{}", c.id),
        None => format!("email:{}", email.trim().to_lowercase()),
    }
}

async fn uses_by(conn: &mut Conn, code_id: i64, shopper: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM discount_code_uses WHERE code_id = $1 AND shopper = $2").bind(code_id).bind(shopper).fetch_one(&mut *conn).await
}

/// The shop's date today, as codes count their first and last days.
pub fn today(state: &AppState) -> String {
    state.emails.shop.today()
}

/// A refusal as the API answers it: 409, in the shopper's words.
pub fn refusal(r: &CodeRefusal, currency: aisle_domain::Currency, lang: Lang) -> ApiError {
    ApiError::Conflict { code: ErrorCode::Refused, message: r.message(|m| lang.money(Money::new(m, currency)), |d| lang.day(d)) }
}

/// Checks `code` (as typed) for this shopper and these lines: known, within its days
/// and uses, and doing something for the cart. `shopper` is `None` while the e-mail is
/// not known yet (a guest's cart): the per-shopper limit is checked at the order.
/// `market` is the one the lines are priced in (with the shop's `currency`): a code's
/// amounts convert to it.
pub async fn check(conn: &mut Conn, state: &AppState, typed: &str, shopper: Option<&str>, lines: &[OfferLine<'_>], market: Option<(&aisle_domain::market::Market, aisle_domain::Currency)>) -> Result<(CodeRow, AppliedCode, Discount), CodeRefusal> {
    let Some(code) = aisle_domain::offers::normalise(typed) else { return Err(CodeRefusal::Unknown) };
    let row = find(conn, &code).await.ok().flatten().ok_or(CodeRefusal::Unknown)?;
    let by_shopper = match shopper {
        Some(s) => uses_by(conn, row.id, s).await.unwrap_or(0),
        None => 0,
    };
    check_limits(row.starts_on.as_deref(), row.ends_on.as_deref(), &today(state), row.uses, row.max_uses, by_shopper, row.max_uses_per_shopper)?;
    let mut applied = row.applied().map_err(|_| CodeRefusal::Unknown)?;
    if let Some((m, home)) = market {
        applied.in_market(m, home);
    }
    let discount = applied.discount(lines)?;
    Ok((row, applied, discount))
}

/// Counts one use for the order, guarded so that a code's last use goes to one order
/// however many race for it: the count only rises while under its limit.
pub async fn redeem(conn: &mut Conn, code_id: i64, order_id: i64, shopper: &str, discount_minor: i64) -> Result<(), ApiError> {
    let taken = sqlx::query("UPDATE discount_codes SET uses = uses + 1 WHERE id = $1 AND (max_uses IS NULL OR uses < max_uses)").bind(code_id).execute(&mut *conn).await?;
    if taken.rows_affected() == 0 {
        return Err(ApiError::Conflict { code: ErrorCode::Refused, message: "This code has been used as often as it can be. Nothing was charged.".into() });
    }
    sqlx::query("INSERT INTO discount_code_uses (code_id, order_id, shopper, discount_minor) VALUES ($1, $2, $3, $4)")
        .bind(code_id)
        .bind(order_id)
        .bind(shopper)
        .bind(discount_minor)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
