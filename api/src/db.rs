//! The database: opening the SQLite file (created on first start), running the
//! migrations kept in `api/migrations`, and the catalogue queries the handlers use.

use aisle_domain::{Category, Currency, Money, Product, ProductSummary};
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    QueryBuilder, Sqlite, SqlitePool,
};
use std::{str::FromStr, time::Duration};

pub type Db = SqlitePool;

/// Opens (creating if needed) the database at `url` and brings its schema up to date.
pub async fn open(url: &str) -> Result<Db, String> {
    if !url.starts_with("sqlite:") {
        return Err(format!(
            "DATABASE_URL must be a sqlite: URL such as sqlite://data/aisle.db (got {:?})",
            url.split(':').next().unwrap_or_default()
        ));
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| format!("DATABASE_URL is not a usable SQLite URL: {e}"))?
        .create_if_missing(true)
        // WAL lets readers carry on while a writer commits; the busy timeout makes a
        // writer wait for the lock instead of failing at once.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true);
    if let Some(dir) = options.get_filename().parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // A local file cannot drop a connection the way a network database can; a
        // ping before every query would be one more hop to the connection's thread.
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(|e| format!("cannot open the database {url}: {e}"))?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok(pool)
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    product_count: i64,
}

impl From<CategoryRow> for Category {
    fn from(r: CategoryRow) -> Category {
        Category { id: r.id, slug: r.slug, name: r.name, description: r.description, product_count: r.product_count }
    }
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    price_minor: i64,
    currency: String,
    stock: i64,
    category_slug: String,
    category_name: String,
}

fn money(minor: i64, currency: &str) -> Result<Money, sqlx::Error> {
    let currency = Currency::parse(currency).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(Money::new(minor, currency))
}

impl ProductRow {
    fn into_product(self) -> Result<Product, sqlx::Error> {
        Ok(Product {
            price: money(self.price_minor, &self.currency)?,
            id: self.id,
            slug: self.slug,
            name: self.name,
            description: self.description,
            stock: self.stock,
            category_slug: self.category_slug,
            category_name: self.category_name,
        })
    }

    fn into_summary(self) -> Result<ProductSummary, sqlx::Error> {
        Ok(ProductSummary {
            price: money(self.price_minor, &self.currency)?,
            id: self.id,
            slug: self.slug,
            name: self.name,
            stock: self.stock,
            category_slug: self.category_slug,
        })
    }
}

const CATEGORY_COLUMNS: &str = "SELECT c.id, c.slug, c.name, c.description, \
     (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id) AS product_count \
     FROM categories c";

const PRODUCT_COLUMNS: &str = "SELECT p.id, p.slug, p.name, p.description, p.price_minor, p.currency, p.stock, \
     c.slug AS category_slug, c.name AS category_name \
     FROM products p JOIN categories c ON c.id = p.category_id";

pub async fn categories(db: &Db) -> Result<Vec<Category>, sqlx::Error> {
    let rows: Vec<CategoryRow> = sqlx::query_as(&format!("{CATEGORY_COLUMNS} ORDER BY c.position, c.id"))
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(Category::from).collect())
}

pub async fn category_by_slug(db: &Db, slug: &str) -> Result<Option<Category>, sqlx::Error> {
    let row: Option<CategoryRow> = sqlx::query_as(&format!("{CATEGORY_COLUMNS} WHERE c.slug = ?"))
        .bind(slug)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Category::from))
}

pub async fn products_in_category(db: &Db, category_id: i64, limit: i64, offset: i64) -> Result<Vec<ProductSummary>, sqlx::Error> {
    let rows: Vec<ProductRow> =
        sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.category_id = ? ORDER BY p.name, p.id LIMIT ? OFFSET ?"))
            .bind(category_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(db)
            .await?;
    rows.into_iter().map(ProductRow::into_summary).collect()
}

pub async fn featured_products(db: &Db, limit: i64) -> Result<Vec<ProductSummary>, sqlx::Error> {
    let rows: Vec<ProductRow> = sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.featured = 1 ORDER BY p.id LIMIT ?"))
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.into_iter().map(ProductRow::into_summary).collect()
}

pub async fn product_by_id(db: &Db, id: i64) -> Result<Option<Product>, sqlx::Error> {
    let row: Option<ProductRow> = sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(ProductRow::into_product).transpose()
}

pub async fn product_by_slug(db: &Db, slug: &str) -> Result<Option<Product>, sqlx::Error> {
    let row: Option<ProductRow> = sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.slug = ?"))
        .bind(slug)
        .fetch_optional(db)
        .await?;
    row.map(ProductRow::into_product).transpose()
}

/// Summaries of the given products, in the order of `ids`.
pub async fn product_summaries(db: &Db, ids: &[i64]) -> Result<Vec<ProductSummary>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!("{PRODUCT_COLUMNS} WHERE p.id IN ("));
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
    let rows: Vec<ProductRow> = q.build_query_as().fetch_all(db).await?;
    let mut items = rows.into_iter().map(ProductRow::into_summary).collect::<Result<Vec<_>, _>>()?;
    items.sort_by_key(|p| ids.iter().position(|id| *id == p.id));
    Ok(items)
}

/// What the search index is built from.
pub struct SearchRow {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub description: String,
}

pub async fn search_rows(db: &Db) -> Result<Vec<SearchRow>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT p.id, p.name, c.name, p.description FROM products p JOIN categories c ON c.id = p.category_id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, category, description)| SearchRow { id, name, category, description })
        .collect())
}

pub async fn product_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM products").fetch_one(db).await
}

/// Products changed after the cursor `(updated_at, id)`, in that order.
pub async fn products_changed_since(db: &Db, updated_at: &str, id: i64, limit: i64) -> Result<Vec<(Product, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        product: ProductRow,
        updated_at: String,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{} WHERE p.updated_at > ?1 OR (p.updated_at = ?1 AND p.id > ?2) ORDER BY p.updated_at, p.id LIMIT ?3",
        PRODUCT_COLUMNS.replace("SELECT ", "SELECT p.updated_at, ")
    ))
    .bind(updated_at)
    .bind(id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(|r| Ok((r.product.into_product()?, r.updated_at))).collect()
}
