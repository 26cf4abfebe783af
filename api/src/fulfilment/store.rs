//! The packer's order list: orders with their lines and delivery address, filtered by
//! status and by what was typed (an order number, part of an e-mail address or name).

use crate::platform::{db::Db, error::ApiError};
use aisle_domain::{
    customer::AddressInput,
    order::{PackingLine, PackingOrder, OrderStatus},
    payment::PaymentState,
    Currency, Money,
};
use std::collections::HashMap;

/// The longest list one request returns: a day's work in a busy small shop, and a
/// page that still draws at once.
pub const LIMIT: i64 = 500;

type Row = (i64, String, String, String, i64, String, String, String, String, String, String, String, String, String);

/// `$1` status or NULL; `$2` an order number or NULL; `$3` a LIKE pattern or NULL.
const FILTER: &str = "($1 IS NULL OR o.status = $1) AND ($2 IS NULL OR o.number = $2 OR LOWER(o.email) LIKE $3 ESCAPE '\\' OR LOWER(o.ship_name) LIKE $3 ESCAPE '\\')";

pub async fn packing_list(db: &Db, status: Option<OrderStatus>, query: &str) -> Result<Vec<PackingOrder>, ApiError> {
    let query = query.trim();
    let (number, like) = if query.is_empty() {
        (None, None)
    } else {
        // "#a-000 012" finds A000012; the same text also searches addresses and names.
        let number: String = query.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_uppercase();
        let escaped: String = query.to_lowercase().chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
        (Some(number), Some(format!("%{escaped}%")))
    };
    let status = status.map(|s| s.as_str());
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT o.id, o.number, o.status, o.placed_at, o.total_minor, o.currency, o.email, \
         o.ship_name, o.ship_line1, o.ship_line2, o.ship_city, o.ship_postcode, o.ship_country, o.payment_state \
         FROM orders o WHERE {FILTER} ORDER BY o.placed_at DESC, o.id DESC LIMIT $4"
    ))
    .bind(status)
    .bind(number.as_deref())
    .bind(like.as_deref())
    .bind(LIMIT)
    .fetch_all(db)
    .await?;
    // The lines of exactly the orders listed: filtering again here would let an order
    // placed in between push a listed one out of the limit, and it would show no lines.
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let items: Vec<(i64, i64, String, String, String, i64)> = if ids.is_empty() {
        Vec::new()
    } else {
        let placeholders = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT i.order_id, i.product_id, i.name, i.variant_title, i.sku, i.quantity FROM order_items i WHERE i.order_id IN ({placeholders}) ORDER BY i.order_id, i.name, i.line");
        let mut query = sqlx::query_as(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        query.fetch_all(db).await?
    };
    let mut lines: HashMap<i64, Vec<PackingLine>> = HashMap::new();
    for (order_id, product_id, name, variant, sku, quantity) in items {
        lines.entry(order_id).or_default().push(PackingLine { product_id, name, variant, sku, quantity: quantity as u32 });
    }
    rows.into_iter()
        .map(|(id, number, status, placed_at, total, currency, email, name, line1, line2, city, postcode, country, payment)| {
            Ok(PackingOrder {
                number,
                status: OrderStatus::parse(&status).ok_or_else(|| ApiError::Internal(format!("unknown status {status}")))?,
                placed_at,
                total: Money::new(total, Currency::parse(&currency).map_err(ApiError::Internal)?),
                email,
                address: AddressInput { name, line1, line2, city, postcode, country, is_default: false },
                lines: lines.remove(&id).unwrap_or_default(),
                payment_state: PaymentState::parse(&payment).ok_or_else(|| ApiError::Internal(format!("unknown payment state {payment}")))?,
            })
        })
        .collect()
}
