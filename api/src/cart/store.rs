//! Carts in the database: a guest's belongs to their session, an account's to the
//! account; signing in merges the first into the second.

use crate::{catalogue::{self, variants}, identity::session::Visitor, platform::{clock, db::Db, error::ApiError}};
use aisle_domain::{cart::Cart, customer::MAX_QUANTITY, ErrorCode};

/// The visitor's cart id, creating the cart if `create`.
async fn cart_id(conn: &mut crate::platform::db::Conn, v: &Visitor, create: bool) -> Result<Option<i64>, sqlx::Error> {
    // An account's cart is keyed by its id, a guest's by the session.
    let (customer, session) = match &v.customer {
        Some(c) => (Some(c.id), None),
        None => (None, Some(v.session_hash.as_str())),
    };
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM carts WHERE customer_id = $1 OR session_hash = $2")
        .bind(customer)
        .bind(session)
        .fetch_optional(&mut *conn)
        .await?;
    if existing.is_some() || !create {
        return Ok(existing);
    }
    let id: i64 = sqlx::query_scalar("INSERT INTO carts (customer_id, session_hash, updated_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(customer)
        .bind(session)
        .bind(clock::now())
        .fetch_one(&mut *conn)
        .await?;
    Ok(Some(id))
}

/// The visitor's cart, its product names in `lang`. A line for a variant shows that
/// variant's price, stock and photo; a line whose product or variant is no longer sold
/// is left out.
pub async fn cart(db: &Db, lang: aisle_domain::Lang, v: &Visitor) -> Result<Cart, sqlx::Error> {
    let mut conn = db.acquire().await?;
    let Some(id) = cart_id(&mut conn, v, false).await? else { return Ok(Cart::default()) };
    let code: Option<String> = sqlx::query_scalar("SELECT discount_code FROM carts WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;
    // The code's terms as they are now; a code staff deleted is simply gone.
    let code = match code {
        Some(code) => crate::offers::store::find(&mut conn, &code).await?.and_then(|row| row.applied().ok()),
        None => None,
    };
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT product_id, variant_id, quantity FROM cart_items WHERE cart_id = $1 ORDER BY added_at, product_id, variant_id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    drop(conn);
    let mut ids: Vec<i64> = rows.iter().map(|(p, _, _)| *p).collect();
    ids.sort_unstable();
    ids.dedup();
    let summaries = catalogue::store::product_summaries(db, lang, &ids).await?;
    // Products with a variant in the cart are read whole, with their variants.
    let mut whole = std::collections::HashMap::new();
    for (product_id, variant_id, _) in &rows {
        if *variant_id > 0 && !whole.contains_key(product_id) {
            if let Some(p) = catalogue::store::product_by_id(db, lang, *product_id).await? {
                whole.insert(*product_id, p);
            }
        }
    }
    let lines = rows
        .iter()
        .filter_map(|(product_id, variant_id, quantity)| {
            let quantity = *quantity as u32;
            match variants::from_column(*variant_id) {
                None => summaries.iter().find(|p| p.id == *product_id).map(|p| (p.clone(), None, quantity)),
                Some(variant_id) => {
                    let product = whole.get(product_id)?;
                    let variant = product.variants.iter().find(|v| v.id == variant_id)?;
                    let (summary, chosen) = aisle_domain::cart::as_variant(product, variant);
                    Some((summary, Some(chosen), quantity))
                }
            }
        })
        .collect();
    let mut cart = Cart::from_lines(lines);
    cart.code = code.filter(|_| !cart.lines.is_empty());
    Ok(cart)
}

/// Puts a code (already checked) on the visitor's cart, or takes it off.
pub async fn set_code(db: &Db, v: &Visitor, code: Option<&str>) -> Result<(), ApiError> {
    let mut conn = db.acquire().await?;
    if let Some(id) = cart_id(&mut conn, v, code.is_some()).await? {
        sqlx::query("UPDATE carts SET discount_code = $1, updated_at = $2 WHERE id = $3").bind(code).bind(clock::now()).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Sets a product's (or one of its variants') quantity in the visitor's cart; 0
/// removes it. A product sold in variants is added as one of them.
pub async fn set_cart_quantity(db: &Db, v: &Visitor, product_id: i64, variant_id: Option<i64>, quantity: u32) -> Result<(), ApiError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let product: Option<(String, i64, String)> =
        sqlx::query_as("SELECT name, stock, status FROM products WHERE id = $1").bind(product_id).fetch_optional(&mut *tx).await?;
    // A product off sale (a draft, archived) cannot be added, but can be taken out.
    let Some((mut name, mut stock, _)) = product.filter(|(_, _, status)| quantity == 0 || status == "published") else {
        return Err(ApiError::not_found("That product is no longer in the shop."));
    };
    match variant_id {
        Some(variant) => match variants::line_variant(&mut tx, product_id, variant).await? {
            Some(found) => {
                name = format!("{name} ({})", found.title);
                stock = found.stock;
            }
            // Taking out a line whose variant is gone is what the shopper wants anyway.
            None if quantity == 0 => {}
            None => return Err(ApiError::not_found(format!("{name} is no longer sold in that size or colour: please choose again."))),
        },
        None if quantity > 0 && variants::has_variants(&mut tx, product_id).await? => {
            return Err(ApiError::bad_request(format!("{name} comes in several options: please choose one first.")));
        }
        None => {}
    }
    // Say so now rather than at checkout. Lowering a quantity is always allowed.
    if quantity > 0 && i64::from(quantity) > stock {
        let message = if stock <= 0 { format!("{name} is sold out.") } else { format!("Only {stock} of {name} left.") };
        return Err(ApiError::Conflict { code: ErrorCode::SoldOut, message });
    }
    let Some(cart) = cart_id(&mut tx, v, quantity > 0).await? else { return Ok(()) };
    let variant = variants::column(variant_id);
    if quantity == 0 {
        sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2 AND variant_id = $3")
            .bind(cart)
            .bind(product_id)
            .bind(variant)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO cart_items (cart_id, product_id, variant_id, quantity, added_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (cart_id, product_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
        )
        .bind(cart)
        .bind(product_id)
        .bind(variant)
        .bind(i64::from(quantity))
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE carts SET updated_at = $1 WHERE id = $2").bind(clock::now()).bind(cart).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn clear_cart(conn: &mut crate::platform::db::Conn, v: &Visitor) -> Result<(), sqlx::Error> {
    if let Some(id) = cart_id(conn, v, false).await? {
        sqlx::query("DELETE FROM cart_items WHERE cart_id = $1").bind(id).execute(&mut *conn).await?;
        // A code is for one order.
        sqlx::query("UPDATE carts SET discount_code = NULL WHERE id = $1").bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// At sign-in: moves the guest session's cart into the account's, adding quantities
/// (capped), then removes the guest cart.
pub async fn merge_guest_cart(tx: &mut crate::platform::db::Tx<'_>, session_hash: &str, customer_id: i64) -> Result<(), sqlx::Error> {
    let guest: Option<i64> = sqlx::query_scalar("SELECT id FROM carts WHERE session_hash = $1").bind(session_hash).fetch_optional(&mut **tx).await?;
    let Some(guest) = guest else { return Ok(()) };
    let account: Option<i64> = sqlx::query_scalar("SELECT id FROM carts WHERE customer_id = $1").bind(customer_id).fetch_optional(&mut **tx).await?;
    match account {
        None => {
            sqlx::query("UPDATE carts SET customer_id = $1, session_hash = NULL, updated_at = $2 WHERE id = $3")
                .bind(customer_id)
                .bind(clock::now())
                .bind(guest)
                .execute(&mut **tx)
                .await?;
        }
        Some(account) => {
            sqlx::query(&format!(
                "INSERT INTO cart_items (cart_id, product_id, variant_id, quantity, added_at) \
                 SELECT $1, product_id, variant_id, quantity, added_at FROM cart_items WHERE cart_id = $2 \
                 ON CONFLICT (cart_id, product_id, variant_id) DO UPDATE SET quantity = CASE WHEN cart_items.quantity + excluded.quantity > {MAX_QUANTITY} \
                 THEN {MAX_QUANTITY} ELSE cart_items.quantity + excluded.quantity END"
            ))
            .bind(account)
            .bind(guest)
            .execute(&mut **tx)
            .await?;
            sqlx::query("DELETE FROM carts WHERE id = $1").bind(guest).execute(&mut **tx).await?;
        }
    }
    Ok(())
}
