//! A product's options and variants in the database (tables `product_options` and
//! `variants`, migration 0018): read with the product for shoppers and the offline copy,
//! written whole by staff, and looked up for a cart or order line. The rules — what a
//! valid set is, which variant a choice names — are in `aisle_domain::catalogue::variant`.

use crate::platform::{db::{Conn, Tx}, error::ApiError};
use aisle_domain::{
    catalogue::variant::{product_figures, ProductOption, Variant, VariantsEdit},
    customer::FieldError,
    Currency, Money, Product,
};
use std::collections::HashMap;

/// A cart or order line's variant column: 0 for the product itself.
pub fn column(variant_id: Option<i64>) -> i64 {
    variant_id.unwrap_or(0)
}

/// And back.
pub fn from_column(variant_id: i64) -> Option<i64> {
    (variant_id > 0).then_some(variant_id)
}

#[derive(sqlx::FromRow)]
struct VariantRow {
    id: i64,
    product_id: i64,
    sku: Option<String>,
    option1: String,
    option2: String,
    option3: String,
    price_minor: i64,
    compare_at_minor: Option<i64>,
    stock: i64,
    weight_grams: i64,
    photo_id: Option<i64>,
    market_prices: String,
}

const VARIANT_COLUMNS: &str = "id, product_id, sku, option1, option2, option3, price_minor, compare_at_minor, stock, weight_grams, photo_id, market_prices";

impl VariantRow {
    fn into_variant(self, options: usize, currency: Currency) -> Variant {
        // Written only by `write` from typed money; a broken value reads as none rather
        // than hiding the product.
        let market_prices = crate::catalogue::market_prices::read(&self.market_prices).unwrap_or_default();
        let values = [self.option1, self.option2, self.option3];
        Variant {
            id: self.id,
            sku: self.sku.unwrap_or_default(),
            options: values.into_iter().take(options.max(1)).collect(),
            price: Money::new(self.price_minor, currency),
            compare_at: self.compare_at_minor.map(|m| Money::new(m, currency)),
            stock: self.stock,
            weight_grams: self.weight_grams,
            photo_id: self.photo_id,
            market_prices,
        }
    }
}

fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// A product's `option_values` column, as `write` wrote it.
pub fn option_values(json: &str) -> Result<Vec<String>, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(format!("an option's values: {e}").into()))
}

/// Options and variants read for many products at once, by product.
struct Loaded {
    options: HashMap<i64, Vec<ProductOption>>,
    variants: HashMap<i64, Vec<VariantRow>>,
}

impl Loaded {
    /// Those of the products `ids`, or of every product: two queries however many.
    async fn read(conn: &mut Conn, ids: Option<&[i64]>) -> Result<Loaded, sqlx::Error> {
        let mut loaded = Loaded { options: HashMap::new(), variants: HashMap::new() };
        if ids.is_some_and(<[i64]>::is_empty) {
            return Ok(loaded);
        }
        let only = |column: &str| ids.map_or(String::new(), |ids| format!("WHERE {column} IN ({})", placeholders(ids.len())));
        let sql = format!("SELECT product_id, name, option_values FROM product_options {} ORDER BY product_id, position", only("product_id"));
        let mut q = sqlx::query_as::<_, (i64, String, String)>(&sql);
        for id in ids.unwrap_or_default() {
            q = q.bind(*id);
        }
        for (product_id, name, values) in q.fetch_all(&mut *conn).await? {
            loaded.options.entry(product_id).or_default().push(ProductOption { name, values: option_values(&values)? });
        }
        if loaded.options.is_empty() {
            return Ok(loaded);
        }
        let sql = format!("SELECT {VARIANT_COLUMNS} FROM variants {} ORDER BY product_id, position, id", only("product_id"));
        let mut q = sqlx::query_as::<_, VariantRow>(&sql);
        for id in ids.unwrap_or_default() {
            q = q.bind(*id);
        }
        for row in q.fetch_all(&mut *conn).await? {
            loaded.variants.entry(row.product_id).or_default().push(row);
        }
        Ok(loaded)
    }

    /// Product `id`'s options and variants (priced in `currency`), if it has any.
    fn take(&mut self, id: i64, currency: Currency) -> Option<(Vec<ProductOption>, Vec<Variant>)> {
        let options = self.options.remove(&id)?;
        let count = options.len();
        let variants = self.variants.remove(&id).unwrap_or_default().into_iter().map(|r| r.into_variant(count, currency)).collect();
        Some((options, variants))
    }
}

/// Fills in the options and variants of these products.
pub async fn fill(conn: &mut Conn, products: &mut [Product]) -> Result<(), sqlx::Error> {
    let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
    let mut loaded = Loaded::read(conn, Some(&ids)).await?;
    for p in products.iter_mut() {
        if let Some((options, variants)) = loaded.take(p.id, p.price.currency) {
            (p.options, p.variants) = (options, variants);
        }
    }
    Ok(())
}

/// Every product's options and variants, for staff (an export, an import's plan).
pub async fn fill_staff(conn: &mut Conn, products: &mut [aisle_domain::catalogue::edit::StaffProduct]) -> Result<(), sqlx::Error> {
    let mut loaded = Loaded::read(conn, None).await?;
    for p in products.iter_mut() {
        if let Some((options, variants)) = loaded.take(p.id, p.price.currency) {
            (p.options, p.variants) = (options, variants);
        }
    }
    Ok(())
}

/// One product's options and variants, for staff.
pub async fn of_product(conn: &mut Conn, product_id: i64, currency: Currency) -> Result<(Vec<ProductOption>, Vec<Variant>), sqlx::Error> {
    Ok(Loaded::read(conn, Some(&[product_id])).await?.take(product_id, currency).unwrap_or_default())
}

/// A line's variant as it is now: the product must have it.
pub struct LineVariant {
    pub id: i64,
    pub title: String,
    pub sku: String,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub market_prices: Vec<Money>,
    pub stock: i64,
}

/// The variant `variant_id` of product `product_id`, if the product has it.
pub async fn line_variant(conn: &mut Conn, product_id: i64, variant_id: i64) -> Result<Option<LineVariant>, sqlx::Error> {
    let options: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM product_options WHERE product_id = $1").bind(product_id).fetch_one(&mut *conn).await?;
    let row: Option<VariantRow> = sqlx::query_as(&format!("SELECT {VARIANT_COLUMNS} FROM variants WHERE id = $1 AND product_id = $2"))
        .bind(variant_id)
        .bind(product_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| {
        let title = [r.option1.as_str(), r.option2.as_str(), r.option3.as_str()][..(options as usize).clamp(1, 3)].join(" / ");
        let market_prices = crate::catalogue::market_prices::read(&r.market_prices).unwrap_or_default();
        LineVariant { id: r.id, title, sku: r.sku.unwrap_or_default(), price_minor: r.price_minor, compare_at_minor: r.compare_at_minor, market_prices, stock: r.stock }
    }))
}

/// Whether the product is sold in variants (then a line must name one).
pub async fn has_variants(conn: &mut Conn, product_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM variants WHERE product_id = $1").bind(product_id).fetch_one(&mut *conn).await?;
    Ok(n > 0)
}

/// Replaces the product's options and variants with `edit`, in `tx`. Variants keep
/// their ids (so carts naming them still find them); those no longer listed are
/// deleted, and carts lose them. A changed stock is saved only if it is still what the
/// form showed.
pub async fn write(tx: &mut Tx<'_>, product_id: i64, edit: &VariantsEdit, photo_ids: &[i64]) -> Result<(), ApiError> {
    let before: Vec<(i64, i64)> = sqlx::query_as("SELECT id, stock FROM variants WHERE product_id = $1").bind(product_id).fetch_all(&mut **tx).await?;
    for v in &edit.variants {
        if let Some(id) = v.id {
            let Some((_, stock)) = before.iter().find(|(b, _)| *b == id) else {
                return Err(FieldError::new("variants", format!("{}: this variant was deleted meanwhile; reload the page.", v.title())).into());
            };
            if let Some(was) = v.stock_was {
                if was != *stock && v.stock != was {
                    return Err(FieldError::new("variants", format!("{}: stock changed from {was} to {stock} while this page was open (orders take stock). Check the count and save again.", v.title())).into());
                }
            }
        }
        if let Some(photo) = v.photo_id {
            if !photo_ids.contains(&photo) {
                return Err(FieldError::new("variants", format!("{}: that photo is not one of this product's.", v.title())).into());
            }
        }
        if let Some(sku) = &v.sku {
            let taken: Option<String> = sqlx::query_scalar(
                "SELECT p.name FROM variants v JOIN products p ON p.id = v.product_id WHERE v.sku = $1 AND v.product_id <> $2 \
                 UNION SELECT name FROM products WHERE sku = $1 AND id <> $2",
            )
            .bind(sku)
            .bind(product_id)
            .fetch_optional(&mut **tx)
            .await?;
            if let Some(name) = taken {
                return Err(FieldError::new("variants", format!("{}: “{name}” already has the SKU {sku}.", v.title())).into());
            }
        }
    }
    let kept: Vec<i64> = edit.variants.iter().filter_map(|v| v.id).collect();
    let removed: Vec<i64> = before.iter().map(|(id, _)| *id).filter(|id| !kept.contains(id)).collect();
    for id in &removed {
        sqlx::query("DELETE FROM cart_items WHERE product_id = $1 AND variant_id = $2").bind(product_id).bind(id).execute(&mut **tx).await?;
        sqlx::query("DELETE FROM variants WHERE id = $1").bind(id).execute(&mut **tx).await?;
    }
    // SKUs and combinations are unique: clear them on the kept rows first, so two
    // variants can swap them in one save.
    sqlx::query("UPDATE variants SET sku = NULL, option1 = '#' || CAST(id AS TEXT) WHERE product_id = $1").bind(product_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM product_options WHERE product_id = $1").bind(product_id).execute(&mut **tx).await?;
    for (position, option) in (1_i64..).zip(&edit.options) {
        let values = serde_json::to_string(&option.values).map_err(|e| ApiError::Internal(e.to_string()))?;
        sqlx::query("INSERT INTO product_options (product_id, position, name, option_values) VALUES ($1, $2, $3, $4)")
            .bind(product_id)
            .bind(position)
            .bind(&option.name)
            .bind(values)
            .execute(&mut **tx)
            .await?;
    }
    for (position, v) in (1_i64..).zip(&edit.variants) {
        let value = |i: usize| v.options.get(i).cloned().unwrap_or_default();
        // A stock left as the form showed keeps what orders made of it meanwhile.
        let stock = match (v.id, v.stock_was) {
            (Some(id), Some(was)) if v.stock == was => before.iter().find(|(b, _)| *b == id).map_or(v.stock, |(_, s)| *s),
            _ => v.stock,
        };
        let sql = if v.id.is_some() {
            "UPDATE variants SET position = $1, sku = $2, option1 = $3, option2 = $4, option3 = $5, price_minor = $6, compare_at_minor = $7, stock = $8, weight_grams = $9, photo_id = $10, \
             market_prices = COALESCE($11, market_prices) WHERE id = $12 AND product_id = $13"
        } else {
            "INSERT INTO variants (position, sku, option1, option2, option3, price_minor, compare_at_minor, stock, weight_grams, photo_id, market_prices, product_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, COALESCE($11, '[]'), $12)"
        };
        let mut query = sqlx::query(sql)
            .bind(position)
            .bind(v.sku.clone())
            .bind(value(0))
            .bind(value(1))
            .bind(value(2))
            .bind(v.price_minor)
            .bind(v.compare_at_minor)
            .bind(stock)
            .bind(v.weight_grams)
            .bind(v.photo_id)
            .bind(v.market_prices.as_deref().map(crate::catalogue::market_prices::write));
        if let Some(id) = v.id {
            query = query.bind(id);
        }
        query.bind(product_id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Sets the product's own price, "was" price and stock from its variants, when it has
/// any (see `aisle_domain::catalogue::variant::product_figures`).
pub async fn refresh_product(tx: &mut Tx<'_>, product_id: i64) -> Result<(), sqlx::Error> {
    let variants: Vec<(i64, Option<i64>, i64)> = sqlx::query_as("SELECT price_minor, compare_at_minor, stock FROM variants WHERE product_id = $1 ORDER BY position, id")
        .bind(product_id)
        .fetch_all(&mut **tx)
        .await?;
    let Some((price, compare_at, stock)) = product_figures(&variants) else { return Ok(()) };
    sqlx::query("UPDATE products SET price_minor = $1, compare_at_minor = $2, stock = $3 WHERE id = $4")
        .bind(price)
        .bind(compare_at)
        .bind(stock)
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
