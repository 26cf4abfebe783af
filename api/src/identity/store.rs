//! Customers, sessions, address books and carts in the database.

use crate::{platform::{clock, db::{self, Db}, error::ApiError}};
use aisle_domain::{customer::{Address, AddressInput, Customer}, ErrorCode};

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
    company: Option<String>,
    vat_id: Option<String>,
}

impl From<CustomerRow> for Customer {
    fn from(r: CustomerRow) -> Customer {
        Customer { company: r.company, vat_id: r.vat_id, id: r.id, email: r.email, name: r.name, phone: r.phone, is_staff: r.is_staff.0 }
    }
}

const CUSTOMER_COLUMNS: &str = "SELECT id, email, name, phone, is_staff, company, vat_id FROM customers";

pub async fn customer_by_id(db: &Db, id: i64) -> Result<Option<Customer>, sqlx::Error> {
    let row: Option<CustomerRow> = sqlx::query_as(&format!("{CUSTOMER_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(db).await?;
    Ok(row.map(Customer::from))
}

/// The account for an e-mail and its password hash, for sign-in.
pub async fn customer_for_sign_in(db: &Db, email: &str) -> Result<Option<(Customer, String)>, sqlx::Error> {
    let Some(hash): Option<String> = sqlx::query_scalar("SELECT password_hash FROM customers WHERE email = $1").bind(email).fetch_optional(db).await? else {
        return Ok(None);
    };
    let row: Option<CustomerRow> = sqlx::query_as(&format!("{CUSTOMER_COLUMNS} WHERE email = $1")).bind(email).fetch_optional(db).await?;
    Ok(row.map(|r| (Customer::from(r), hash)))
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
    ApiError::Conflict { code: ErrorCode::EmailTaken, message: "An account with this e-mail address already exists. Try signing in.".into() }
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
    Ok(Customer { company: None, vat_id: None, id, email: email.into(), name: name.into(), phone: None, is_staff })
}

/// A profile as the account form saves it.
pub struct Profile<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub company: Option<&'a str>,
    pub vat_id: Option<&'a str>,
}

pub async fn update_profile(db: &Db, id: i64, p: &Profile<'_>) -> Result<(), ApiError> {
    sqlx::query("UPDATE customers SET name = $1, email = $2, phone = $3, company = $4, vat_id = $5 WHERE id = $6")
        .bind(p.name)
        .bind(p.email)
        .bind(p.phone)
        .bind(p.company)
        .bind(p.vat_id)
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

