//! The catalogue as the back office reads it: every product whatever its status, the
//! list with its filters, the audit entries.

use crate::{catalogue, platform::db::{Conn, Db}};
use aisle_domain::{
    catalogue::{translation::{self, ProductTranslation}, tree},
    Category,
    Lang,
    catalogue::edit::{AuditEntry, CategoryText, FieldChange, ProductSort, ProductStatus, StaffCategory, StaffProduct, StaffProductRow, StockFilter, TaxClass},
    Currency, Money,
};

/// The currency the shop prices in: that of its products (one currency per shop), or
/// euros for a shop with none yet.
pub async fn shop_currency(db: &Db) -> Result<Currency, sqlx::Error> {
    shop_currency_in(&mut *db.acquire().await?).await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    slug: String,
    name: String,
    description: String,
    brand: String,
    sku: Option<String>,
    barcode: Option<String>,
    price_minor: i64,
    compare_at_minor: Option<i64>,
    currency: String,
    market_prices: String,
    stock: i64,
    weight_grams: i64,
    tax_class: String,
    category_id: i64,
    category_name: String,
    status: String,
    updated_at: String,
    ordered: i64,
    photos: String,
}

fn decode<T>(what: &str, v: Option<T>) -> Result<T, sqlx::Error> {
    v.ok_or_else(|| sqlx::Error::Decode(format!("unknown {what} in the products table").into()))
}

impl Row {
    fn into_product(self) -> Result<StaffProduct, sqlx::Error> {
        let currency = Currency::parse(&self.currency).map_err(|e| sqlx::Error::Decode(e.into()))?;
        Ok(StaffProduct {
            id: self.id,
            slug: self.slug,
            name: self.name,
            description: self.description,
            brand: self.brand,
            sku: self.sku,
            barcode: self.barcode,
            price: Money::new(self.price_minor, currency),
            compare_at: self.compare_at_minor.map(|m| Money::new(m, currency)),
            stock: self.stock,
            weight_grams: self.weight_grams,
            tax_class: decode("tax class", TaxClass::parse(&self.tax_class))?,
            category_id: self.category_id,
            category_name: self.category_name,
            status: decode("status", ProductStatus::parse(&self.status))?,
            updated_at: self.updated_at,
            ordered: self.ordered,
            photos: crate::catalogue::store::photos(&self.photos)?,
            translations: Vec::new(),
            options: Vec::new(),
            variants: Vec::new(),
            market_prices: crate::catalogue::market_prices::read(&self.market_prices)?,
        })
    }
}

const COLUMNS: &str = "SELECT p.id, p.slug, p.name, p.description, p.brand, p.sku, p.barcode, p.price_minor, p.compare_at_minor, p.currency, \
     p.stock, p.weight_grams, p.tax_class, p.category_id, c.name AS category_name, p.status, p.updated_at, p.photos, p.market_prices, \
     (SELECT COUNT(*) FROM order_items i WHERE i.product_id = p.id) AS ordered \
     FROM products p JOIN categories c ON c.id = p.category_id";

pub async fn staff_product(conn: &mut Conn, id: i64) -> Result<Option<StaffProduct>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!("{COLUMNS} WHERE p.id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    let Some(mut product) = row.map(Row::into_product).transpose()? else { return Ok(None) };
    let rows: Vec<(String, String, String, String)> = sqlx::query_as("SELECT lang, name, slug, description FROM product_translations WHERE product_id = $1 ORDER BY lang")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    product.translations = rows
        .into_iter()
        .filter_map(|(lang, name, slug, description)| Some(ProductTranslation { lang: Lang::from_tag(&lang)?, name, slug, description }))
        .collect();
    (product.options, product.variants) = catalogue::variants::of_product(conn, id, product.price.currency).await?;
    Ok(Some(product))
}

/// Notes on each row the languages it has no translation in.
async fn with_missing_translations(db: &Db, mut items: Vec<StaffProductRow>) -> Result<Vec<StaffProductRow>, sqlx::Error> {
    if items.is_empty() {
        return Ok(items);
    }
    let params = (1..=items.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT product_id, lang FROM product_translations WHERE product_id IN ({params})");
    let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
    for item in &items {
        q = q.bind(item.id);
    }
    let have = q.fetch_all(db).await?;
    for item in &mut items {
        let langs: Vec<Lang> = have.iter().filter(|(id, _)| *id == item.id).filter_map(|(_, l)| Lang::from_tag(l)).collect();
        item.missing = translation::missing(&langs);
    }
    Ok(items)
}

/// As [`shop_currency`], in a transaction.
pub async fn shop_currency_in(conn: &mut Conn) -> Result<Currency, sqlx::Error> {
    let code: Option<String> = sqlx::query_scalar("SELECT MIN(currency) FROM products").fetch_one(conn).await?;
    Ok(code.and_then(|c| Currency::parse(&c).ok()).unwrap_or(Currency::EUR))
}

/// Every category, in a transaction (names and slugs are what an import's Type names).
pub async fn categories_in(conn: &mut Conn) -> Result<Vec<Category>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, Option<i64>)> =
        sqlx::query_as("SELECT id, slug, name, description, parent_id FROM categories ORDER BY position, id").fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, description, parent)| Category { id, slug, name, description, product_count: 0, parent, photo: None })
        .collect())
}

/// Every product, whatever its status, by id: for an export, and to check an import
/// against.
pub async fn all_staff_products(conn: &mut Conn) -> Result<Vec<StaffProduct>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{COLUMNS} ORDER BY p.id")).fetch_all(&mut *conn).await?;
    let mut products = rows.into_iter().map(Row::into_product).collect::<Result<Vec<_>, _>>()?;
    catalogue::variants::fill_staff(conn, &mut products).await?;
    Ok(products)
}

/// id, slug, name, description, products of any status, parent, photo (JSON).
type CategoryRow = (i64, String, String, String, i64, Option<i64>, Option<String>);

/// Every category depth first in the shop's order, with its products of any status,
/// its photo and its translations.
pub async fn staff_categories(db: &Db) -> Result<Vec<StaffCategory>, sqlx::Error> {
    let rows: Vec<CategoryRow> = sqlx::query_as(
        "SELECT c.id, c.slug, c.name, c.description, (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id), c.parent_id, c.photo \
         FROM categories c ORDER BY c.position, c.id",
    )
    .fetch_all(db)
    .await?;
    let texts: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT category_id, lang, name, description FROM category_translations ORDER BY lang").fetch_all(db).await?;
    let mut list = Vec::with_capacity(rows.len());
    for (id, slug, name, description, products, parent_id, photo) in rows {
        let translations = texts
            .iter()
            .filter(|t| t.0 == id)
            .filter_map(|t| Some(CategoryText { lang: Lang::from_tag(&t.1)?, name: t.2.clone(), description: t.3.clone() }))
            .collect();
        let photo = photo.as_deref().map(catalogue::store::photo).transpose()?;
        list.push(StaffCategory { id, slug, name, description, products, parent_id, depth: 0, photo, translations });
    }
    Ok(tree::arrange(list).into_iter().map(|(depth, c)| StaffCategory { depth: depth as u32, ..c }).collect())
}

/// What the list is narrowed to.
#[derive(Default)]
pub struct ListFilter {
    /// Part of the name, the SKU or the barcode, in any case.
    pub text: Option<String>,
    pub category_id: Option<i64>,
    pub status: Option<ProductStatus>,
    pub stock: Option<StockFilter>,
    pub sort: ProductSort,
}

/// One page of the list and the count of all that match.
pub async fn staff_products(db: &Db, f: &ListFilter, limit: i64, offset: i64) -> Result<(Vec<StaffProductRow>, i64), sqlx::Error> {
    // Only fixed SQL is put together here; every value typed is a bound parameter.
    let mut clauses = vec!["1 = 1".to_string()];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let text = f.text.as_deref().map(|t| format!("%{}%", t.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    if text.is_some() {
        let (a, b, c) = (next(), next(), next());
        clauses.push(format!("(LOWER(p.name) LIKE {a} ESCAPE '\\' OR LOWER(COALESCE(p.sku, '')) LIKE {b} ESCAPE '\\' OR COALESCE(p.barcode, '') LIKE {c} ESCAPE '\\')"));
    }
    if f.category_id.is_some() {
        clauses.push(format!("p.category_id = {}", next()));
    }
    if f.status.is_some() {
        clauses.push(format!("p.status = {}", next()));
    }
    if let Some(s) = f.stock {
        clauses.push(s.sql().to_string());
    }
    let filter = clauses.join(" AND ");
    let (lim, off) = (next(), next());
    let list_sql = format!(
        "SELECT p.id, p.slug, p.name, p.sku, p.price_minor, p.currency, p.stock, p.status, c.name AS category_name, p.updated_at \
         FROM products p JOIN categories c ON c.id = p.category_id WHERE {filter} ORDER BY {} LIMIT {lim} OFFSET {off}",
        f.sort.order_by()
    );
    let count_sql = format!("SELECT COUNT(*) FROM products p WHERE {filter}");
    macro_rules! bind_filter {
        ($q:expr) => {{
            let mut q = $q;
            if let Some(t) = &text {
                q = q.bind(t.clone()).bind(t.clone()).bind(t.clone());
            }
            if let Some(c) = f.category_id {
                q = q.bind(c);
            }
            if let Some(s) = f.status {
                q = q.bind(s.as_str());
            }
            q
        }};
    }
    #[derive(sqlx::FromRow)]
    struct ListRow {
        id: i64,
        slug: String,
        name: String,
        sku: Option<String>,
        price_minor: i64,
        currency: String,
        stock: i64,
        status: String,
        category_name: String,
        updated_at: String,
    }
    let rows: Vec<ListRow> = bind_filter!(sqlx::query_as(&list_sql)).bind(limit).bind(offset).fetch_all(db).await?;
    let total: i64 = bind_filter!(sqlx::query_scalar(&count_sql)).fetch_one(db).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let currency = Currency::parse(&r.currency).map_err(|e| sqlx::Error::Decode(e.into()))?;
            Ok(StaffProductRow {
                id: r.id,
                slug: r.slug,
                name: r.name,
                sku: r.sku,
                price: Money::new(r.price_minor, currency),
                stock: r.stock,
                status: decode("status", ProductStatus::parse(&r.status))?,
                category_name: r.category_name,
                updated_at: r.updated_at,
                missing: Vec::new(),
            })
        })
        .collect::<Result<Vec<StaffProductRow>, sqlx::Error>>()?;
    Ok((with_missing_translations(db, items).await?, total))
}

/// A product's audit entries, newest first.
pub async fn audit(db: &Db, product_id: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
    #[derive(serde::Deserialize)]
    struct Stored {
        action: String,
        changes: Vec<FieldChange>,
    }
    let rows: Vec<(String, String, String)> = sqlx::query_as("SELECT at, staff_name, changes FROM product_audit WHERE product_id = $1 ORDER BY id DESC LIMIT 200")
        .bind(product_id)
        .fetch_all(db)
        .await?;
    rows.into_iter()
        .map(|(at, staff_name, json)| {
            let s: Stored = serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(e.into()))?;
            Ok(AuditEntry { at, staff_name, action: s.action, changes: s.changes })
        })
        .collect()
}

/// The product an old web address names, if one does.
pub async fn slug_moved_to(db: &Db, old: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT p.slug FROM product_old_slugs o JOIN products p ON p.id = o.product_id WHERE o.slug = $1 AND p.status = 'published'")
        .bind(old)
        .fetch_optional(db)
        .await
}

/// A web address no product has yet: `base`, else `base-2`, `base-3`, …
pub async fn free_slug(db: &Db, base: &str) -> Result<String, sqlx::Error> {
    for n in 1..1000 {
        let slug = if n == 1 { base.to_string() } else { format!("{base}-{n}") };
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM products WHERE slug = $1").bind(&slug).fetch_optional(db).await?;
        if taken.is_none() {
            return Ok(slug);
        }
    }
    Ok(format!("{base}-{}", crate::platform::clock::now_millis()))
}

pub async fn category_exists(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM categories WHERE id = $1").bind(id).fetch_optional(db).await?.is_some())
}
