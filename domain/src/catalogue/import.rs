//! Products in and out as CSV, in the columns of Shopify's product CSV, so a shop
//! moving in brings its export and a shop moving on takes ours. This module is the
//! pure part: which columns are read, how a row becomes a product form, and the
//! report staff see before anything is saved. The API reads the file and saves.

use super::{
    edit::{amount_text, ProductForm, ProductStatus, StaffProduct},
    photo::{parse_file_name, Photo, PhotoFormat},
    variant::{ProductOption, Variant, VariantForm, VariantsForm},
};
use crate::Category;
use serde::{Deserialize, Serialize};

/// The columns written on export and read on import, in Shopify's names. Any other
/// column is ignored (and named in the report).
pub const COLUMNS: [&str; 22] = [
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
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
];

/// Where the option columns start in [`COLUMNS`].
const OPTION_COLUMNS: usize = 16;

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
    /// Rows under a product's own that neither add a variant nor a photo.
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

    /// Whether the file has `column`.
    pub fn has(&self, column: &str) -> bool {
        COLUMNS.iter().position(|x| *x == column).is_some_and(|c| self.at[c].is_some())
    }

    /// The row's cell in `column`, when the file has that column.
    pub fn get<'a>(&self, row: &'a [&'a str], column: &str) -> Option<&'a str> {
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

/// The option names a product's first row gives (`Option1 Name`…), none for a product
/// sold as itself. Shopify writes such a product with the option `Title` and the value
/// `Default Title`; that is no option.
pub fn option_names(header: &Header, row: &[&str]) -> Vec<String> {
    let mut names = Vec::new();
    for n in 1..=3 {
        let name = header.get(row, &format!("Option{n} Name")).map_or("", str::trim);
        let value = header.get(row, &format!("Option{n} Value")).map_or("", str::trim);
        if name.is_empty() || (name == "Title" && value == "Default Title") {
            break;
        }
        names.push(name.to_string());
    }
    names
}

/// Whether a row under a product's own adds a variant (it has an option value).
pub fn is_variant_row(header: &Header, row: &[&str]) -> bool {
    header.get(row, "Option1 Value").is_some_and(|v| !v.trim().is_empty())
}

/// One variant as a row gives it: its option values, SKU, prices, stock and weight.
pub fn variant_form(header: &Header, row: &[&str], options: usize) -> Result<VariantForm, String> {
    let col = |c: &str| header.get(row, c).map_or(String::new(), |v| v.trim().to_string());
    let mut values = Vec::with_capacity(options);
    for n in 1..=options {
        let v = col(&format!("Option{n} Value"));
        if v.is_empty() {
            return Err(format!("Option{n} Value: a variant needs a value for each option."));
        }
        values.push(v);
    }
    Ok(VariantForm { market_prices: Default::default(), 
        id: None,
        sku: col("Variant SKU"),
        options: values,
        price: col("Variant Price"),
        compare_at: col("Variant Compare At Price"),
        stock: col("Variant Inventory Qty"),
        stock_was: String::new(),
        weight_grams: col("Variant Grams"),
        photo_id: None,
    })
}

/// A product's variants as the file gives them: the option values in the order they
/// first appear, and each variant keeping the id of the product's variant with the
/// same values (so carts naming it still find it). Its photo stays what it was.
pub fn variants_form(names: &[String], mut variants: Vec<VariantForm>, existing: &[Variant]) -> VariantsForm {
    let options = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut values: Vec<String> = Vec::new();
            for v in &variants {
                if let Some(value) = v.options.get(i) {
                    if !values.iter().any(|x| x.eq_ignore_ascii_case(value)) {
                        values.push(value.clone());
                    }
                }
            }
            ProductOption { name: name.clone(), values }
        })
        .collect();
    for v in &mut variants {
        if let Some(old) = existing.iter().find(|e| e.options == v.options) {
            v.id = Some(old.id);
            v.photo_id = old.photo_id;
        }
    }
    VariantsForm { options, variants }
}

/// Whether the file's variants are what the product has.
pub fn same_variants(edit: &super::variant::VariantsEdit, options: &[ProductOption], existing: &[Variant]) -> bool {
    edit.options == options
        && edit.variants.len() == existing.len()
        && edit.variants.iter().zip(existing).all(|(a, b)| {
            a.id == Some(b.id)
                && a.sku.as_deref().unwrap_or("") == b.sku
                && a.price_minor == b.price.minor
                && a.compare_at_minor == b.compare_at.map(|m| m.minor)
                && a.stock == b.stock
                && a.weight_grams == b.weight_grams
        })
}

/// A photo named in a file: its `Image Src`, `Image Position` and `Image Alt Text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageCell {
    pub line: u64,
    pub src: String,
    pub position: Option<u32>,
    pub alt: String,
}

impl ImageCell {
    /// The row's photo, if it names one.
    pub fn of(header: &Header, row: &[&str], line: u64) -> Option<ImageCell> {
        let src = header.get(row, "Image Src")?.trim();
        (!src.is_empty()).then(|| ImageCell {
            line,
            src: src.to_string(),
            position: header.get(row, "Image Position").and_then(|p| p.trim().parse().ok()),
            alt: header.get(row, "Image Alt Text").unwrap_or_default().trim().to_string(),
        })
    }
}

/// The key of a photo file of this shop named by `src` (`{shop_url}/media/…` or
/// `/media/…`). Nothing is ever fetched: an address elsewhere is refused, so an import
/// cannot make the server reach into another network.
pub fn image_key(src: &str, shop_url: &str) -> Result<String, String> {
    let shop = shop_url.trim_end_matches('/');
    let path = src.strip_prefix(shop).filter(|rest| rest.starts_with('/')).or_else(|| src.starts_with('/').then_some(src));
    let Some(path) = path else {
        return Err(format!(
            "Image Src: {src:?} is not on this shop ({shop}). Photos are taken only from the shop's own address: upload others on the product's page in the back office."
        ));
    };
    let name = path.split(['?', '#']).next().unwrap_or_default().strip_prefix("/media/").unwrap_or_default();
    parse_file_name(name).map(|(key, _, _)| key).ok_or_else(|| format!("Image Src: {src:?} is not one of the shop's photo files (/media/…)."))
}

/// A product's photos as a file names them, in `Image Position` order (file order
/// where there is none), each found among the shop's photos by its key; its alt text
/// is the file's, else the photo's own. Every problem with its line.
pub fn photos_from(cells: &[ImageCell], known: &std::collections::HashMap<String, Photo>, shop_url: &str) -> Result<Vec<Photo>, Vec<LineError>> {
    let mut cells: Vec<&ImageCell> = cells.iter().collect();
    cells.sort_by_key(|c| c.position.unwrap_or(u32::MAX));
    let mut errors = Vec::new();
    let mut photos: Vec<Photo> = Vec::new();
    for c in cells {
        let found = image_key(&c.src, shop_url).and_then(|key| {
            known.get(&key).cloned().ok_or_else(|| format!("Image Src: {:?} is no photo this shop has; upload it on the product's page in the back office.", c.src))
        });
        match found {
            Ok(_) if photos.len() >= super::photo::MAX_PHOTOS => errors.push(LineError {
                line: c.line,
                message: format!("line {}: Image Src: a product can have at most {} photos.", c.line, super::photo::MAX_PHOTOS),
            }),
            Ok(photo) if photos.iter().any(|p| p.key == photo.key) => {}
            Ok(photo) => {
                let alt = if c.alt.is_empty() { photo.alt.clone() } else { c.alt.clone() };
                photos.push(Photo { id: photos.len() as i64 + 1, alt, ..photo });
            }
            Err(message) => errors.push(LineError { line: c.line, message: format!("line {}: {message}", c.line) }),
        }
    }
    if errors.is_empty() { Ok(photos) } else { Err(errors) }
}

/// Whether two lists show the same photos, in the same order, described alike.
pub fn same_photos(a: &[Photo], b: &[Photo]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.key == y.key && x.alt == y.alt)
}

/// The address an export names a photo by: its widest WebP on this shop.
fn image_src(photo: &Photo, shop_url: &str) -> String {
    format!("{}{}", shop_url.trim_end_matches('/'), photo.largest_src(PhotoFormat::Webp))
}

/// A product's further photos as export rows (Handle and the image columns only), as
/// Shopify writes them.
pub fn export_image_rows(p: &StaffProduct, shop_url: &str) -> Vec<[String; COLUMNS.len()]> {
    p.photos
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, photo)| {
            let mut row: [String; COLUMNS.len()] = Default::default();
            row[0] = p.slug.clone();
            row[13] = image_src(photo, shop_url);
            row[14] = (i + 1).to_string();
            row[15] = photo.alt.clone();
            row
        })
        .collect()
}

/// A product's further variants as export rows (Handle, the option values and the
/// variant columns), as Shopify writes them; the first variant is on the product's row.
pub fn export_variant_rows(p: &StaffProduct) -> Vec<[String; COLUMNS.len()]> {
    p.variants
        .iter()
        .skip(1)
        .map(|v| {
            let mut row: [String; COLUMNS.len()] = Default::default();
            row[0] = p.slug.clone();
            fill_variant(&mut row, p, v);
            row
        })
        .collect()
}

/// The variant columns of a row, and the option names on the product's own row.
fn fill_variant(row: &mut [String; COLUMNS.len()], p: &StaffProduct, v: &Variant) {
    row[7] = v.sku.clone();
    row[8] = String::new();
    row[9] = amount_text(v.price.minor, v.price.currency);
    row[10] = v.compare_at.map(|m| amount_text(m.minor, m.currency)).unwrap_or_default();
    row[11] = v.stock.to_string();
    row[12] = v.weight_grams.to_string();
    for (i, (option, value)) in p.options.iter().zip(&v.options).enumerate() {
        if p.variants.first().is_some_and(|first| first.id == v.id) {
            row[OPTION_COLUMNS + 2 * i] = option.name.clone();
        }
        row[OPTION_COLUMNS + 2 * i + 1] = value.clone();
    }
}

/// A product as an export row, in [`COLUMNS`]' order, with its first photo (and its
/// first variant, when it has variants).
pub fn export_row(p: &StaffProduct, category_name: &str, shop_url: &str) -> [String; COLUMNS.len()] {
    let mut row = export_product_row(p, category_name, shop_url);
    if let Some(first) = p.variants.first() {
        fill_variant(&mut row, p, first);
    }
    row
}

fn export_product_row(p: &StaffProduct, category_name: &str, shop_url: &str) -> [String; COLUMNS.len()] {
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
        p.photos.first().map(|ph| image_src(ph, shop_url)).unwrap_or_default(),
        if p.photos.is_empty() { String::new() } else { "1".into() },
        p.photos.first().map(|ph| ph.alt.clone()).unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
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
        StaffProduct { market_prices: Default::default(), 
            id: 9, slug: "blue-mug".into(), name: "Blue Mug".into(), description: "Big.".into(), brand: "Pottery".into(), sku: Some("MUG-1".into()),
            barcode: Some("4006381333931".into()), price: Money::new(1250, Currency::EUR), compare_at: Some(Money::new(1500, Currency::EUR)), stock: 4,
            weight_grams: 350, tax_class: TaxClass::Reduced, category_id: 1, category_name: "Kitchen".into(), status: ProductStatus::Published,
            updated_at: String::new(), ordered: 0, photos: Vec::new(), translations: Vec::new(), options: Vec::new(), variants: Vec::new(),
        }
    }

    #[test]
    fn an_exported_row_reads_back_as_no_change() {
        let p = product();
        let row = export_row(&p, "Kitchen", SHOP);
        let header = Header::parse(&COLUMNS).unwrap();
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        let form = row_form(&header, &cells, Some(&p), &kitchen()).unwrap();
        let edit = form.parse(Currency::EUR).unwrap();
        assert!(p.changes(&edit, "Kitchen").is_empty(), "{:?}", p.changes(&edit, "Kitchen"));
    }

    const SHOP: &str = "https://shop.example";

    fn photo(key: &str, alt: &str) -> Photo {
        Photo { id: 1, key: key.into(), width: 1200, height: 900, alt: alt.into(), thumbhash: String::new() }
    }

    #[test]
    fn photos_go_out_as_addresses_on_the_shop_and_come_back_as_the_same_photos() {
        let mut p = product();
        p.photos = vec![photo("0123456789abcdef", "A mug"), Photo { id: 2, ..photo("fedcba9876543210", "Its handle") }];
        let header = Header::parse(&COLUMNS).unwrap();
        let main = export_row(&p, "Kitchen", SHOP);
        assert_eq!(main[13], "https://shop.example/media/0123456789abcdef-1024.webp");
        let more = export_image_rows(&p, SHOP);
        assert_eq!((more.len(), more[0][0].as_str(), more[0][14].as_str()), (1, "blue-mug", "2"));
        let cells: Vec<ImageCell> = [main.clone(), more[0].clone()]
            .iter()
            .enumerate()
            .filter_map(|(i, r)| ImageCell::of(&header, &r.iter().map(String::as_str).collect::<Vec<_>>(), i as u64 + 2))
            .collect();
        let known = p.photos.iter().map(|ph| (ph.key.clone(), ph.clone())).collect();
        let back = photos_from(&cells, &known, SHOP).unwrap();
        assert!(same_photos(&back, &p.photos));
        // Positions decide the order; the file's alt text wins.
        let swapped = vec![ImageCell { position: Some(2), ..cells[0].clone() }, ImageCell { position: Some(1), alt: "Close up".into(), ..cells[1].clone() }];
        let back = photos_from(&swapped, &known, SHOP).unwrap();
        assert_eq!((back[0].key.as_str(), back[0].alt.as_str(), back[0].id), ("fedcba9876543210", "Close up", 1));
    }

    #[test]
    fn a_photo_elsewhere_or_unknown_is_refused_and_never_fetched() {
        assert!(image_key("https://cdn.example.com/media/0123456789abcdef-320.webp", SHOP).unwrap_err().contains("not on this shop"));
        assert!(image_key("https://shop.example.evil/media/0123456789abcdef-320.webp", SHOP).is_err());
        assert!(image_key("https://shop.example/media/../../etc/passwd", SHOP).unwrap_err().contains("photo files"));
        assert_eq!(image_key("/media/0123456789abcdef-320.avif?v=1", SHOP).unwrap(), "0123456789abcdef");
        let cell = ImageCell { line: 7, src: format!("{SHOP}/media/0123456789abcdef-320.webp"), position: None, alt: String::new() };
        let errors = photos_from(&[cell], &Default::default(), SHOP).unwrap_err();
        assert!(errors[0].message.starts_with("line 7: Image Src:"), "{errors:?}");
    }

    #[test]
    fn variants_go_out_as_shopifys_rows_and_come_back_the_same() {
        use crate::catalogue::variant::Variant;
        let mut p = product();
        p.options = vec![ProductOption { name: "Size".into(), values: vec!["S".into(), "M".into()] }];
        p.variants = ["S", "M"]
            .iter()
            .enumerate()
            .map(|(i, size)| Variant { market_prices: Default::default(), id: 40 + i as i64, sku: format!("MUG-{size}"), options: vec![size.to_string()], price: Money::new(1250 + 100 * i as i64, Currency::EUR), compare_at: None, stock: 3, weight_grams: 300, photo_id: None })
            .collect();
        let header = Header::parse(&COLUMNS).unwrap();
        let first = export_row(&p, "Kitchen", SHOP);
        let more = export_variant_rows(&p);
        assert_eq!((first[16].as_str(), first[17].as_str(), first[7].as_str()), ("Size", "S", "MUG-S"));
        assert_eq!((more.len(), more[0][16].as_str(), more[0][17].as_str(), more[0][9].as_str()), (1, "", "M", "13.50"));
        fn cells(r: &[String; COLUMNS.len()]) -> Vec<&str> {
            r.iter().map(String::as_str).collect()
        }
        let names = option_names(&header, &cells(&first));
        assert_eq!(names, ["Size"]);
        assert!(is_variant_row(&header, &cells(&more[0])));
        let rows = [&first, &more[0]].iter().map(|r| variant_form(&header, &cells(r), names.len()).unwrap()).collect();
        let form = variants_form(&names, rows, &p.variants);
        let edit = form.parse(Currency::EUR).unwrap();
        assert!(same_variants(&edit, &p.options, &p.variants), "{edit:?}");
        // Shopify's "Default Title" is a product without options.
        let plain = ["blue-mug", "Title", "Default Title"];
        let h = Header::parse(&["Handle", "Option1 Name", "Option1 Value"]).unwrap();
        assert!(option_names(&h, &plain).is_empty());
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
        let mut row: Vec<&str> = export_row(&product(), "Kitchen", SHOP).iter().map(|_| "").collect();
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
