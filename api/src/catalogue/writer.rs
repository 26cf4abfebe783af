//! Every write to the catalogue goes through here: products created, edited, imported
//! and deleted by staff (each with its audit entry), their photos added, arranged and
//! removed, categories added, renamed,
//! reordered and deleted, and stock taken by an order, given
//! back by a cancellation or a return, or set by staff. Each write takes the next
//! catalogue version (so offline copies sync it). Once committed, [`catalogue_changed`]
//! and [`stock_changed`] evict the cached answers, rebuild search or tell open product
//! pages, and tell the other instances.

use crate::{
    catalogue::{self, admin, admin::import_plan::ImportRow},
    platform::{clock, db::{self, Tx}, error::ApiError},
    AppState,
};
use aisle_domain::{
    catalogue::{
        edit::{CategoryEdit, FieldChange, Gtin, ProductEdit},
        variant::VariantsEdit,
        photo::{Photo, PhotoArrangement, MAX_PHOTOS},
        translation::ProductTranslation,
        stock::{StockUpdate, VariantStock},
        tree,
    },
    catalogue::import::ImportReport,
    customer::FieldError,
    Currency,
    ErrorCode,
    Lang,
};

/// Takes stock for a line: the variant's, when it is one, and the product's (for a
/// product with variants, the stock of all together). The `stock >= n` guards make
/// overselling impossible.
pub async fn take_stock(tx: &mut Tx<'_>, product_id: i64, variant_id: Option<i64>, quantity: u32) -> Result<(), ApiError> {
    let sold_out = || ApiError::Conflict { code: ErrorCode::SoldOut, message: "Not enough stock is left for this change.".into() };
    if let Some(variant) = variant_id {
        let r = sqlx::query("UPDATE variants SET stock = stock - $1 WHERE id = $2 AND product_id = $3 AND stock >= $4")
            .bind(i64::from(quantity))
            .bind(variant)
            .bind(product_id)
            .bind(i64::from(quantity))
            .execute(&mut **tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(sold_out());
        }
    }
    let version = catalogue::store::next_catalogue_versions(tx, 1).await?;
    let r = sqlx::query("UPDATE products SET stock = stock - $1, updated_at = $2, version = $3 WHERE id = $4 AND stock >= $5")
        .bind(i64::from(quantity))
        .bind(clock::now())
        .bind(version)
        .bind(product_id)
        .bind(i64::from(quantity))
        .execute(&mut **tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(sold_out());
    }
    Ok(())
}

/// Gives a line's stock back (a cancellation, a return, a lowered quantity): to the
/// variant, if it is still sold, and to the product.
pub async fn give_back_stock(tx: &mut Tx<'_>, product_id: i64, variant_id: Option<i64>, quantity: u32) -> Result<(), sqlx::Error> {
    if let Some(variant) = variant_id {
        let r = sqlx::query("UPDATE variants SET stock = stock + $1 WHERE id = $2 AND product_id = $3")
            .bind(i64::from(quantity))
            .bind(variant)
            .bind(product_id)
            .execute(&mut **tx)
            .await?;
        // A variant deleted since is not sold any more: its units are not the
        // product's to sell either.
        if r.rows_affected() == 0 {
            return Ok(());
        }
    }
    let version = catalogue::store::next_catalogue_versions(tx, 1).await?;
    sqlx::query("UPDATE products SET stock = stock + $1, updated_at = $2, version = $3 WHERE id = $4")
        .bind(i64::from(quantity))
        .bind(clock::now())
        .bind(version)
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_stock(state: &AppState, product_id: i64, stock: i64) -> Result<(), ApiError> {
    if !(0..=1_000_000).contains(&stock) {
        return Err(ApiError::bad_request("Stock must be a whole number from 0 to 1000000."));
    }
    let mut tx = state.db.begin().await?;
    if catalogue::variants::has_variants(&mut tx, product_id).await? {
        return Err(ApiError::bad_request("This product's stock is kept per variant: set it on each variant."));
    }
    let version = catalogue::store::next_catalogue_versions(&mut tx, 1).await?;
    let r = sqlx::query("UPDATE products SET stock = $1, updated_at = $2, version = $3 WHERE id = $4")
        .bind(stock)
        .bind(clock::now())
        .bind(version)
        .bind(product_id)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(ApiError::not_found("There is no such product."));
    }
    tx.commit().await?;
    stock_changed(state, vec![product_id]).await;
    Ok(())
}

/// Every committed stock change ends here: this instance follows it (see
/// [`follow_stock_change`]), then the other instances are told, on PostgreSQL.
pub async fn stock_changed(state: &AppState, ids: Vec<i64>) {
    follow_stock_change(state, &ids).await;
    // Only the instance that made the change: one e-mail per alert, not one per
    // instance. The change is committed; a failure here is retried at the next one.
    if let Err(error) = super::alerts::notify_back_in_stock(state, &ids).await {
        tracing::warn!(?error, "cannot send back-in-stock e-mails");
    }
    state.fanout.send(crate::platform::fanout::Signal::Stock { ids });
}

/// The products' cached answers are dropped (only after the commit, so no read can
/// cache the old row again; see `product_cache`), then open product pages on this
/// instance are told the new stock. Also what another instance's stock signal does.
pub async fn follow_stock_change(state: &AppState, ids: &[i64]) {
    for &id in ids {
        state.products.evict(id);
    }
    for &id in ids {
        if let Ok(stock) = sqlx::query_scalar::<_, i64>("SELECT stock FROM products WHERE id = $1").bind(id).fetch_one(&state.db).await {
            state.categories.stock.set(id, stock);
            let variants = sqlx::query_as::<_, (i64, i64)>("SELECT id, stock FROM variants WHERE product_id = $1 ORDER BY position")
                .bind(id)
                .fetch_all(&state.db)
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|(id, stock)| VariantStock { id, stock })
                .collect::<Vec<_>>();
            for v in &variants {
                state.categories.stock.set_variant(v.id, v.stock);
            }
            // No open product page is not an error.
            let _ = state.stock_updates.send(StockUpdate { product_id: id, stock, variants });
        }
    }
}

/// Who made an edit, for the audit list.
pub struct Editor<'a> {
    pub id: i64,
    pub name: &'a str,
}

/// What a product write did, for the audit list.
#[derive(Clone, Copy)]
pub enum Action {
    Created,
    Edited,
    Duplicated,
    Deleted,
    Imported,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Edited => "edited",
            Action::Duplicated => "duplicated",
            Action::Deleted => "deleted",
            Action::Imported => "imported",
        }
    }
}

async fn audit(tx: &mut Tx<'_>, product_id: i64, by: &Editor<'_>, action: Action, changes: &[FieldChange]) -> Result<(), ApiError> {
    let changes = serde_json::json!({ "action": action.as_str(), "changes": changes }).to_string();
    sqlx::query("INSERT INTO product_audit (product_id, at, staff_id, staff_name, changes) VALUES ($1, $2, $3, $4, $5)")
        .bind(product_id)
        .bind(clock::now())
        .bind(by.id)
        .bind(by.name)
        .bind(changes)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The slug and SKU must be the product's own; checked in the transaction that saves,
/// so the message names the field (the unique indexes stay the last word).
async fn check_unique(tx: &mut Tx<'_>, id: Option<i64>, edit: &ProductEdit) -> Result<(), ApiError> {
    let other = id.unwrap_or(0);
    let slug: Option<String> = sqlx::query_scalar("SELECT name FROM products WHERE slug = $1 AND id <> $2").bind(&edit.slug).bind(other).fetch_optional(&mut **tx).await?;
    if let Some(name) = slug {
        return Err(FieldError::new("slug", format!("“{name}” already has the web address /p/{}: choose another.", edit.slug)).into());
    }
    if let Some(sku) = &edit.sku {
        let taken: Option<String> = sqlx::query_scalar("SELECT name FROM products WHERE sku = $1 AND id <> $2").bind(sku).bind(other).fetch_optional(&mut **tx).await?;
        if let Some(name) = taken {
            return Err(FieldError::new("sku", format!("“{name}” already has the SKU {sku}.")).into());
        }
    }
    let category: Option<String> = sqlx::query_scalar("SELECT name FROM categories WHERE id = $1").bind(edit.category_id).fetch_optional(&mut **tx).await?;
    if category.is_none() {
        return Err(FieldError::new("category_id", "That category no longer exists: please choose another.").into());
    }
    Ok(())
}

/// Adds a product.
pub async fn create_product(state: &AppState, by: &Editor<'_>, edit: &ProductEdit, action: Action) -> Result<i64, ApiError> {
    let currency = admin::store::shop_currency(&state.db).await?;
    // Under the write lock, so two staff saving the same slug are told, not refused by
    // the unique index with a 500.
    let mut tx = db::begin_write(&state.db).await?;
    check_unique(&mut tx, None, edit).await?;
    let version = catalogue::store::next_catalogue_versions(&mut tx, 1).await?;
    let id = insert_row(&mut tx, edit, currency, version).await?;
    audit(&mut tx, id, by, action, &[]).await?;
    tx.commit().await?;
    catalogue_changed(state, vec![id]).await;
    Ok(id)
}

/// Saves an edit. A changed stock is saved only if the stock is still what the form
/// showed (`stock_was`): orders take stock while staff edit, and a count typed over a
/// sale would sell what is not there.
pub async fn update_product(state: &AppState, by: &Editor<'_>, id: i64, edit: &ProductEdit) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    // The version first: every stock write takes one, and the counter's row stays
    // locked until commit, so no order can take stock between the read below and the
    // write (an order's single UPDATE does not take the write lock).
    let version = catalogue::store::next_catalogue_versions(&mut tx, 1).await?;
    let before = admin::store::staff_product(&mut tx, id).await?.ok_or_else(|| ApiError::not_found("There is no such product."))?;
    check_unique(&mut tx, Some(id), edit).await?;
    let stock = match edit.stock_was {
        // A product with variants keeps its stock per variant (see `set_variants`).
        _ if !before.variants.is_empty() => before.stock,
        Some(was) if edit.stock == was => before.stock,
        Some(was) if before.stock != was => {
            return Err(FieldError::new(
                "stock",
                format!("Stock changed from {was} to {} while this page was open (orders take stock). Check the count and save again.", before.stock),
            )
            .into())
        }
        _ => edit.stock,
    };
    let category_name: String = sqlx::query_scalar("SELECT name FROM categories WHERE id = $1").bind(edit.category_id).fetch_one(&mut *tx).await?;
    let applied = ProductEdit { stock, ..edit.clone() };
    let changes = before.changes(&applied, &category_name);
    if changes.is_empty() {
        return Ok(());
    }
    update_row(&mut tx, id, &before.slug, &applied, version).await?;
    // Its price and stock are its variants', whatever the form said.
    catalogue::variants::refresh_product(&mut tx, id).await?;
    audit(&mut tx, id, by, Action::Edited, &changes).await?;
    // A lower price credits those who paid more (with the price, or not at all).
    crate::credit::service::protect_prices(&mut tx, state, &[id]).await?;
    tx.commit().await?;
    catalogue_changed(state, vec![id]).await;
    if before.stock != applied.stock {
        stock_changed(state, vec![id]).await;
    }
    Ok(())
}

/// Replaces a product's options and variants (see `catalogue::variants::write`); the
/// product's own price and stock follow them. Carts lose the variants deleted.
pub async fn set_variants(state: &AppState, by: &Editor<'_>, id: i64, edit: &VariantsEdit) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    // As in `update_product`: no order takes stock between the check and the write.
    let version = catalogue::store::next_catalogue_versions(&mut tx, 1).await?;
    let before = admin::store::staff_product(&mut tx, id).await?.ok_or_else(|| ApiError::not_found("There is no such product."))?;
    let photo_ids: Vec<i64> = before.photos.iter().map(|p| p.id).collect();
    catalogue::variants::write(&mut tx, id, edit, &photo_ids).await?;
    catalogue::variants::refresh_product(&mut tx, id).await?;
    sqlx::query("UPDATE products SET updated_at = $1, version = $2 WHERE id = $3").bind(clock::now()).bind(version).bind(id).execute(&mut *tx).await?;
    let titles = |v: Vec<String>| v.join(", ");
    let change = FieldChange {
        field: "variants".into(),
        from: titles(before.variants.iter().map(|v| v.title()).collect()),
        to: titles(edit.variants.iter().map(|v| v.title()).collect()),
    };
    audit(&mut tx, id, by, Action::Edited, &[change]).await?;
    crate::credit::service::protect_prices(&mut tx, state, &[id]).await?;
    tx.commit().await?;
    catalogue_changed(state, vec![id]).await;
    stock_changed(state, vec![id]).await;
    Ok(())
}

/// Deletes a product that was never ordered (one that was is archived instead, so its
/// orders keep it). Carts holding it lose it; offline copies drop it at their next sync.
pub async fn delete_product(state: &AppState, by: &Editor<'_>, id: i64) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    // As in `update_product`: no order slips in between the check and the delete.
    let version = catalogue::store::next_catalogue_versions(&mut tx, 1).await?;
    let before = admin::store::staff_product(&mut tx, id).await?.ok_or_else(|| ApiError::not_found("There is no such product."))?;
    if before.ordered > 0 {
        return Err(ApiError::Conflict {
            code: ErrorCode::Refused,
            message: format!("“{}” is in {} order(s), so it cannot be deleted: archive it instead, and the orders keep it.", before.name, before.ordered),
        });
    }
    sqlx::query("DELETE FROM cart_items WHERE product_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM product_translations WHERE product_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM products WHERE id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO product_tombstones (product_id, version) VALUES ($1, $2) ON CONFLICT (product_id) DO UPDATE SET version = excluded.version")
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    let gone = [FieldChange { field: "name".into(), from: before.name.clone(), to: String::new() }];
    audit(&mut tx, id, by, Action::Deleted, &gone).await?;
    tx.commit().await?;
    catalogue_changed(state, vec![id]).await;
    Ok(())
}

/// Saves product `id`'s content in one of the shop's other languages, or removes it
/// (`None`): shoppers reading in that language then get the shop's own, marked.
pub async fn set_translation(state: &AppState, by: &Editor<'_>, id: i64, lang: Lang, translation: Option<&ProductTranslation>) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    let version = catalogue::store::next_catalogue_versions(&mut tx, 1).await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM products WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    if exists.is_none() {
        return Err(ApiError::not_found("There is no such product."));
    }
    let before: Option<(String, String, String)> = sqlx::query_as("SELECT name, slug, description FROM product_translations WHERE product_id = $1 AND lang = $2")
        .bind(id)
        .bind(lang.code())
        .fetch_optional(&mut *tx)
        .await?;
    let after = translation.map(|t| (t.name.clone(), t.slug.clone(), t.description.clone()));
    if before == after {
        return Ok(());
    }
    match translation {
        Some(t) => {
            // A translated address must lead to one product only, in any language.
            let taken: Option<String> = sqlx::query_scalar(
                "SELECT p.name FROM products p WHERE p.id <> $1 AND (p.slug = $2 OR EXISTS (SELECT 1 FROM product_translations t WHERE t.product_id = p.id AND t.slug = $2))",
            )
            .bind(id)
            .bind(&t.slug)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(name) = taken {
                return Err(FieldError::new("slug", format!("“{name}” already has the web address /p/{}: choose another.", t.slug)).into());
            }
            sqlx::query(
                "INSERT INTO product_translations (product_id, lang, name, slug, description) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (product_id, lang) DO UPDATE SET name = excluded.name, slug = excluded.slug, description = excluded.description",
            )
            .bind(id)
            .bind(lang.code())
            .bind(&t.name)
            .bind(&t.slug)
            .bind(&t.description)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM product_translations WHERE product_id = $1 AND lang = $2").bind(id).bind(lang.code()).execute(&mut *tx).await?;
        }
    }
    sqlx::query("UPDATE products SET updated_at = $1, version = $2 WHERE id = $3").bind(clock::now()).bind(version).bind(id).execute(&mut *tx).await?;
    let change = FieldChange {
        field: format!("translation_{}", lang.code()),
        from: before.map(|b| b.0).unwrap_or_default(),
        to: after.map(|a| a.0).unwrap_or_default(),
    };
    audit(&mut tx, id, by, Action::Edited, &[change]).await?;
    tx.commit().await?;
    catalogue_changed(state, vec![id]).await;
    Ok(())
}

/// Adds a photo whose files are stored to the end of product `id`'s photos.
pub async fn add_photo(state: &AppState, by: &Editor<'_>, id: i64, photo: Photo) -> Result<(), ApiError> {
    change_photos(state, by, id, |mut photos| {
        room_for_a_photo(photos.len())?;
        let id = photos.iter().map(|p| p.id).max().unwrap_or(0) + 1;
        photos.push(Photo { id, ..photo });
        Ok(photos)
    })
    .await
}

/// Refuses a photo more for a product that has `count`.
pub fn room_for_a_photo(count: usize) -> Result<(), ApiError> {
    if count >= MAX_PHOTOS {
        return Err(FieldError::new("photos", format!("A product can have at most {MAX_PHOTOS} photos: remove one first.")).into());
    }
    Ok(())
}

/// Reorders, describes and removes product `id`'s photos in one write.
pub async fn arrange_photos(state: &AppState, by: &Editor<'_>, id: i64, arrangement: &PhotoArrangement) -> Result<(), ApiError> {
    change_photos(state, by, id, |photos| arrangement.apply(&photos).map_err(|e| FieldError::new("photos", e).into())).await
}

/// Gives product `to` the photos of product `from` (a duplicate): the files are shared,
/// as they never change.
pub async fn copy_photos(state: &AppState, by: &Editor<'_>, from: &[Photo], to: i64) -> Result<(), ApiError> {
    let from = from.to_vec();
    change_photos(state, by, to, move |_| Ok(from)).await
}

/// Sets the photos of many products at once (the demo shop's), in one transaction.
pub async fn set_photos(state: &AppState, photos: Vec<(i64, Vec<Photo>)>) -> Result<(), ApiError> {
    if photos.is_empty() {
        return Ok(());
    }
    let mut tx = db::begin_write(&state.db).await?;
    let last = catalogue::store::next_catalogue_versions(&mut tx, photos.len() as i64).await?;
    let first = last - photos.len() as i64 + 1;
    for (i, (id, list)) in photos.iter().enumerate() {
        write_photos(&mut tx, *id, list, first + i as i64).await?;
    }
    tx.commit().await?;
    catalogue_changed(state, photos.into_iter().map(|(id, _)| id).collect()).await;
    Ok(())
}

async fn change_photos(state: &AppState, by: &Editor<'_>, id: i64, change: impl FnOnce(Vec<Photo>) -> Result<Vec<Photo>, ApiError>) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    let version = catalogue::store::next_catalogue_versions(&mut tx, 1).await?;
    let before: String = sqlx::query_scalar("SELECT photos FROM products WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::not_found("There is no such product."))?;
    let before = catalogue::store::photos(&before)?;
    let after = change(before.clone())?;
    if after == before {
        return Ok(());
    }
    write_photos(&mut tx, id, &after, version).await?;
    let describe = |photos: &[Photo]| photos.iter().map(|p| p.alt.as_str()).collect::<Vec<_>>().join(" · ");
    let change = FieldChange { field: "photos".into(), from: describe(&before), to: describe(&after) };
    audit(&mut tx, id, by, Action::Edited, &[change]).await?;
    tx.commit().await?;
    catalogue_changed(state, vec![id]).await;
    Ok(())
}

/// Writes product `id`'s photos column, as a change of catalogue version `version`.
async fn write_photos(tx: &mut Tx<'_>, id: i64, photos: &[Photo], version: i64) -> Result<(), ApiError> {
    let json = serde_json::to_string(photos).map_err(|e| ApiError::Internal(e.to_string()))?;
    sqlx::query("UPDATE products SET photos = $1, updated_at = $2, version = $3 WHERE id = $4")
        .bind(json)
        .bind(clock::now())
        .bind(version)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// After a committed edit: this instance follows it, the others are told.
pub async fn catalogue_changed(state: &AppState, ids: Vec<i64>) {
    follow_catalogue_change(state, &ids).await;
    state.fanout.send(crate::platform::fanout::Signal::Catalogue { ids });
}

/// Cached answers of the products go, and search is built again from what is on sale.
/// Also what another instance's edit signal does.
pub async fn follow_catalogue_change(state: &AppState, ids: &[i64]) {
    follow_stars_change(state, ids);
    if let Err(error) = state.search.rebuild(&state.db).await {
        tracing::warn!(?error, "cannot rebuild the search index after a catalogue edit");
    }
}

/// After a committed change to products' published stars (a review written, edited,
/// deleted, published or hidden): this instance follows it, the others are told.
/// Search is not built again: it indexes words, and stars are read with the results.
pub async fn stars_changed(state: &AppState, ids: Vec<i64>) {
    follow_stars_change(state, &ids);
    state.fanout.send(crate::platform::fanout::Signal::Stars { ids });
}

/// The products' cached answers go, and the category shelves (the stars filter and
/// best-rated sort read them). Also what another instance's stars signal does.
pub fn follow_stars_change(state: &AppState, ids: &[i64]) {
    for &id in ids {
        state.products.evict(id);
    }
    state.categories.clear();
}

/// Writes a new product's row; its id.
async fn insert_row(tx: &mut Tx<'_>, edit: &ProductEdit, currency: Currency, version: i64) -> Result<i64, ApiError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO products (slug, name, description, category_id, price_minor, compare_at_minor, currency, stock, brand, sku, barcode, weight_grams, tax_class, status, updated_at, version, market_prices) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(&edit.slug)
    .bind(&edit.name)
    .bind(&edit.description)
    .bind(edit.category_id)
    .bind(edit.price_minor)
    .bind(edit.compare_at_minor)
    .bind(currency.code())
    .bind(edit.stock)
    .bind(&edit.brand)
    .bind(&edit.sku)
    .bind(edit.barcode.as_ref().map(Gtin::as_str))
    .bind(edit.weight_grams)
    .bind(edit.tax_class.as_str())
    .bind(edit.status.as_str())
    .bind(clock::now())
    .bind(version)
    .bind(super::market_prices::write(edit.market_prices.as_deref().unwrap_or_default()))
    .fetch_one(&mut **tx)
    .await?;
    // A deletion recorded under the same id (SQLite can hand out the id of the last
    // product deleted) is forgotten: an offline copy must not drop the new product.
    sqlx::query("DELETE FROM product_tombstones WHERE product_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM product_old_slugs WHERE slug = $1").bind(&edit.slug).execute(&mut **tx).await?;
    Ok(id)
}

/// Writes an edit over product `id`, whose web address was `old_slug`.
async fn update_row(tx: &mut Tx<'_>, id: i64, old_slug: &str, edit: &ProductEdit, version: i64) -> Result<(), ApiError> {
    sqlx::query(
        "UPDATE products SET slug = $1, name = $2, description = $3, category_id = $4, price_minor = $5, compare_at_minor = $6, stock = $7, \
         brand = $8, sku = $9, barcode = $10, weight_grams = $11, tax_class = $12, status = $13, updated_at = $14, version = $15, \
         market_prices = COALESCE($17, market_prices) WHERE id = $16",
    )
    .bind(&edit.slug)
    .bind(&edit.name)
    .bind(&edit.description)
    .bind(edit.category_id)
    .bind(edit.price_minor)
    .bind(edit.compare_at_minor)
    .bind(edit.stock)
    .bind(&edit.brand)
    .bind(&edit.sku)
    .bind(edit.barcode.as_ref().map(Gtin::as_str))
    .bind(edit.weight_grams)
    .bind(edit.tax_class.as_str())
    .bind(edit.status.as_str())
    .bind(clock::now())
    .bind(version)
    .bind(id)
    .bind(edit.market_prices.as_deref().map(super::market_prices::write))
    .execute(&mut **tx)
    .await?;
    if old_slug != edit.slug {
        // The old address keeps working (a 301 to the new one); the new one is this
        // product's own now, even if another product once had it.
        sqlx::query("DELETE FROM product_old_slugs WHERE slug = $1").bind(&edit.slug).execute(&mut **tx).await?;
        sqlx::query("INSERT INTO product_old_slugs (slug, product_id) VALUES ($1, $2) ON CONFLICT (slug) DO UPDATE SET product_id = excluded.product_id")
            .bind(old_slug)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Applies an import file: planned again under the write lock (so it is checked
/// against the shop as it is now, not as it was at the preview), then, if no row has
/// an error, every row in one transaction. Stock is set to the file's count.
pub async fn import_products(state: &AppState, by: &Editor<'_>, csv: &str) -> Result<ImportReport, ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    let (mut report, rows) = admin::import_plan::plan(&mut tx, csv, &state.emails.shop.url).await?;
    if !report.errors.is_empty() || rows.is_empty() {
        return Ok(report);
    }
    let currency = admin::store::shop_currency_in(&mut tx).await?;
    let last = catalogue::store::next_catalogue_versions(&mut tx, rows.len() as i64).await?;
    let first = last - rows.len() as i64 + 1;
    let (mut ids, mut stock_ids) = (Vec::with_capacity(rows.len()), Vec::new());
    for (i, row) in rows.iter().enumerate() {
        let version = first + i as i64;
        match row {
            ImportRow::New { edit, photos, variants } => {
                let id = insert_row(&mut tx, edit, currency, version).await.map_err(clash)?;
                if let Some(photos) = photos {
                    write_photos(&mut tx, id, photos, version).await?;
                }
                if let Some(v) = variants {
                    let photo_ids: Vec<i64> = photos.iter().flatten().map(|p| p.id).collect();
                    catalogue::variants::write(&mut tx, id, v, &photo_ids).await?;
                    catalogue::variants::refresh_product(&mut tx, id).await?;
                }
                audit(&mut tx, id, by, Action::Imported, &[]).await?;
                ids.push(id);
            }
            ImportRow::Edit { id, edit, changes, stock_changed, photos, variants } => {
                let old_slug = changes.iter().find(|c| c.field == "slug").map_or(edit.slug.as_str(), |c| c.from.as_str());
                update_row(&mut tx, *id, old_slug, edit, version).await.map_err(clash)?;
                if let Some(photos) = photos {
                    write_photos(&mut tx, *id, photos, version).await?;
                }
                if let Some(v) = variants {
                    let photo_ids: Vec<i64> = match photos {
                        Some(p) => p.iter().map(|p| p.id).collect(),
                        None => admin::store::staff_product(&mut tx, *id).await?.map(|p| p.photos.iter().map(|p| p.id).collect()).unwrap_or_default(),
                    };
                    catalogue::variants::write(&mut tx, *id, v, &photo_ids).await?;
                }
                // Its price and stock are its variants' (a no-op without variants).
                catalogue::variants::refresh_product(&mut tx, *id).await?;
                audit(&mut tx, *id, by, Action::Imported, changes).await?;
                ids.push(*id);
                if *stock_changed {
                    stock_ids.push(*id);
                }
            }
        }
    }
    crate::credit::service::protect_prices(&mut tx, state, &ids).await?;
    tx.commit().await?;
    catalogue_changed(state, ids).await;
    if !stock_ids.is_empty() {
        stock_changed(state, stock_ids).await;
    }
    report.applied = true;
    Ok(report)
}

/// A web address or SKU taken by a row written earlier in the same file under another
/// handle — the plan checks handles and SKUs, the unique indexes have the last word.
fn clash(e: ApiError) -> ApiError {
    match e {
        ApiError::Database(sqlx::Error::Database(d)) if d.is_unique_violation() => ApiError::Conflict {
            code: ErrorCode::Refused,
            message: "Two rows of the file, or a row and a product of the shop, would share a web address (Handle) or SKU. Nothing was saved.".into(),
        },
        other => other,
    }
}

/// The name and web address must be the category's own.
async fn check_category(tx: &mut Tx<'_>, id: Option<i64>, edit: &CategoryEdit) -> Result<(), ApiError> {
    let other = id.unwrap_or(0);
    let taken: Option<String> = sqlx::query_scalar("SELECT name FROM categories WHERE (slug = $1 OR LOWER(name) = LOWER($2)) AND id <> $3")
        .bind(&edit.slug)
        .bind(&edit.name)
        .bind(other)
        .fetch_optional(&mut **tx)
        .await?;
    match taken {
        Some(name) if name.eq_ignore_ascii_case(&edit.name) => Err(FieldError::new("name", format!("There is already a category called “{name}”.")).into()),
        Some(name) => Err(FieldError::new("slug", format!("“{name}” already has the web address /c/{}: choose another.", edit.slug)).into()),
        None => Ok(()),
    }
}

/// Refuses a parent that would make a circle or a fourth level (see `tree`).
async fn check_parent(tx: &mut Tx<'_>, id: Option<i64>, parent: Option<i64>) -> Result<(), ApiError> {
    if parent.is_none() {
        return Ok(());
    }
    let tree: Vec<(i64, Option<i64>)> = sqlx::query_as("SELECT id, parent_id FROM categories").fetch_all(&mut **tx).await?;
    let tree: Vec<Node> = tree.into_iter().map(|(id, parent)| Node { id, parent }).collect();
    tree::check_parent(&tree, id, parent).map_err(|e| FieldError::new("parent_id", e).into())
}

/// A category's place, for checking a move against the tree.
struct Node {
    id: i64,
    parent: Option<i64>,
}

impl tree::Branch for Node {
    fn id(&self) -> i64 {
        self.id
    }
    fn parent(&self) -> Option<i64> {
        self.parent
    }
}

/// Writes a category's translations as the form has them: a language left out has none.
async fn write_category_texts(tx: &mut Tx<'_>, id: i64, edit: &CategoryEdit) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM category_translations WHERE category_id = $1").bind(id).execute(&mut **tx).await?;
    for t in &edit.translations {
        sqlx::query("INSERT INTO category_translations (category_id, lang, name, description) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(t.lang.code())
            .bind(&t.name)
            .bind(&t.description)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Adds a category, last in the shop's order.
pub async fn create_category(state: &AppState, edit: &CategoryEdit) -> Result<i64, ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    check_category(&mut tx, None, edit).await?;
    check_parent(&mut tx, None, edit.parent_id).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO categories (slug, name, description, parent_id, position) VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM categories)) RETURNING id",
    )
    .bind(&edit.slug)
    .bind(&edit.name)
    .bind(&edit.description)
    .bind(edit.parent_id)
    .fetch_one(&mut *tx)
    .await?;
    write_category_texts(&mut tx, id, edit).await?;
    tx.commit().await?;
    catalogue_changed(state, Vec::new()).await;
    Ok(id)
}

/// Renames or moves a category. Its products show the new name and address: each
/// takes a new catalogue version, so offline copies get them again, and leaves every
/// cache.
pub async fn update_category(state: &AppState, id: i64, edit: &CategoryEdit) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM categories WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    if exists.is_none() {
        return Err(ApiError::not_found("There is no such category."));
    }
    check_category(&mut tx, Some(id), edit).await?;
    check_parent(&mut tx, Some(id), edit.parent_id).await?;
    sqlx::query("UPDATE categories SET slug = $1, name = $2, description = $3, parent_id = $4 WHERE id = $5")
        .bind(&edit.slug)
        .bind(&edit.name)
        .bind(&edit.description)
        .bind(edit.parent_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    write_category_texts(&mut tx, id, edit).await?;
    // Every product carries its category's name in each language: all of them are
    // written again, whatever changed (categories change seldom).
    let ids = touch_category_products(&mut tx, id).await?;
    tx.commit().await?;
    catalogue_changed(state, ids).await;
    Ok(())
}

/// Gives each product in category `id` a new catalogue version, so offline copies and
/// caches take its category's new name or photo; the products' ids.
async fn touch_category_products(tx: &mut Tx<'_>, id: i64) -> Result<Vec<i64>, ApiError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM products WHERE category_id = $1 ORDER BY id").bind(id).fetch_all(&mut **tx).await?;
    if !ids.is_empty() {
        let last = catalogue::store::next_catalogue_versions(tx, ids.len() as i64).await?;
        let first = last - ids.len() as i64 + 1;
        // Distinct versions, in id order: a sync pages by version and must not
        // stop inside a run of equal ones.
        sqlx::query("UPDATE products SET version = $1 + (SELECT COUNT(*) FROM products q WHERE q.category_id = $2 AND q.id < products.id) WHERE category_id = $2")
            .bind(first)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(ids)
}

/// Gives category `id` its photo, or takes it away (`None`).
pub async fn set_category_photo(state: &AppState, id: i64, photo: Option<&Photo>) -> Result<(), ApiError> {
    let json = photo.map(serde_json::to_string).transpose().map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut tx = db::begin_write(&state.db).await?;
    let done = sqlx::query("UPDATE categories SET photo = $1 WHERE id = $2").bind(json).bind(id).execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found("There is no such category."));
    }
    tx.commit().await?;
    catalogue_changed(state, Vec::new()).await;
    Ok(())
}

/// Puts the categories in the order of `ids`, which must name each exactly once.
pub async fn reorder_categories(state: &AppState, ids: &[i64]) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    let mut all: Vec<i64> = sqlx::query_scalar("SELECT id FROM categories").fetch_all(&mut *tx).await?;
    let mut given = ids.to_vec();
    all.sort_unstable();
    given.sort_unstable();
    if all != given {
        return Err(ApiError::bad_request("ids must name every category exactly once, in the new order."));
    }
    for (position, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE categories SET position = $1 WHERE id = $2").bind(position as i64 + 1).bind(id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    // The order is part of the category list every instance keeps.
    catalogue_changed(state, Vec::new()).await;
    Ok(())
}

/// Deletes a category with no products in it (of any status).
pub async fn delete_category(state: &AppState, id: i64) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM categories WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    let Some(name) = name else { return Err(ApiError::not_found("There is no such category.")) };
    let inside: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM categories WHERE parent_id = $1").bind(id).fetch_one(&mut *tx).await?;
    if inside > 0 {
        return Err(ApiError::Conflict {
            code: ErrorCode::Refused,
            message: format!("“{name}” holds {inside} subcategor{}: move or delete them first.", if inside == 1 { "y" } else { "ies" }),
        });
    }
    let products: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE category_id = $1").bind(id).fetch_one(&mut *tx).await?;
    if products > 0 {
        return Err(ApiError::Conflict {
            code: ErrorCode::Refused,
            message: format!("“{name}” still holds {products} product(s), drafts and archived ones included: move them to another category first."),
        });
    }
    // Explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys switched on.
    sqlx::query("DELETE FROM category_translations WHERE category_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM categories WHERE id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    catalogue_changed(state, Vec::new()).await;
    Ok(())
}
