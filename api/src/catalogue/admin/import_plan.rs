//! Reading an import file into what it would change: each row checked by the product
//! form's parser against the shop as it is (handles, SKUs, categories), every problem
//! kept with its line. Nothing is written here; `writer::import_products` applies a
//! plan without errors, whole, in one transaction.

use super::store;
use crate::platform::{db::Conn, error::ApiError};
use aisle_domain::{
    catalogue::{
        edit::{FieldChange, ProductEdit, StaffProduct},
        import::{is_variant_row, option_names, photos_from, row_form, same_photos, same_variants, variant_form, variants_form, Header, ImageCell, ImportReport, LineError},
        variant::{VariantForm, VariantsEdit},
        photo::Photo,
        slugify,
    },
    Category,
};
use std::collections::HashMap;

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 50_000;

/// One row of a plan. `photos` is None where the file names none: the product keeps
/// what it has.
/// `variants` is None where the file gives a product no options: it keeps the variants
/// it has (an older export, or a file of the shop's own columns).
pub enum ImportRow {
    New { edit: ProductEdit, photos: Option<Vec<Photo>>, variants: Option<VariantsEdit> },
    Edit { id: i64, edit: ProductEdit, changes: Vec<FieldChange>, stock_changed: bool, photos: Option<Vec<Photo>>, variants: Option<VariantsEdit> },
}

/// The file's column for each field of the form, so a message names what staff see.
fn column_of(field: &str) -> &'static str {
    match field {
        "name" => "Title",
        "slug" => "Handle",
        "description" => "Body (HTML)",
        "brand" => "Vendor",
        "category_id" => "Type",
        "sku" => "Variant SKU",
        "barcode" => "Variant Barcode",
        "price" => "Variant Price",
        "compare_at" => "Variant Compare At Price",
        "stock" | "stock_was" => "Variant Inventory Qty",
        "weight_grams" => "Variant Grams",
        _ => "the row",
    }
}

/// What is wrong with a row's SKU (its product's or a variant's), if anything: another
/// row of the file has it, or another product of the shop (`owner` is the row's own
/// product, if it has one yet). A SKU seen is noted in `skus`.
fn sku_problem(sku: &str, line: u64, owner: Option<i64>, skus: &mut HashMap<String, u64>, sku_owner: &HashMap<&str, i64>) -> Option<String> {
    if let Some(other) = skus.insert(sku.to_string(), line) {
        return Some(format!("Variant SKU: {sku} is also on line {other}."));
    }
    sku_owner.get(sku).is_some_and(|id| Some(*id) != owner).then(|| format!("Variant SKU: another product of the shop has {sku}."))
}

/// `shop_url` is the shop's public address: the only one `Image Src` may name.
pub async fn plan(conn: &mut Conn, text: &str, shop_url: &str) -> Result<(ImportReport, Vec<ImportRow>), ApiError> {
    // A browser reading a file that is not UTF-8 puts U+FFFD where it could not read.
    if text.contains('\u{FFFD}') {
        return Err(ApiError::bad_request(
            "The file is not in UTF-8, so some letters cannot be read. Save it as “CSV UTF-8” (in a spreadsheet: Save as → CSV UTF-8) and import it again.",
        ));
    }
    let currency = store::shop_currency_in(conn).await?;
    let categories: Vec<Category> = store::categories_in(conn).await?;
    let existing = store::all_staff_products(conn).await?;
    let by_slug: HashMap<&str, &StaffProduct> = existing.iter().map(|p| (p.slug.as_str(), p)).collect();
    let mut sku_owner: HashMap<&str, i64> = existing.iter().filter_map(|p| Some((p.sku.as_deref()?, p.id))).collect();
    // Variants' SKUs are the shop's too: one SKU names one thing on the shelf.
    sku_owner.extend(existing.iter().flat_map(|p| p.variants.iter().filter(|v| !v.sku.is_empty()).map(move |v| (v.sku.as_str(), p.id))));

    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let names: Vec<String> = reader.headers().map_err(|e| ApiError::bad_request(format!("The first line cannot be read as CSV: {e}")))?.iter().map(str::to_string).collect();
    let header = Header::parse(&names.iter().map(String::as_str).collect::<Vec<_>>()).map_err(ApiError::bad_request)?;
    let mut report = ImportReport { ignored_columns: header.ignored.clone(), ..ImportReport::default() };
    let mut rows = Vec::new();
    let mut handles: HashMap<String, u64> = HashMap::new();
    let mut with_options: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut skus: HashMap<String, u64> = HashMap::new();
    let handle_at = names.iter().position(|n| n.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case("Handle"));
    let title_at = names.iter().position(|n| n.trim().eq_ignore_ascii_case("Title"));
    let handle_of = |cells: &[&str]| {
        let title = title_at.and_then(|i| cells.get(i)).map_or("", |t| t.trim());
        handle_at.and_then(|i| cells.get(i)).map(|h| h.trim().to_string()).filter(|h| !h.is_empty()).unwrap_or_else(|| slugify(title))
    };
    // Read whole first: a product's photos may be on the rows after its own.
    let mut records = Vec::new();
    for (n, record) in reader.records().enumerate() {
        if n >= MAX_ROWS {
            return Err(ApiError::bad_request(format!("The file has more than {MAX_ROWS} rows: split it into smaller files.")));
        }
        match record {
            Ok(r) => records.push((r.position().map_or(n as u64 + 2, |p| p.line()), r)),
            Err(e) => {
                let line = e.position().map_or(n as u64 + 2, |p| p.line());
                report.errors.push(LineError { line, message: format!("line {line}: cannot be read as CSV ({e})") });
            }
        }
    }
    // Each product's photos, from its own row and the rows Shopify adds under it, found
    // among the photos the shop already has (by the key in their address).
    let mut images: HashMap<String, Vec<ImageCell>> = HashMap::new();
    for (line, record) in &records {
        let cells: Vec<&str> = record.iter().collect();
        if let Some(cell) = ImageCell::of(&header, &cells, *line) {
            images.entry(handle_of(&cells)).or_default().push(cell);
        }
    }
    // Each product's variants: its own row's and those of the rows Shopify adds under it.
    let mut variant_rows: HashMap<String, Vec<(u64, Vec<String>)>> = HashMap::new();
    for (line, record) in &records {
        let cells: Vec<&str> = record.iter().collect();
        if is_variant_row(&header, &cells) {
            variant_rows.entry(handle_of(&cells)).or_default().push((*line, cells.iter().map(|c| c.to_string()).collect()));
        }
    }
    let known: HashMap<String, Photo> = existing.iter().flat_map(|p| p.photos.iter()).map(|ph| (ph.key.clone(), ph.clone())).collect();
    for (line, record) in &records {
        let line = *line;
        let cells: Vec<&str> = record.iter().collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let title = title_at.and_then(|i| cells.get(i)).map_or("", |t| t.trim());
        let handle = handle_of(&cells);
        let mut fail = |message: String| report.errors.push(LineError { line, message: format!("line {line}: {message}") });
        if let Some(first) = handles.get(&handle) {
            // Shopify writes a product's further pictures and variants as rows with
            // its handle and no title; the pictures are read above.
            if !title.is_empty() {
                fail(format!("Handle: {handle:?} is also on line {first}; each product is one row."));
            } else if ImageCell::of(&header, &cells, line).is_none() && !(is_variant_row(&header, &cells) && with_options.contains(&handle)) {
                // A variant row of a product whose own row names no option cannot be
                // read as a variant.
                report.skipped_rows += 1;
            }
            continue;
        }
        handles.insert(handle.clone(), line);
        let before = by_slug.get(handle.as_str()).copied();
        let names = option_names(&header, &cells);
        if !names.is_empty() {
            with_options.insert(handle.clone());
        }
        let form = match row_form(&header, &cells, before, &categories) {
            // A product with variants: the row's variant columns are its first
            // variant's, and its own SKU stays what it was.
            Ok(f) if !names.is_empty() => aisle_domain::catalogue::edit::ProductForm {
                sku: before.and_then(|b| b.sku.clone()).unwrap_or_default(),
                barcode: before.and_then(|b| b.barcode.clone()).unwrap_or_default(),
                weight_grams: before.map_or(String::new(), |b| b.weight_grams.to_string()),
                ..f
            },
            Ok(f) => f,
            Err(message) => {
                fail(message);
                continue;
            }
        };
        let edit = match form.parse(currency) {
            Ok(e) => e,
            Err(problems) => {
                for p in problems {
                    fail(format!("{}: {}", column_of(p.field), p.message));
                }
                continue;
            }
        };
        let owner = before.map(|b| b.id);
        if let Some(message) = edit.sku.as_deref().and_then(|sku| sku_problem(sku, line, owner, &mut skus, &sku_owner)) {
            fail(message);
            continue;
        }
        let variants = if names.is_empty() {
            None
        } else {
            let mut forms: Vec<VariantForm> = Vec::new();
            let mut bad = false;
            for (vline, vcells) in variant_rows.get(&handle).map(Vec::as_slice).unwrap_or_default() {
                let vcells: Vec<&str> = vcells.iter().map(String::as_str).collect();
                match variant_form(&header, &vcells, names.len()) {
                    Ok(v) => forms.push(v),
                    Err(message) => {
                        report.errors.push(LineError { line: *vline, message: format!("line {vline}: {message}") });
                        bad = true;
                    }
                }
            }
            let existing = before.map(|b| b.variants.as_slice()).unwrap_or_default();
            match variants_form(&names, forms, existing).parse(currency) {
                _ if bad => continue,
                Ok(v) => Some(v),
                Err(problems) => {
                    for p in problems {
                        report.errors.push(LineError { line, message: format!("line {line}: variants: {}", p.message) });
                    }
                    continue;
                }
            }
        };
        if let Some(v) = &variants {
            let taken = v.variants.iter().filter_map(|v| v.sku.as_deref()).find_map(|sku| sku_problem(sku, line, owner, &mut skus, &sku_owner));
            if let Some(message) = taken {
                report.errors.push(LineError { line, message: format!("line {line}: {message}") });
                continue;
            }
        }
        let photos = match images.get(&handle).map(|cells| photos_from(cells, &known, shop_url)) {
            None => None,
            Some(Ok(photos)) => Some(photos),
            Some(Err(errors)) => {
                report.errors.extend(errors);
                continue;
            }
        };
        match before {
            None => {
                report.new += 1;
                rows.push(ImportRow::New { edit, photos, variants });
            }
            Some(b) => {
                let category = categories.iter().find(|c| c.id == edit.category_id).map_or("", |c| c.name.as_str());
                let mut changes = b.changes(&edit, category);
                let photos = photos.filter(|p| !same_photos(p, &b.photos));
                if let Some(p) = &photos {
                    let describe = |photos: &[Photo]| photos.iter().map(|p| p.alt.as_str()).collect::<Vec<_>>().join(" · ");
                    changes.push(FieldChange { field: "photos".into(), from: describe(&b.photos), to: describe(p) });
                }
                // A product with variants: its price and stock are theirs (compared there).
                if let Some(v) = &variants {
                    changes.retain(|c| !matches!(c.field.as_str(), "price" | "compare_at" | "stock"));
                    if !same_variants(v, &b.options, &b.variants) {
                        let titles = |t: Vec<String>| t.join(", ");
                        changes.push(FieldChange {
                            field: "variants".into(),
                            from: titles(b.variants.iter().map(|v| v.title()).collect()),
                            to: titles(v.variants.iter().map(|v| v.title()).collect()),
                        });
                    }
                }
                if changes.is_empty() {
                    report.unchanged += 1;
                } else {
                    report.updated += 1;
                    let stock_changed = b.stock != edit.stock || variants.is_some();
                    rows.push(ImportRow::Edit { id: b.id, edit, changes, stock_changed, photos, variants });
                }
            }
        }
    }
    Ok((report, rows))
}
