//! What an order charges, kept with it: the order's totals and, per line, its VAT rate,
//! share of the discount and VAT. The checkout writes them from the quote the shopper
//! confirmed; a change of quantities prices the order again by the same rules
//! ([`reprice`]), so the total, the VAT lines, the bank transfer's amount and later the
//! invoice always agree.

use crate::{
    platform::{db::Tx, error::ApiError},
    AppState,
};
use aisle_domain::{
    delivery::{MethodKind, Quote},
    offers::{Discount, OfferLine},
    pricing::totals::{Line, PriceBasis, TaxClass},
    ErrorCode, Lang, Money, Currency,
};

/// Writes `quote` as what order `order_id` charges. The lines of the quote are the
/// order's items in line order.
pub async fn store(tx: &mut Tx<'_>, order_id: i64, quote: &Quote) -> Result<(), ApiError> {
    sqlx::query(
        "UPDATE orders SET total_minor = $1, goods_minor = $2, discount_minor = $3, delivery_method = $4, delivery_minor = $5, \
         price_basis = $6, tax_lines = $7, delivery_tax_rate = $8, delivery_tax_minor = $9, fee_minor = $10, fee_tax_minor = $11 WHERE id = $12",
    )
    .bind(quote.totals.total_minor)
    .bind(quote.totals.goods_minor)
    .bind(quote.totals.discount_minor)
    .bind(quote.method.as_str())
    .bind(quote.totals.delivery_minor)
    .bind(match quote.basis {
        PriceBasis::Gross => "gross",
        PriceBasis::Net => "net",
    })
    .bind(serde_json::to_string(&quote.totals.tax).map_err(|e| ApiError::Internal(e.to_string()))?)
    .bind(i64::from(quote.delivery_rate))
    .bind(quote.totals.delivery_tax_minor)
    .bind(quote.totals.fee_minor)
    .bind(quote.totals.fee_tax_minor)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    let lines: Vec<(i64,)> = sqlx::query_as("SELECT line FROM order_items WHERE order_id = $1 ORDER BY line").bind(order_id).fetch_all(&mut **tx).await?;
    if lines.len() != quote.totals.lines.len() {
        return Err(ApiError::Internal(format!("order {order_id}: {} items but {} quoted lines", lines.len(), quote.totals.lines.len())));
    }
    for ((line,), t) in lines.iter().zip(&quote.totals.lines) {
        sqlx::query("UPDATE order_items SET tax_rate = $1, discount_minor = $2, tax_minor = $3 WHERE order_id = $4 AND line = $5")
            .bind(i64::from(t.rate))
            .bind(t.discount_minor)
            .bind(t.tax_minor)
            .bind(order_id)
            .bind(line)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Prices the order's items as they are now (the prices it was bought at, the
/// quantities after a change) to its country and by its delivery method, with its
/// code applied to the new lines, and stores the result. A code whose minimum spend the
/// new lines no longer reach refuses the change.
pub async fn reprice(tx: &mut Tx<'_>, state: &AppState, order_id: i64) -> Result<(), ApiError> {
    let (country, method, code, old_discount, currency, lang, payment): (String, String, Option<String>, i64, String, String, String) =
        sqlx::query_as("SELECT ship_country, delivery_method, discount_code, discount_minor, currency, lang, payment_method FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut **tx)
            .await?;
    let items: Vec<(i64, i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT i.product_id, i.unit_price_minor, i.quantity, i.tax_class, c.slug FROM order_items i \
         LEFT JOIN products p ON p.id = i.product_id LEFT JOIN categories c ON c.id = p.category_id WHERE i.order_id = $1 ORDER BY i.line",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    let lines: Vec<Line> = items
        .iter()
        .map(|(_, unit, q, tax, _)| Line { unit_minor: *unit, quantity: u32::try_from(*q).unwrap_or(0), tax: TaxClass::parse(tax).unwrap_or_default() })
        .collect();
    let currency = Currency::parse(&currency).map_err(ApiError::Internal)?;
    // An order in another market's currency is priced again by that market's rules:
    // its lines are in that currency already, its delivery and code convert.
    let market = state.rules.markets.for_currency(currency).filter(|_| currency != state.rules.currency);
    let discount = match code {
        None => Discount::default(),
        Some(code) => match crate::offers::store::find(&mut **tx, &code).await? {
            Some(row) => {
                let offer_lines: Vec<OfferLine<'_>> = items
                    .iter()
                    .map(|(product_id, unit, q, _, category)| OfferLine { product_id: *product_id, category_slug: category.as_deref().unwrap_or(""), amount_minor: unit * q })
                    .collect();
                let mut applied = row.applied()?;
                if let Some(m) = market {
                    applied.in_market(m, state.rules.currency);
                }
                applied.discount(&offer_lines).map_err(|refusal| {
                    let lang = Lang::from_tag(&lang).unwrap_or_default();
                    ApiError::Conflict {
                        code: ErrorCode::Refused,
                        message: format!(
                            "This change would lose the order its code {code}: {} Please keep more in the order, or cancel it.",
                            refusal.message(|m| lang.money(Money::new(m, currency)), |d| lang.day(d))
                        ),
                    }
                })?
            }
            // A code deleted since keeps the discount the order got.
            None => Discount { discount_minor: old_discount, free_delivery: false },
        },
    };
    let method = MethodKind::parse(&method).ok_or_else(|| ApiError::Internal(format!("unknown delivery method {method}")))?;
    // The way of paying keeps its fee.
    let payment = aisle_domain::payment::PaymentMethod::parse(&payment);
    let quote = state.rules.in_market(market, state.rules.currency).quote_paid(&country, Some(method), &lines, discount, payment).map_err(|e| ApiError::Conflict { code: ErrorCode::Refused, message: e.to_string() })?;
    store(tx, order_id, &quote).await?;
    sqlx::query("UPDATE discount_code_uses SET discount_minor = $1 WHERE order_id = $2").bind(quote.totals.discount_minor).bind(order_id).execute(&mut **tx).await?;
    Ok(())
}
