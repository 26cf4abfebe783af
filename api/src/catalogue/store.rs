//! The catalogue in the database: categories, products and pages of them, the rows the
//! search index is built from, the changes feed for offline copies, and the catalogue
//! version every product write takes.

use crate::platform::db::{Conn, Db};
use aisle_domain::{catalogue::{photo::Photo, translation::BASE_LANG, tree}, Category, Currency, Lang, Money, Product, ProductSummary};
use aisle_domain::review::Stars;

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    /// Its own published products; [`categories`] adds its descendants'.
    product_count: i64,
    parent_id: Option<i64>,
    photo: Option<String>,
}

impl CategoryRow {
    fn into_category(self) -> Result<Category, sqlx::Error> {
        Ok(Category {
            id: self.id,
            slug: self.slug,
            name: self.name,
            description: self.description,
            product_count: self.product_count,
            parent: self.parent_id,
            photo: self.photo.as_deref().map(photo).transpose()?,
        })
    }
}

/// A category's `photo` column, as the catalogue writer wrote it.
pub fn photo(json: &str) -> Result<Photo, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(format!("a category's photo: {e}").into()))
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
    content_lang: String,
    rating_count: i64,
    rating_sum: i64,
    option_count: i64,
    tax_class: String,
    market_prices: String,
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
            content_lang: Lang::from_tag(&self.content_lang).unwrap_or(BASE_LANG),
            rating: Stars::of(self.rating_count, self.rating_sum),
            options: Vec::new(),
            variants: Vec::new(),
            tax_class: tax_class(&self.tax_class)?,
            market_prices: super::market_prices::read(&self.market_prices)?,
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
            rating: Stars::of(self.rating_count, self.rating_sum),
            tax_class: tax_class(&self.tax_class)?,
            market_prices: super::market_prices::read(&self.market_prices)?,
        })
    }
}

fn tax_class(raw: &str) -> Result<aisle_domain::pricing::totals::TaxClass, sqlx::Error> {
    aisle_domain::pricing::totals::TaxClass::parse(raw).ok_or_else(|| sqlx::Error::Decode(format!("unknown tax class {raw:?}").into()))
}

/// A product's `photos` column, as the catalogue writer wrote it.
pub fn photos(json: &str) -> Result<Vec<Photo>, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(format!("a product's photos: {e}").into()))
}

/// Shoppers see published products only: every shopper's read below says so, and the
/// product count of a category counts only those. Names in `lang`, else the shop's own.
fn category_columns(lang: Lang) -> String {
    format!(
        "SELECT c.id, c.slug, COALESCE(ct.name, c.name) AS name, COALESCE(ct.description, c.description) AS description, c.parent_id, c.photo, \
         (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.status = 'published') AS product_count \
         FROM categories c LEFT JOIN category_translations ct ON ct.category_id = c.id AND ct.lang = '{code}'",
        code = lang.code()
    )
}

/// The product columns in language `lang`: its translation where there is one, else
/// the shop's own content (`content_lang` says which). The language is one of
/// [`Lang`]'s codes, never a request's text, so it is written into the SQL.
fn product_columns(lang: Lang) -> String {
    if lang == BASE_LANG {
        return format!(
            // Named with AS, so `ORDER BY name` means this column and not
            // `categories.name` too (SQLite calls a bare `name` ambiguous).
            "SELECT p.id, p.slug AS slug, p.name AS name, p.description AS description, p.price_minor, p.compare_at_minor, p.currency, p.brand, p.stock, p.photos, p.rating_count, p.rating_sum, p.tax_class, p.market_prices, \
             c.slug AS category_slug, c.name AS category_name, '{base}' AS content_lang, {HAS_OPTIONS} \
             FROM products p JOIN categories c ON c.id = p.category_id",
            base = BASE_LANG.code()
        );
    }
    format!(
        "SELECT p.id, COALESCE(t.slug, p.slug) AS slug, COALESCE(t.name, p.name) AS name, COALESCE(t.description, p.description) AS description, \
         p.price_minor, p.compare_at_minor, p.currency, p.brand, p.stock, p.photos, p.rating_count, p.rating_sum, p.tax_class, p.market_prices, \
         c.slug AS category_slug, COALESCE(ct.name, c.name) AS category_name, CASE WHEN t.name IS NULL THEN '{base}' ELSE '{code}' END AS content_lang, {HAS_OPTIONS} \
         FROM products p JOIN categories c ON c.id = p.category_id \
         LEFT JOIN product_translations t ON t.product_id = p.id AND t.lang = '{code}' \
         LEFT JOIN category_translations ct ON ct.category_id = c.id AND ct.lang = '{code}'",
        base = BASE_LANG.code(),
        code = lang.code()
    )
}

const PUBLISHED: &str = "p.status = 'published'";

/// Whether the product comes in options: read with the product, so a product sold as
/// itself (most are) costs one query to read rather than two.
/// A count rather than `EXISTS`: one type, BIGINT, on both databases.
const HAS_OPTIONS: &str = "(SELECT COUNT(*) FROM product_options o WHERE o.product_id = p.id) AS option_count";

/// Every category, depth first in the shop's order (see [`tree::arrange`]), each
/// counting the published products in it and under it.
pub async fn categories(db: &Db, lang: Lang) -> Result<Vec<Category>, sqlx::Error> {
    let rows: Vec<CategoryRow> = sqlx::query_as(&format!("{} ORDER BY c.position, c.id", category_columns(lang))).fetch_all(db).await?;
    let list = rows.into_iter().map(CategoryRow::into_category).collect::<Result<Vec<_>, _>>()?;
    let own: std::collections::HashMap<i64, i64> = list.iter().map(|c| (c.id, c.product_count)).collect();
    let totals: Vec<i64> = list.iter().map(|c| tree::descendants(&list, c.id).iter().map(|id| own.get(id).copied().unwrap_or(0)).sum()).collect();
    let list = list.into_iter().zip(totals).map(|(c, product_count)| Category { product_count, ..c }).collect();
    Ok(tree::arrange(list).into_iter().map(|(_, c)| c).collect())
}

/// What a listing sorts and filters by, for one published product.
#[derive(sqlx::FromRow)]
pub struct ShelfRow {
    pub id: i64,
    pub category_id: i64,
    pub price_minor: i64,
    pub currency: String,
    pub brand: String,
    pub stock: i64,
    /// Units in orders that were not cancelled or returned.
    pub sold: i64,
    pub ratings: i64,
    pub stars: i64,
}

/// Every published product with what a listing sorts and filters by, in the order
/// category pages list them: by name in `lang`, then id. Pages are cut from this in
/// memory (see `shelves`) instead of by `OFFSET`, which made the database step through
/// every row before the page: 30 pages in, 720 row reads for 24 products.
pub async fn shelf_rows(db: &Db, lang: Lang) -> Result<Vec<ShelfRow>, sqlx::Error> {
    let (join, name) = if lang == BASE_LANG {
        (String::new(), "p.name")
    } else {
        // As `product_columns` names it: the translation, else the shop's own.
        (format!("LEFT JOIN product_translations t ON t.product_id = p.id AND t.lang = '{}'", lang.code()), "COALESCE(t.name, p.name)")
    };
    let sql = format!(
        // PostgreSQL sums BIGINTs as NUMERIC: cast back, as SQLite's sums already are.
        "SELECT p.id, p.category_id, p.price_minor, p.currency, p.brand, p.stock, \
         CAST(COALESCE((SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o ON o.id = oi.order_id \
                   WHERE oi.product_id = p.id AND o.status NOT IN ('cancelled', 'returned')), 0) AS BIGINT) AS sold, \
         p.rating_count AS ratings, p.rating_sum AS stars \
         FROM products p {join} WHERE {PUBLISHED} ORDER BY {name}, p.id"
    );
    sqlx::query_as(&sql).fetch_all(db).await
}

/// Every variant of a published product, with what an option filter reads.
#[derive(sqlx::FromRow)]
pub struct ShelfVariant {
    pub product_id: i64,
    pub id: i64,
    pub option1: String,
    pub option2: String,
    pub option3: String,
    pub stock: i64,
}

/// The options and variants listings filter by (`?option=Size:M`), for every product
/// on sale that has them.
pub async fn shelf_variants(db: &Db) -> Result<(std::collections::HashMap<i64, Vec<aisle_domain::catalogue::variant::ProductOption>>, Vec<ShelfVariant>), sqlx::Error> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT o.product_id, o.name, o.option_values FROM product_options o JOIN products p ON p.id = o.product_id WHERE {PUBLISHED} ORDER BY o.product_id, o.position"
    ))
    .fetch_all(db)
    .await?;
    let mut options: std::collections::HashMap<i64, Vec<aisle_domain::catalogue::variant::ProductOption>> = std::collections::HashMap::new();
    for (product_id, name, values) in rows {
        options.entry(product_id).or_default().push(aisle_domain::catalogue::variant::ProductOption { name, values: super::variants::option_values(&values)? });
    }
    let variants = sqlx::query_as(&format!(
        "SELECT v.product_id, v.id, v.option1, v.option2, v.option3, v.stock FROM variants v JOIN products p ON p.id = v.product_id WHERE {PUBLISHED} ORDER BY v.product_id, v.position"
    ))
    .fetch_all(db)
    .await?;
    Ok((options, variants))
}

pub async fn featured_products(db: &Db, lang: Lang, limit: i64) -> Result<Vec<ProductSummary>, sqlx::Error> {
    let rows: Vec<ProductRow> = sqlx::query_as(&format!("{} WHERE p.featured = 1 AND {PUBLISHED} ORDER BY p.id LIMIT $1", product_columns(lang)))
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.into_iter().map(ProductRow::into_summary).collect()
}

pub async fn product_by_id(db: &Db, lang: Lang, id: i64) -> Result<Option<Product>, sqlx::Error> {
    let row: Option<ProductRow> = sqlx::query_as(&format!("{} WHERE p.id = $1 AND {PUBLISHED}", product_columns(lang)))
        .bind(id)
        .fetch_optional(db)
        .await?;
    with_variants(db, row).await
}

/// The product with its options and variants.
async fn with_variants(db: &Db, row: Option<ProductRow>) -> Result<Option<Product>, sqlx::Error> {
    let Some(row) = row else { return Ok(None) };
    let has_options = row.option_count > 0;
    let mut product = row.into_product()?;
    if has_options {
        super::variants::fill(&mut *db.acquire().await?, std::slice::from_mut(&mut product)).await?;
    }
    Ok(Some(product))
}

/// By its web address in any language: a link shared by a German shopper still leads
/// an English one to the product (in English).
pub async fn product_by_slug(db: &Db, lang: Lang, slug: &str) -> Result<Option<Product>, sqlx::Error> {
    let by_slug = "(p.slug = $1 OR EXISTS (SELECT 1 FROM product_translations s WHERE s.product_id = p.id AND s.slug = $1))";
    let row: Option<ProductRow> = sqlx::query_as(&format!("{} WHERE {by_slug} AND {PUBLISHED} LIMIT 1", product_columns(lang)))
        .bind(slug)
        .fetch_optional(db)
        .await?;
    with_variants(db, row).await
}

/// Summaries of the given products, in the order of `ids`.
pub async fn product_summaries(db: &Db, lang: Lang, ids: &[i64]) -> Result<Vec<ProductSummary>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let params = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = format!("{} WHERE p.id IN ({params}) AND {PUBLISHED}", product_columns(lang));
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
    // Each product is found by its name and description in every language: a German
    // shopper types German words, and a shopper who knows the English name finds it too.
    let translations: Vec<(i64, String, String)> = sqlx::query_as("SELECT product_id, name, description FROM product_translations").fetch_all(db).await?;
    let mut more: std::collections::HashMap<i64, Vec<(String, String)>> = std::collections::HashMap::new();
    for (id, name, description) in translations {
        more.entry(id).or_default().push((name, description));
    }
    // A shopper (or a staff member on the phone with one) who types a SKU finds it.
    let skus: Vec<(i64, String)> = sqlx::query_as("SELECT product_id, sku FROM variants WHERE sku IS NOT NULL").fetch_all(db).await?;
    for (id, sku) in skus {
        more.entry(id).or_default().push((String::new(), sku));
    }
    Ok(rows
        .into_iter()
        .map(|(id, mut name, category, mut description)| {
            for (n, d) in more.remove(&id).unwrap_or_default() {
                if !n.is_empty() {
                    name.push_str(" · ");
                    name.push_str(&n);
                }
                description.push(' ');
                description.push_str(&d);
            }
            SearchRow { id, name, category, description }
        })
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

pub async fn changes_since(db: &Db, lang: Lang, since: i64, limit: i64) -> Result<Changes, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        product: ProductRow,
        version: i64,
        status: String,
    }
    let mut rows: Vec<Row> = sqlx::query_as(&format!(
        "{} WHERE p.version > $1 ORDER BY p.version LIMIT $2",
        product_columns(lang).replacen("SELECT ", "SELECT p.version, p.status, ", 1)
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
    super::variants::fill(&mut *db.acquire().await?, &mut changes.products).await?;
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

/// Product `id`'s web address in each language it has one in, the shop's own first.
pub async fn product_slugs(db: &Db, id: i64) -> Result<Vec<(Lang, String)>, sqlx::Error> {
    let own: Option<String> = sqlx::query_scalar("SELECT slug FROM products WHERE id = $1").bind(id).fetch_optional(db).await?;
    let translated: Vec<(String, String)> = sqlx::query_as("SELECT lang, slug FROM product_translations WHERE product_id = $1 ORDER BY lang").bind(id).fetch_all(db).await?;
    Ok(own
        .map(|s| (BASE_LANG, s))
        .into_iter()
        .chain(translated.into_iter().filter_map(|(l, s)| Some((Lang::from_tag(&l)?, s))))
        .collect())
}
