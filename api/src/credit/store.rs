//! The ledger: one row per credit or debit. The balance is the sum; it is read and
//! written in the same write transaction, so two orders cannot spend the same credit.

use crate::platform::{clock, db::{Conn, Tx}, error::ApiError};
use aisle_domain::{
    credit::{CreditEntry, CreditReason},
    Currency, Money,
};

/// The account's balance in `currency` (credit is held and spent in the currency of
/// the orders it came from).
pub async fn balance(conn: &mut Conn, customer_id: i64, currency: Currency) -> Result<i64, ApiError> {
    let sum: Option<i64> = sqlx::query_scalar("SELECT CAST(SUM(amount_minor) AS BIGINT) FROM store_credit WHERE customer_id = $1 AND currency = $2")
        .bind(customer_id)
        .bind(currency.code())
        .fetch_one(&mut *conn)
        .await?;
    Ok(sum.unwrap_or(0))
}

/// Every currency the account holds credit in, but `home`, with its balance.
pub async fn other_balances(conn: &mut Conn, customer_id: i64, home: Currency) -> Result<Vec<Money>, ApiError> {
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT currency, CAST(SUM(amount_minor) AS BIGINT) FROM store_credit WHERE customer_id = $1 AND currency <> $2 GROUP BY currency ORDER BY currency",
    )
    .bind(customer_id)
    .bind(home.code())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .filter(|(_, sum)| sum.unwrap_or(0) != 0)
        .map(|(c, sum)| Ok(Money::new(sum.unwrap_or(0), Currency::parse(&c).map_err(ApiError::Internal)?)))
        .collect()
}

pub struct NewEntry<'a> {
    pub customer_id: i64,
    pub amount: Money,
    pub reason: CreditReason,
    pub order_id: Option<i64>,
    pub product: Option<&'a str>,
}

pub async fn add(tx: &mut Tx<'_>, e: NewEntry<'_>) -> Result<(), ApiError> {
    sqlx::query("INSERT INTO store_credit (customer_id, amount_minor, currency, reason, order_id, product_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(e.customer_id)
        .bind(e.amount.minor)
        .bind(e.amount.currency.code())
        .bind(e.reason.as_str())
        .bind(e.order_id)
        .bind(e.product)
        .bind(clock::now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The ledger, newest first (at most 200 lines: the balance counts them all).
pub async fn entries(conn: &mut Conn, customer_id: i64) -> Result<Vec<CreditEntry>, ApiError> {
    let rows: Vec<(i64, String, String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT s.amount_minor, s.currency, s.reason, o.number, s.product_name, s.at FROM store_credit s LEFT JOIN orders o ON o.id = s.order_id \
         WHERE s.customer_id = $1 ORDER BY s.id DESC LIMIT 200",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(amount, currency, reason, order_number, product, at)| {
            Ok(CreditEntry {
                amount: Money::new(amount, Currency::parse(&currency).map_err(ApiError::Internal)?),
                reason: CreditReason::parse(&reason).ok_or_else(|| ApiError::Internal(format!("unknown credit reason {reason}")))?,
                order_number,
                product,
                at,
            })
        })
        .collect()
}
