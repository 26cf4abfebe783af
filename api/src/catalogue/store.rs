//! The catalogue in the database: categories, products and pages of them, the rows the
//! search index is built from, the changes feed for offline copies, and the catalogue
//! version every product write takes.

use crate::platform::db::{Conn, Db};
use aisle_domain::{Category, Currency, Money, Product, ProductSummary};

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
    let row: Option<CategoryRow> = sqlx::query_as(&format!("{CATEGORY_COLUMNS} WHERE c.slug = $1"))
        .bind(slug)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Category::from))
}

pub async fn products_in_category(db: &Db, category_id: i64, limit: i64, offset: i64) -> Result<Vec<ProductSummary>, sqlx::Error> {
    let rows: Vec<ProductRow> =
        sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.category_id = $1 ORDER BY p.name, p.id LIMIT $2 OFFSET $3"))
            .bind(category_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(db)
            .await?;
    rows.into_iter().map(ProductRow::into_summary).collect()
}

pub async fn featured_products(db: &Db, limit: i64) -> Result<Vec<ProductSummary>, sqlx::Error> {
    let rows: Vec<ProductRow> = sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.featured = 1 ORDER BY p.id LIMIT $1"))
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.into_iter().map(ProductRow::into_summary).collect()
}

pub async fn product_by_id(db: &Db, id: i64) -> Result<Option<Product>, sqlx::Error> {
    let row: Option<ProductRow> = sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(ProductRow::into_product).transpose()
}

pub async fn product_by_slug(db: &Db, slug: &str) -> Result<Option<Product>, sqlx::Error> {
    let row: Option<ProductRow> = sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.slug = $1"))
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
    let params = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = format!("{PRODUCT_COLUMNS} WHERE p.id IN ({params})");
    let mut q = sqlx::query_as::<_, ProductRow>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(db).await?;
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

/// Products changed after catalogue version `since`, in the order they changed, each
/// with its version.
pub async fn products_changed_since(db: &Db, since: i64, limit: i64) -> Result<Vec<(Product, i64)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        product: ProductRow,
        version: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{} WHERE p.version > $1 ORDER BY p.version LIMIT $2",
        PRODUCT_COLUMNS.replace("SELECT ", "SELECT p.version, ")
    ))
    .bind(since)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(|r| Ok((r.product.into_product()?, r.version))).collect()
}

/// Takes `count` catalogue versions for product writes in `conn`'s transaction and
/// returns the last; the first is `last - count + 1`. The counter's row stays locked
/// until that transaction ends (SQLite has a single writer anyway), so versions are
/// handed out in commit order, and a sync reading `version > cursor` cannot miss a
/// change that committed after a later-numbered one.
pub async fn next_catalogue_versions(conn: &mut Conn, count: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("UPDATE catalogue_version SET version = version + $1 WHERE id = 1 RETURNING version")
        .bind(count)
        .fetch_one(conn)
        .await
}
