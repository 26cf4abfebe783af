//! Products in and out as CSV, in the columns of Shopify's product CSV, so a shop
//! moving in brings its export and a shop moving on takes ours. This module is the
//! pure part: which columns are read, how a row becomes a product form, and the
//! report staff see before anything is saved. The API reads the file and saves.

use super::edit::{amount_text, ProductForm, ProductStatus, StaffProduct};
use crate::Category;
use serde::{Deserialize, Serialize};

/// The columns written on export and read on import, in Shopify's names. Any other
/// column is ignored (and named in the report).
pub const COLUMNS: [&str; 13] = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Type",
    "Published",
    "Status",
    "Variant SKU",
    "Variant Barcode",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Inventory Qty",
    "Variant Grams",
];

/// `POST /api/staff/products/import`: the file's text; `apply: false` only reports
/// what would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRequest {
    pub csv: String,
    #[serde(default)]
    pub apply: bool,
}

/// What an import would do, or did: counts, and every bad row with its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub new: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub errors: Vec<LineError>,
    /// Columns of the file that are not read.
    pub ignored_columns: Vec<String>,
    /// Rows that only add a picture or a variant to the product above (Shopify writes
    /// those); not read yet.
    pub skipped_rows: u32,
    /// Saved (only ever all of it, and only without errors).
    pub applied: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineError {
    /// The line in the file, the header being line 1.
    pub line: u64,
    pub message: String,
}

/// Where each read column is in the file.
#[derive(Debug, Clone, Default)]
pub struct Header {
    at: [Option<usize>; COLUMNS.len()],
    pub ignored: Vec<String>,
}

impl Header {
    pub fn parse(names: &[&str]) -> Result<Header, String> {
        let mut h = Header::default();
        for (i, name) in names.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}');
            match COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
                Some(c) if h.at[c].is_none() => h.at[c] = Some(i),
                Some(_) => return Err(format!("The column {name:?} appears twice in the first line.")),
                None => h.ignored.push(name.to_string()),
            }
        }
        if h.at[0].is_none() && h.at[1].is_none() {
            return Err("The first line must name the columns, with at least Handle or Title (as in Shopify's product CSV).".into());
        }
        Ok(h)
    }

    fn get<'a>(&self, row: &'a [&'a str], column: &str) -> Option<&'a str> {
        let c = COLUMNS.iter().position(|x| *x == column)?;
        self.at[c].and_then(|i| row.get(i).copied())
    }
}

/// A row read into the product form: the existing product's (found by handle) with the
/// file's columns on top, or a new product's. A column the file does not have keeps
/// what the product has.
pub fn row_form(header: &Header, row: &[&str], existing: Option<&StaffProduct>, categories: &[Category]) -> Result<ProductForm, String> {
    let mut f = existing.map(StaffProduct::form).unwrap_or_else(|| ProductForm { stock: "0".into(), ..ProductForm::default() });
    let col = |c: &str| header.get(row, c);
    if let Some(v) = col("Handle") {
        f.slug = v.trim().to_string();
    }
    if let Some(v) = col("Title") {
        f.name = v.to_string();
    }
    if let Some(v) = col("Body (HTML)") {
        f.description = v.to_string();
    }
    if let Some(v) = col("Vendor") {
        f.brand = v.to_string();
    }
    if let Some(v) = col("Type") {
        let v = v.trim();
        let found = categories.iter().find(|c| c.name.eq_ignore_ascii_case(v) || c.slug.eq_ignore_ascii_case(v));
        match found {
            Some(c) => f.category_id = c.id,
            None if v.is_empty() && existing.is_some() => {}
            None => {
                let names: Vec<&str> = categories.iter().map(|c| c.name.as_str()).collect();
                return Err(format!("Type: there is no category {v:?}; the shop's are {}.", names.join(", ")));
            }
        }
    } else if existing.is_none() {
        return Err("Type: a new product needs its category in the Type column.".into());
    }
    if let Some(v) = col("Published") {
        f.status = match v.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => ProductStatus::Published,
            "false" | "no" | "0" | "" => if f.status == ProductStatus::Archived { ProductStatus::Archived } else { ProductStatus::Draft },
            other => return Err(format!("Published: {other:?} is neither TRUE nor FALSE.")),
        };
    }
    // Shopify's Status (active, draft, archived) says more than Published, and wins.
    if let Some(v) = col("Status").map(str::trim).filter(|v| !v.is_empty()) {
        f.status = match v.to_ascii_lowercase().as_str() {
            "active" | "published" => ProductStatus::Published,
            "draft" => ProductStatus::Draft,
            "archived" => ProductStatus::Archived,
            other => return Err(format!("Status: {other:?} is not active, draft or archived.")),
        };
    }
    for (column, field) in [
        ("Variant SKU", &mut f.sku),
        ("Variant Barcode", &mut f.barcode),
        ("Variant Price", &mut f.price),
        ("Variant Compare At Price", &mut f.compare_at),
        ("Variant Grams", &mut f.weight_grams),
    ] {
        if let Some(v) = col(column) {
            *field = v.trim().to_string();
        }
    }
    if let Some(v) = col("Variant Inventory Qty") {
        // The file's count is the count: nobody compares it with what the shop had.
        f.stock = v.trim().to_string();
        f.stock_was = String::new();
    }
    // Shopify writes a barcode as text, sometimes with a leading apostrophe that keeps
    // spreadsheets from turning it into a number.
    f.barcode = f.barcode.trim_start_matches('\'').to_string();
    Ok(f)
}

/// A product as an export row, in [`COLUMNS`]' order.
pub fn export_row(p: &StaffProduct, category_name: &str) -> [String; COLUMNS.len()] {
    let status = match p.status {
        ProductStatus::Published => "active",
        ProductStatus::Draft => "draft",
        ProductStatus::Archived => "archived",
    };
    [
        p.slug.clone(),
        p.name.clone(),
        p.description.clone(),
        p.brand.clone(),
        category_name.to_string(),
        if p.status == ProductStatus::Published { "TRUE" } else { "FALSE" }.into(),
        status.into(),
        p.sku.clone().unwrap_or_default(),
        p.barcode.clone().unwrap_or_default(),
        amount_text(p.price.minor, p.price.currency),
        p.compare_at.map(|m| amount_text(m.minor, m.currency)).unwrap_or_default(),
        p.stock.to_string(),
        p.weight_grams.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{catalogue::edit::TaxClass, Currency, Money};

    fn kitchen() -> Vec<Category> {
        vec![Category { id: 1, slug: "kitchen".into(), name: "Kitchen".into(), description: String::new(), product_count: 0, parent: None, photo: None }]
    }

    fn product() -> StaffProduct {
        StaffProduct {
            id: 9, slug: "blue-mug".into(), name: "Blue Mug".into(), description: "Big.".into(), brand: "Pottery".into(), sku: Some("MUG-1".into()),
            barcode: Some("4006381333931".into()), price: Money::new(1250, Currency::EUR), compare_at: Some(Money::new(1500, Currency::EUR)), stock: 4,
            weight_grams: 350, tax_class: TaxClass::Reduced, category_id: 1, category_name: "Kitchen".into(), status: ProductStatus::Published,
            updated_at: String::new(), ordered: 0, photos: Vec::new(), translations: Vec::new(),
        }
    }

    #[test]
    fn an_exported_row_reads_back_as_no_change() {
        let p = product();
        let row = export_row(&p, "Kitchen");
        let header = Header::parse(&COLUMNS).unwrap();
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        let form = row_form(&header, &cells, Some(&p), &kitchen()).unwrap();
        let edit = form.parse(Currency::EUR).unwrap();
        assert!(p.changes(&edit, "Kitchen").is_empty(), "{:?}", p.changes(&edit, "Kitchen"));
    }

    #[test]
    fn missing_columns_keep_what_the_product_has() {
        let header = Header::parse(&["Handle", "Variant Price", "Colour"]).unwrap();
        assert_eq!(header.ignored, ["Colour"]);
        let form = row_form(&header, &["blue-mug", "9.99", "blue"], Some(&product()), &kitchen()).unwrap();
        let edit = form.parse(Currency::EUR).unwrap();
        assert_eq!(edit.price_minor, 999);
        assert_eq!((edit.name.as_str(), edit.stock, edit.tax_class), ("Blue Mug", 4, TaxClass::Reduced));
    }

    #[test]
    fn bad_rows_say_which_column() {
        let header = Header::parse(&COLUMNS).unwrap();
        let mut row: Vec<&str> = export_row(&product(), "Kitchen").iter().map(|_| "").collect();
        row[1] = "Lamp";
        row[4] = "Lamps";
        assert!(row_form(&header, &row, None, &kitchen()).unwrap_err().starts_with("Type: there is no category \"Lamps\""));
        row[4] = "kitchen";
        row[6] = "gone";
        assert!(row_form(&header, &row, None, &kitchen()).unwrap_err().starts_with("Status:"));
        assert!(Header::parse(&["Colour"]).is_err());
        assert!(Header::parse(&["Handle", "handle"]).is_err());
    }
}
