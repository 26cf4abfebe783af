//! Carts in the database: a guest's belongs to their session, an account's to the
//! account; signing in merges the first into the second.

use crate::{catalogue, identity::session::Visitor, platform::{clock, db::Db, error::ApiError}};
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

/// The visitor's cart, its product names in `lang`.
pub async fn cart(db: &Db, lang: aisle_domain::Lang, v: &Visitor) -> Result<Cart, sqlx::Error> {
    let mut conn = db.acquire().await?;
    let Some(id) = cart_id(&mut conn, v, false).await? else { return Ok(Cart::default()) };
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT product_id, quantity FROM cart_items WHERE cart_id = $1 ORDER BY added_at, product_id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    drop(conn);
    let ids: Vec<i64> = rows.iter().map(|(p, _)| *p).collect();
    let products = catalogue::store::product_summaries(db, lang, &ids).await?;
    let lines = products
        .into_iter()
        .filter_map(|p| rows.iter().find(|(id, _)| *id == p.id).map(|(_, q)| (p, *q as u32)))
        .collect();
    Ok(Cart::from_lines(lines))
}

/// Sets a product's quantity in the visitor's cart; 0 removes it.
pub async fn set_cart_quantity(db: &Db, v: &Visitor, product_id: i64, quantity: u32) -> Result<(), ApiError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let product: Option<(String, i64, String)> =
        sqlx::query_as("SELECT name, stock, status FROM products WHERE id = $1").bind(product_id).fetch_optional(&mut *tx).await?;
    // A product off sale (a draft, archived) cannot be added, but can be taken out.
    let Some((name, stock, _)) = product.filter(|(_, _, status)| quantity == 0 || status == "published") else {
        return Err(ApiError::not_found("That product is no longer in the shop."));
    };
    // Say so now rather than at checkout. Lowering a quantity is always allowed.
    if quantity > 0 && i64::from(quantity) > stock {
        let message = if stock <= 0 { format!("{name} is sold out.") } else { format!("Only {stock} of {name} left.") };
        return Err(ApiError::Conflict { code: ErrorCode::SoldOut, message });
    }
    let Some(cart) = cart_id(&mut tx, v, quantity > 0).await? else { return Ok(()) };
    if quantity == 0 {
        sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2").bind(cart).bind(product_id).execute(&mut *tx).await?;
    } else {
        sqlx::query(
            "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = excluded.quantity",
        )
        .bind(cart)
        .bind(product_id)
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
                "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) \
                 SELECT $1, product_id, quantity, added_at FROM cart_items WHERE cart_id = $2 \
                 ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = CASE WHEN cart_items.quantity + excluded.quantity > {MAX_QUANTITY} \
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
