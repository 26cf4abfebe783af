//! Customers, sessions, address books and carts in the database.

use crate::{
    identity::auth::{self, Visitor},
    platform::clock,
    platform::db::{self, Db},
    platform::error::ApiError,
};
use aisle_domain::{
    customer::{AddressInput, MAX_QUANTITY},
    shop::{Address, Cart, Customer},
};

/// Binds an address's six columns in the order every address query lists them:
/// name, line1, line2, city, postcode, country. A macro, so it serves plain queries and
/// `RETURNING` ones alike.
macro_rules! bind_address {
    ($q:expr, $a:expr $(,)?) => {{
        let a: &aisle_domain::customer::AddressInput = $a;
        $q.bind(&a.name).bind(&a.line1).bind(&a.line2).bind(&a.city).bind(&a.postcode).bind(&a.country)
    }};
}
pub(crate) use bind_address;

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: i64,
    email: String,
    name: String,
    phone: Option<String>,
    is_staff: db::Flag,
}

impl From<CustomerRow> for Customer {
    fn from(r: CustomerRow) -> Customer {
        Customer { id: r.id, email: r.email, name: r.name, phone: r.phone, is_staff: r.is_staff.0 }
    }
}

pub async fn load_session(db: &Db, token_hash: &str) -> Result<Option<Visitor>, sqlx::Error> {
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT csrf_token, customer_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(token_hash)
            .bind(clock::now())
            .fetch_optional(db)
            .await?;
    let Some((csrf_token, customer_id)) = row else { return Ok(None) };
    let customer = match customer_id {
        Some(id) => customer_by_id(db, id).await?,
        None => None,
    };
    Ok(Some(Visitor { session_hash: token_hash.to_string(), csrf_token, customer }))
}

/// Starts a new session and returns its (secret) token and the visitor it describes.
pub async fn create_session(conn: &mut crate::platform::db::Conn, customer: Option<Customer>) -> Result<(String, Visitor), sqlx::Error> {
    let token = auth::random_token();
    let visitor = Visitor { session_hash: auth::hash_token(&token), csrf_token: auth::random_token(), customer };
    sqlx::query("INSERT INTO sessions (token_hash, customer_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&visitor.session_hash)
        .bind(visitor.customer.as_ref().map(|c| c.id))
        .bind(&visitor.csrf_token)
        .bind(clock::now())
        .bind(auth::session_expiry())
        .execute(&mut *conn)
        .await?;
    Ok((token, visitor))
}

pub async fn delete_session(conn: &mut crate::platform::db::Conn, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}

/// Deletes sessions past their expiry (a guest's cart goes with its session): they are
/// already refused, this only keeps the table from growing without end.
pub async fn delete_expired_sessions(db: &Db) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(clock::now()).execute(db).await?;
    Ok(r.rows_affected())
}

/// Deletes expired sessions now and then every hour, for as long as the server runs.
pub fn spawn_session_cleanup(db: Db) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match delete_expired_sessions(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "deleted expired sessions"),
                Err(e) => tracing::warn!(error = %e, "could not delete expired sessions"),
            }
        }
    });
}

/// Ends every session of an account except `keep` (after a password change).
pub async fn delete_other_sessions(db: &Db, customer_id: i64, keep: &str) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM sessions WHERE customer_id = $1 AND token_hash <> $2")
        .bind(customer_id)
        .bind(keep)
        .execute(db)
        .await?;
    Ok(r.rows_affected())
}

const CUSTOMER_COLUMNS: &str = "SELECT id, email, name, phone, is_staff FROM customers";

pub async fn customer_by_id(db: &Db, id: i64) -> Result<Option<Customer>, sqlx::Error> {
    let row: Option<CustomerRow> = sqlx::query_as(&format!("{CUSTOMER_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(db).await?;
    Ok(row.map(Customer::from))
}

/// The account for an e-mail and its password hash, for sign-in.
pub async fn customer_for_sign_in(db: &Db, email: &str) -> Result<Option<(Customer, String)>, sqlx::Error> {
    let row: Option<(i64, String, String, Option<String>, db::Flag, String)> =
        sqlx::query_as("SELECT id, email, name, phone, is_staff, password_hash FROM customers WHERE email = $1")
            .bind(email)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(id, email, name, phone, is_staff, hash)| (Customer { id, email, name, phone, is_staff: is_staff.0 }, hash)))
}

pub async fn password_hash(db: &Db, customer_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM customers WHERE id = $1").bind(customer_id).fetch_one(db).await
}

pub async fn set_password_hash(db: &Db, customer_id: i64, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE customers SET password_hash = $1 WHERE id = $2").bind(hash).bind(customer_id).execute(db).await?;
    Ok(())
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

fn email_taken() -> ApiError {
    ApiError::Conflict { code: "email_taken", message: "An account with this e-mail address already exists. Try signing in.".into() }
}

pub async fn insert_customer(
    conn: &mut crate::platform::db::Conn,
    email: &str,
    name: &str,
    password_hash: &str,
    is_staff: bool,
) -> Result<Customer, ApiError> {
    let id: i64 = sqlx::query_scalar("INSERT INTO customers (email, name, password_hash, is_staff, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(i64::from(is_staff))
        .bind(clock::now())
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| if is_unique_violation(&e) { email_taken() } else { e.into() })?;
    Ok(Customer { id, email: email.into(), name: name.into(), phone: None, is_staff })
}

pub async fn update_profile(db: &Db, id: i64, name: &str, email: &str, phone: Option<&str>) -> Result<(), ApiError> {
    sqlx::query("UPDATE customers SET name = $1, email = $2, phone = $3 WHERE id = $4")
        .bind(name)
        .bind(email)
        .bind(phone)
        .bind(id)
        .execute(db)
        .await
        .map_err(|e| if is_unique_violation(&e) { email_taken() } else { e.into() })?;
    Ok(())
}

// ---- address book ----

#[derive(sqlx::FromRow)]
struct AddressRow {
    id: i64,
    name: String,
    line1: String,
    line2: String,
    city: String,
    postcode: String,
    country: String,
    is_default: db::Flag,
}

impl From<AddressRow> for Address {
    fn from(r: AddressRow) -> Address {
        Address {
            id: r.id,
            fields: AddressInput {
                name: r.name,
                line1: r.line1,
                line2: r.line2,
                city: r.city,
                postcode: r.postcode,
                country: r.country,
                is_default: r.is_default.0,
            },
        }
    }
}

pub async fn addresses(db: &Db, customer_id: i64) -> Result<Vec<Address>, sqlx::Error> {
    let rows: Vec<AddressRow> = sqlx::query_as(
        "SELECT id, name, line1, line2, city, postcode, country, is_default FROM addresses WHERE customer_id = $1 ORDER BY is_default DESC, id",
    )
    .bind(customer_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Address::from).collect())
}

/// Inserts (`id` = None) or updates one of the customer's addresses. Making one the
/// default clears the others; the first address is the default whatever was asked.
pub async fn save_address(db: &Db, customer_id: i64, id: Option<i64>, a: &AddressInput) -> Result<Address, ApiError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM addresses WHERE customer_id = $1 AND id IS DISTINCT FROM $2")
        .bind(customer_id)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let is_default = a.is_default || count == 0;
    if is_default {
        sqlx::query("UPDATE addresses SET is_default = 0 WHERE customer_id = $1").bind(customer_id).execute(&mut *tx).await?;
    }
    let id = match id {
        Some(id) => {
            let r = bind_address!(
                sqlx::query(
                    "UPDATE addresses SET name = $1, line1 = $2, line2 = $3, city = $4, postcode = $5, country = $6, is_default = $7 \
                     WHERE id = $8 AND customer_id = $9",
                ),
                a,
            )
            .bind(i64::from(is_default))
            .bind(id)
            .bind(customer_id)
            .execute(&mut *tx)
            .await?;
            if r.rows_affected() == 0 {
                return Err(ApiError::not_found("There is no such address in your address book."));
            }
            id
        }
        None => {
            if count >= 20 {
                return Err(ApiError::bad_request("Your address book is full (20 addresses). Delete one first."));
            }
            sqlx::query_scalar(
                "INSERT INTO addresses (name, line1, line2, city, postcode, country, customer_id, is_default) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&a.name)
            .bind(&a.line1)
            .bind(&a.line2)
            .bind(&a.city)
            .bind(&a.postcode)
            .bind(&a.country)
            .bind(customer_id)
            .bind(i64::from(is_default))
            .fetch_one(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(Address { id, fields: AddressInput { is_default, ..a.clone() } })
}

pub async fn delete_address(db: &Db, customer_id: i64, id: i64) -> Result<(), ApiError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let was_default: Option<db::Flag> = sqlx::query_scalar("SELECT is_default FROM addresses WHERE id = $1 AND customer_id = $2")
        .bind(id)
        .bind(customer_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(db::Flag(was_default)) = was_default else {
        return Err(ApiError::not_found("There is no such address in your address book."));
    };
    sqlx::query("DELETE FROM addresses WHERE id = $1").bind(id).execute(&mut *tx).await?;
    if was_default {
        // Someone with addresses always has a default one to check out with.
        sqlx::query("UPDATE addresses SET is_default = 1 WHERE id = (SELECT MIN(id) FROM addresses WHERE customer_id = $1)")
            .bind(customer_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

// ---- carts ----

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

pub async fn cart(db: &Db, v: &Visitor) -> Result<Cart, sqlx::Error> {
    let mut conn = db.acquire().await?;
    let Some(id) = cart_id(&mut conn, v, false).await? else { return Ok(Cart::default()) };
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT product_id, quantity FROM cart_items WHERE cart_id = $1 ORDER BY added_at, product_id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    drop(conn);
    let ids: Vec<i64> = rows.iter().map(|(p, _)| *p).collect();
    let products = db::product_summaries(db, &ids).await?;
    let lines = products
        .into_iter()
        .filter_map(|p| rows.iter().find(|(id, _)| *id == p.id).map(|(_, q)| (p, *q as u32)))
        .collect();
    Ok(Cart::from_lines(lines))
}

/// Sets a product's quantity in the visitor's cart; 0 removes it.
pub async fn set_cart_quantity(db: &Db, v: &Visitor, product_id: i64, quantity: u32) -> Result<(), ApiError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let product: Option<(String, i64)> =
        sqlx::query_as("SELECT name, stock FROM products WHERE id = $1").bind(product_id).fetch_optional(&mut *tx).await?;
    let Some((name, stock)) = product else {
        return Err(ApiError::not_found("That product is no longer in the shop."));
    };
    // Say so now rather than at checkout. Lowering a quantity is always allowed.
    if quantity > 0 && i64::from(quantity) > stock {
        let message = if stock <= 0 { format!("{name} is sold out.") } else { format!("Only {stock} of {name} left.") };
        return Err(ApiError::Conflict { code: "sold_out", message });
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
