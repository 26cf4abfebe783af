//! The catalogue in the database: categories, products and pages of them, the rows the
//! search index is built from, the changes feed for offline copies, and the catalogue
//! version every product write takes.

use crate::platform::db::{Conn, Db};
use aisle_domain::{catalogue::photo::Photo, Category, Currency, Money, Product, ProductSummary};

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
    compare_at_minor: Option<i64>,
    currency: String,
    brand: String,
    stock: i64,
    category_slug: String,
    category_name: String,
    photos: String,
}

fn money(minor: i64, currency: &str) -> Result<Money, sqlx::Error> {
    let currency = Currency::parse(currency).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(Money::new(minor, currency))
}

impl ProductRow {
    fn into_product(self) -> Result<Product, sqlx::Error> {
        Ok(Product {
            price: money(self.price_minor, &self.currency)?,
            compare_at: self.compare_at_minor.map(|m| money(m, &self.currency)).transpose()?,
            id: self.id,
            slug: self.slug,
            name: self.name,
            description_html: super::description::to_html(&self.description),
            description: self.description,
            brand: self.brand,
            stock: self.stock,
            category_slug: self.category_slug,
            category_name: self.category_name,
            photos: photos(&self.photos)?,
        })
    }

    fn into_summary(self) -> Result<ProductSummary, sqlx::Error> {
        Ok(ProductSummary {
            price: money(self.price_minor, &self.currency)?,
            compare_at: self.compare_at_minor.map(|m| money(m, &self.currency)).transpose()?,
            id: self.id,
            slug: self.slug,
            name: self.name,
            stock: self.stock,
            category_slug: self.category_slug,
            photo: photos(&self.photos)?.into_iter().next(),
        })
    }
}

/// A product's `photos` column, as the catalogue writer wrote it.
pub fn photos(json: &str) -> Result<Vec<Photo>, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(format!("a product's photos: {e}").into()))
}

/// Shoppers see published products only: every shopper's read below says so, and the
/// product count of a category counts only those.
const CATEGORY_COLUMNS: &str = "SELECT c.id, c.slug, c.name, c.description, \
     (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.status = 'published') AS product_count \
     FROM categories c";

const PRODUCT_COLUMNS: &str = "SELECT p.id, p.slug, p.name, p.description, p.price_minor, p.compare_at_minor, p.currency, p.brand, p.stock, p.photos, \
     c.slug AS category_slug, c.name AS category_name \
     FROM products p JOIN categories c ON c.id = p.category_id";

const PUBLISHED: &str = "p.status = 'published'";

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
        sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.category_id = $1 AND {PUBLISHED} ORDER BY p.name, p.id LIMIT $2 OFFSET $3"))
            .bind(category_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(db)
            .await?;
    rows.into_iter().map(ProductRow::into_summary).collect()
}

pub async fn featured_products(db: &Db, limit: i64) -> Result<Vec<ProductSummary>, sqlx::Error> {
    let rows: Vec<ProductRow> = sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.featured = 1 AND {PUBLISHED} ORDER BY p.id LIMIT $1"))
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.into_iter().map(ProductRow::into_summary).collect()
}

pub async fn product_by_id(db: &Db, id: i64) -> Result<Option<Product>, sqlx::Error> {
    let row: Option<ProductRow> = sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.id = $1 AND {PUBLISHED}"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(ProductRow::into_product).transpose()
}

pub async fn product_by_slug(db: &Db, slug: &str) -> Result<Option<Product>, sqlx::Error> {
    let row: Option<ProductRow> = sqlx::query_as(&format!("{PRODUCT_COLUMNS} WHERE p.slug = $1 AND {PUBLISHED}"))
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
    let sql = format!("{PRODUCT_COLUMNS} WHERE p.id IN ({params}) AND {PUBLISHED}");
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
        "SELECT p.id, p.name, c.name, p.description FROM products p JOIN categories c ON c.id = p.category_id WHERE p.status = 'published'",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, category, description)| SearchRow { id, name, category, description })
        .collect())
}

pub async fn product_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE status = 'published'").fetch_one(db).await
}

/// What changed after catalogue version `since`, at most `limit` products: those on
/// sale, in the order they changed, and the ids of those taken off sale or deleted
/// since; `last` is the version of the last change included (`since` when none).
pub struct Changes {
    pub products: Vec<Product>,
    pub removed: Vec<i64>,
    pub last: i64,
    pub more: bool,
}

pub async fn changes_since(db: &Db, since: i64, limit: i64) -> Result<Changes, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        product: ProductRow,
        version: i64,
        status: String,
    }
    let mut rows: Vec<Row> = sqlx::query_as(&format!(
        "{} WHERE p.version > $1 ORDER BY p.version LIMIT $2",
        PRODUCT_COLUMNS.replace("SELECT ", "SELECT p.version, p.status, ")
    ))
    .bind(since)
    .bind(limit + 1)
    .fetch_all(db)
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    // Deletions up to the last product change in this page: those after it come with
    // the next page, so the cursor never passes one unseen.
    let upto = if more { rows.last().map_or(i64::MAX, |r| r.version) } else { i64::MAX };
    let deleted: Vec<(i64, i64)> = sqlx::query_as("SELECT product_id, version FROM product_tombstones WHERE version > $1 AND version <= $2")
        .bind(since)
        .bind(upto)
        .fetch_all(db)
        .await?;
    let mut last = since;
    let mut changes = Changes { products: Vec::new(), removed: Vec::new(), last, more };
    for r in rows {
        last = last.max(r.version);
        if r.status == "published" {
            changes.products.push(r.product.into_product()?);
        } else {
            changes.removed.push(r.product.id);
        }
    }
    for (id, version) in deleted {
        last = last.max(version);
        changes.removed.push(id);
    }
    changes.last = last;
    Ok(changes)
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
