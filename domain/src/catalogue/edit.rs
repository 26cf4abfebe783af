//! Products as staff edit them: the form as typed, its one parser (the back office
//! checks every field with it before sending, the API checks again before saving), the
//! product as the back office reads it, and what an edit changed, for the audit list.

use crate::{
    customer::{parse_text, FieldError},
    Currency, Money,
};
use serde::{Deserialize, Serialize};

/// Who sees a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// Staff only: being prepared.
    #[default]
    Draft,
    /// On sale: shoppers see it.
    Published,
    /// Off sale for good, kept for the orders that name it; shoppers do not see it.
    Archived,
}

impl ProductStatus {
    pub const ALL: [ProductStatus; 3] = [ProductStatus::Draft, ProductStatus::Published, ProductStatus::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Published => "published",
            ProductStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<ProductStatus> {
        ProductStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Which VAT rate a product is sold at; the checkout turns class and destination into
/// a rate (see `pricing::totals`).
pub use crate::pricing::totals::TaxClass;

/// A barcode: a GTIN of 8, 12, 13 or 14 digits (EAN-8, UPC-A, EAN-13, GTIN-14) whose
/// last digit is the GS1 check digit of the others.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Gtin(String);

impl Gtin {
    pub fn parse(raw: &str) -> Result<Gtin, FieldError> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) || ![8, 12, 13, 14].contains(&digits.len()) {
            return Err(FieldError::new("barcode", "A barcode (GTIN) has 8, 12, 13 or 14 digits."));
        }
        let (body, check) = digits.split_at(digits.len() - 1);
        if gs1_check_digit(body) != check.as_bytes()[0] - b'0' {
            return Err(FieldError::new("barcode", "This barcode's last digit does not match the others: please check it for a typo."));
        }
        Ok(Gtin(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// GS1's check digit: from the right, digits weigh 3, 1, 3, 1, …; the check digit
/// brings the weighted sum up to a multiple of 10.
fn gs1_check_digit(body: &str) -> u8 {
    let sum: u32 = body.bytes().rev().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    ((10 - sum % 10) % 10) as u8
}

pub use crate::pricing::amount::{amount_text, parse_amount, MAX_PRICE_MAJOR};

fn parse_count(field: &'static str, label: &str, raw: &str, max: i64) -> Result<i64, FieldError> {
    let s = raw.trim();
    match s.parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(field, format!("{label} must be a whole number from 0 to {max}."))),
    }
}

pub use super::stock::MAX_STOCK;
pub use super::text::{parse_description, parse_slug, MAX_DESCRIPTION, MAX_NAME};

/// The product form as typed: numbers stay text, so a mistake is reported against its
/// field in plain words rather than as a JSON error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductForm {
    pub name: String,
    /// Empty: made from the name.
    #[serde(default)]
    pub slug: String,
    /// A small Markdown subset (paragraphs, emphasis, lists, links), rendered and
    /// sanitised by the server.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub barcode: String,
    /// `12.50`, in the shop's currency.
    pub price: String,
    /// "Was" price; empty for none.
    #[serde(default)]
    pub compare_at: String,
    pub stock: String,
    /// The stock the form showed when it was opened (empty for a new product). Orders
    /// take stock meanwhile: a changed stock is only saved if nobody else changed it.
    #[serde(default)]
    pub stock_was: String,
    #[serde(default)]
    pub weight_grams: String,
    #[serde(default)]
    pub tax_class: TaxClass,
    pub category_id: i64,
    #[serde(default)]
    pub status: ProductStatus,
    /// Its prices in the shop's other markets, each typed in that market's currency;
    /// an empty one converts the price above. Left out (an import, say): unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_prices: Option<Vec<crate::market::form::MarketPriceForm>>,
}

/// A checked product form, ready to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductEdit {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub brand: String,
    pub sku: Option<String>,
    pub barcode: Option<Gtin>,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub stock: i64,
    pub stock_was: Option<i64>,
    pub weight_grams: i64,
    pub tax_class: TaxClass,
    pub category_id: i64,
    pub status: ProductStatus,
    /// `None`: keep the prices it has.
    pub market_prices: Option<Vec<Money>>,
}

/// The value, or `None` with its error noted.
fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

fn optional_text(field: &'static str, label: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    if raw.trim().is_empty() {
        return Ok(String::new());
    }
    parse_text(field, label, raw, max)
}

impl ProductForm {
    /// Every problem at once, each naming its field.
    pub fn parse(&self, currency: Currency) -> Result<ProductEdit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = keep(&mut errors, parse_text("name", "a name", &self.name, MAX_NAME));
        let slug = keep(&mut errors, parse_slug(&self.slug, name.as_deref().unwrap_or("")));
        let description = keep(&mut errors, parse_description(&self.description));
        let brand = keep(&mut errors, optional_text("brand", "the brand", &self.brand, 80));
        let sku = keep(&mut errors, parse_sku(&self.sku));
        let barcode = keep(&mut errors, if self.barcode.trim().is_empty() { Ok(None) } else { Gtin::parse(&self.barcode).map(Some) });
        let price = keep(&mut errors, if self.price.trim().is_empty() {
            Err(FieldError::new("price", "Please enter a price."))
        } else {
            parse_amount("price", "The price", &self.price, currency)
        });
        let compare_at = keep(&mut errors, if self.compare_at.trim().is_empty() {
            Ok(None)
        } else {
            parse_amount("compare_at", "The “was” price", &self.compare_at, currency).map(Some)
        });
        let stock = keep(&mut errors, parse_count("stock", "Stock", &self.stock, MAX_STOCK));
        let stock_was = keep(&mut errors, if self.stock_was.trim().is_empty() { Ok(None) } else { parse_count("stock_was", "Stock", &self.stock_was, MAX_STOCK).map(Some) });
        let weight = keep(&mut errors, if self.weight_grams.trim().is_empty() { Ok(0) } else { parse_count("weight_grams", "The weight", &self.weight_grams, 1_000_000) });
        if let (Some(price), Some(Some(was))) = (price, compare_at) {
            if was <= price {
                errors.push(FieldError::new("compare_at", "The “was” price must be higher than the price, or empty."));
            }
        }
        if self.category_id <= 0 {
            errors.push(FieldError::new("category_id", "Please choose a category."));
        }
        let market_prices = match self.market_prices.as_deref().map(crate::market::form::parse_market_prices) {
            None => None,
            Some(Ok(prices)) => Some(prices),
            Some(Err(e)) => {
                errors.extend(e);
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let (Some(name), Some(slug), Some(description), Some(brand), Some(sku), Some(barcode), Some(price_minor), Some(compare_at_minor), Some(stock), Some(stock_was), Some(weight_grams)) =
            (name, slug, description, brand, sku, barcode, price, compare_at, stock, stock_was, weight)
        else {
            // Every None above pushed an error.
            return Err(vec![FieldError::new("name", "Please check the form.")]);
        };
        Ok(ProductEdit {
            name,
            slug,
            description,
            brand,
            sku,
            barcode,
            price_minor,
            compare_at_minor,
            stock,
            stock_was,
            weight_grams,
            tax_class: self.tax_class,
            category_id: self.category_id,
            status: self.status,
            market_prices,
        })
    }
}

fn parse_sku(raw: &str) -> Result<Option<String>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() > 64 || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b)) {
        return Err(FieldError::new("sku", "A SKU is up to 64 letters, digits and - _ . /, without spaces."));
    }
    Ok(Some(s.to_string()))
}

/// The category form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryForm {
    pub name: String,
    /// Empty: made from the name.
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub description: String,
    /// The category it goes in; none for the top level.
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// Its name and description in the shop's other languages; a language left out,
    /// or with an empty name, has no translation.
    #[serde(default)]
    pub translations: Vec<CategoryText>,
}

/// A category's name and description in one of the shop's other languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryText {
    pub lang: crate::Lang,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// A checked category form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryEdit {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub parent_id: Option<i64>,
    /// One per translated language, none in the shop's own.
    pub translations: Vec<CategoryText>,
}

/// The longest category name and description, in any language.
pub const MAX_CATEGORY_NAME: usize = 60;
pub const MAX_CATEGORY_DESCRIPTION: usize = 300;

impl CategoryForm {
    /// Every problem at once, each naming its field; a translation's fields are named
    /// `name_de`, `description_de`.
    pub fn parse(&self) -> Result<CategoryEdit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = keep(&mut errors, parse_text("name", "a name", &self.name, MAX_CATEGORY_NAME));
        let slug = keep(&mut errors, parse_slug(&self.slug, name.as_deref().unwrap_or("")));
        let description = keep(&mut errors, optional_text("description", "the description", &self.description, MAX_CATEGORY_DESCRIPTION));
        let mut translations = Vec::new();
        for lang in super::translation::translatable() {
            let Some(t) = self.translations.iter().find(|t| t.lang == lang) else { continue };
            if t.name.trim().is_empty() && t.description.trim().is_empty() {
                continue;
            }
            // Field names are static: one pair per language the shop speaks.
            let (name_field, description_field) = match lang {
                crate::Lang::En => ("name_en", "description_en"),
                crate::Lang::De => ("name_de", "description_de"),
            };
            let name = keep(&mut errors, parse_text(name_field, "a name", &t.name, MAX_CATEGORY_NAME));
            let description = keep(&mut errors, optional_text(description_field, "the description", &t.description, MAX_CATEGORY_DESCRIPTION));
            if let (Some(name), Some(description)) = (name, description) {
                translations.push(CategoryText { lang, name, description });
            }
        }
        match (name, slug, description) {
            (Some(name), Some(slug), Some(description)) if errors.is_empty() => {
                Ok(CategoryEdit { name, slug, description, parent_id: self.parent_id, translations })
            }
            _ => Err(errors),
        }
    }
}

/// A category as the back office reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCategory {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Products in it, whatever their status: a category with any cannot be deleted.
    pub products: i64,
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// 0 at the top level; the list comes depth first, each category before its own.
    #[serde(default)]
    pub depth: u32,
    #[serde(default)]
    pub photo: Option<super::photo::Photo>,
    #[serde(default)]
    pub translations: Vec<CategoryText>,
}

impl super::tree::Branch for StaffCategory {
    fn id(&self) -> i64 {
        self.id
    }
    fn parent(&self) -> Option<i64> {
        self.parent_id
    }
}

impl StaffCategory {
    pub fn form(&self) -> CategoryForm {
        CategoryForm {
            name: self.name.clone(),
            slug: self.slug.clone(),
            description: self.description.clone(),
            parent_id: self.parent_id,
            translations: self.translations.clone(),
        }
    }

    /// The languages it has no name in yet.
    pub fn missing(&self) -> Vec<crate::Lang> {
        super::translation::translatable().filter(|l| !self.translations.iter().any(|t| t.lang == *l)).collect()
    }
}

/// `PUT /api/staff/categories/order`: every category's id, in the new order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryOrder {
    pub ids: Vec<i64>,
}

/// A product as the back office reads it: everything the form edits, and more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffProduct {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub brand: String,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub price: Money,
    pub compare_at: Option<Money>,
    pub stock: i64,
    pub weight_grams: i64,
    pub tax_class: TaxClass,
    pub category_id: i64,
    pub category_name: String,
    pub status: ProductStatus,
    pub updated_at: String,
    /// Times it was ordered: a product with orders can be archived, not deleted.
    pub ordered: i64,
    #[serde(default)]
    pub photos: Vec<super::photo::Photo>,
    #[serde(default)]
    pub translations: Vec<super::translation::ProductTranslation>,
    /// How it varies; none for a product sold as itself. With variants, the price and
    /// stock above are the lowest variant price and the stock of all variants.
    #[serde(default)]
    pub options: Vec<super::variant::ProductOption>,
    #[serde(default)]
    pub variants: Vec<super::variant::Variant>,
    /// Its prices set by hand in other markets.
    #[serde(default)]
    pub market_prices: Vec<Money>,
}

impl StaffProduct {
    /// The form, filled in with this product, as the edit page opens it.
    pub fn form(&self) -> ProductForm {
        ProductForm {
            name: self.name.clone(),
            slug: self.slug.clone(),
            description: self.description.clone(),
            brand: self.brand.clone(),
            sku: self.sku.clone().unwrap_or_default(),
            barcode: self.barcode.clone().unwrap_or_default(),
            price: amount_text(self.price.minor, self.price.currency),
            compare_at: self.compare_at.map(|m| amount_text(m.minor, m.currency)).unwrap_or_default(),
            stock: self.stock.to_string(),
            stock_was: self.stock.to_string(),
            weight_grams: if self.weight_grams == 0 { String::new() } else { self.weight_grams.to_string() },
            tax_class: self.tax_class,
            category_id: self.category_id,
            status: self.status,
            market_prices: Some(crate::market::form::of(&self.market_prices)),
        }
    }

    /// What an edit would change, field by field, in words for the audit list.
    pub fn changes(&self, to: &ProductEdit, category_name: &str) -> Vec<FieldChange> {
        let cur = self.price.currency;
        let money = |m: Option<i64>| m.map(|m| Money::new(m, cur).to_string()).unwrap_or_default();
        let mut out = Vec::new();
        let mut note = |field: &str, from: String, to: String| {
            if from != to {
                out.push(FieldChange { field: field.into(), from, to });
            }
        };
        note("name", self.name.clone(), to.name.clone());
        note("slug", self.slug.clone(), to.slug.clone());
        note("description", self.description.clone(), to.description.clone());
        note("brand", self.brand.clone(), to.brand.clone());
        if let Some(prices) = &to.market_prices {
            let list = |l: &[Money]| l.iter().map(Money::to_string).collect::<Vec<_>>().join(", ");
            note("market_prices", list(&self.market_prices), list(prices));
        }
        note("sku", self.sku.clone().unwrap_or_default(), to.sku.clone().unwrap_or_default());
        note("barcode", self.barcode.clone().unwrap_or_default(), to.barcode.as_ref().map(|g| g.as_str().to_string()).unwrap_or_default());
        note("price", money(Some(self.price.minor)), money(Some(to.price_minor)));
        note("compare_at", money(self.compare_at.map(|m| m.minor)), money(to.compare_at_minor));
        note("stock", self.stock.to_string(), to.stock.to_string());
        note("weight_grams", self.weight_grams.to_string(), to.weight_grams.to_string());
        note("tax_class", self.tax_class.as_str().into(), to.tax_class.as_str().into());
        note("category", self.category_name.clone(), category_name.to_string());
        note("status", self.status.as_str().into(), to.status.as_str().into());
        out
    }
}

/// One field an edit changed: before and after, as staff read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub from: String,
    pub to: String,
}

/// Who changed a product, when, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub at: String,
    pub staff_name: String,
    /// What happened: `created`, `edited`, `duplicated`, `deleted`.
    pub action: String,
    pub changes: Vec<FieldChange>,
}

/// One row of the back office's product list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffProductRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub sku: Option<String>,
    pub price: Money,
    pub stock: i64,
    pub status: ProductStatus,
    pub category_name: String,
    pub updated_at: String,
    /// Languages with no translation yet.
    #[serde(default)]
    pub missing: Vec<crate::Lang>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffProductList {
    pub items: Vec<StaffProductRow>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    pub total_pages: u32,
}

/// How the back office's product list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductSort {
    #[default]
    Name,
    PriceUp,
    PriceDown,
    StockUp,
    /// Last changed first.
    Updated,
}

impl ProductSort {
    pub const ALL: [ProductSort; 5] = [ProductSort::Name, ProductSort::PriceUp, ProductSort::PriceDown, ProductSort::StockUp, ProductSort::Updated];

    pub fn as_str(self) -> &'static str {
        match self {
            ProductSort::Name => "name",
            ProductSort::PriceUp => "price",
            ProductSort::PriceDown => "-price",
            ProductSort::StockUp => "stock",
            ProductSort::Updated => "-updated",
        }
    }

    pub fn parse(s: &str) -> Option<ProductSort> {
        ProductSort::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The SQL `ORDER BY` it means (a fixed string: nothing typed reaches the SQL).
    pub fn order_by(self) -> &'static str {
        match self {
            ProductSort::Name => "p.name, p.id",
            ProductSort::PriceUp => "p.price_minor, p.id",
            ProductSort::PriceDown => "p.price_minor DESC, p.id",
            ProductSort::StockUp => "p.stock, p.id",
            ProductSort::Updated => "p.version DESC",
        }
    }
}

/// The stock filter of the back office's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockFilter {
    InStock,
    Low,
    Out,
}

impl StockFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            StockFilter::InStock => "in",
            StockFilter::Low => "low",
            StockFilter::Out => "out",
        }
    }

    pub fn parse(s: &str) -> Option<StockFilter> {
        [StockFilter::InStock, StockFilter::Low, StockFilter::Out].into_iter().find(|x| x.as_str() == s)
    }

    pub fn sql(self) -> &'static str {
        match self {
            StockFilter::InStock => "p.stock > 0",
            StockFilter::Low => "p.stock BETWEEN 1 AND 5",
            StockFilter::Out => "p.stock = 0",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_form_checks_its_translations_by_field() {
        let mut form = CategoryForm { name: "Kitchen".into(), ..Default::default() };
        form.translations = vec![CategoryText { lang: crate::Lang::De, name: " Küche ".into(), description: String::new() }];
        let edit = form.parse().expect("valid");
        assert_eq!(edit.slug, "kitchen");
        assert_eq!(edit.translations[0].name, "Küche");
        // An empty translation is no translation; a description without a name is a problem.
        form.translations[0].name.clear();
        assert!(form.parse().expect("valid").translations.is_empty());
        form.translations[0].description = "Töpfe".into();
        assert_eq!(form.parse().unwrap_err()[0].field, "name_de");
    }
    use proptest::prelude::*;

    fn form() -> ProductForm {
        ProductForm { name: "Blue Mug".into(), price: "12.50".into(), stock: "4".into(), category_id: 1, ..ProductForm::default() }
    }

    #[test]
    fn a_minimal_form_parses_with_a_slug_from_the_name() {
        let e = form().parse(Currency::EUR).unwrap();
        assert_eq!(e.slug, "blue-mug");
        assert_eq!(e.price_minor, 1250);
        assert_eq!(e.compare_at_minor, None);
        assert_eq!(e.status, ProductStatus::Draft);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let f = ProductForm { name: " ".into(), price: "abc".into(), compare_at: "-1".into(), stock: "1.5".into(), barcode: "4006381333932".into(), sku: "a b".into(), category_id: 0, ..ProductForm::default() };
        let fields: Vec<_> = f.parse(Currency::EUR).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "slug", "sku", "barcode", "price", "compare_at", "stock", "category_id"]);
    }

    #[test]
    fn the_was_price_must_be_above_the_price() {
        let f = ProductForm { compare_at: "12.50".into(), ..form() };
        assert_eq!(f.parse(Currency::EUR).unwrap_err()[0].field, "compare_at");
        let f = ProductForm { compare_at: "15".into(), ..form() };
        assert_eq!(f.parse(Currency::EUR).unwrap().compare_at_minor, Some(1500));
    }

    #[test]
    fn amounts_read_as_staff_type_them() {
        assert_eq!(parse_amount("p", "P", "12", Currency::EUR), Ok(1200));
        assert_eq!(parse_amount("p", "P", "12,5", Currency::EUR), Ok(1250));
        assert_eq!(parse_amount("p", "P", " €0.05 ", Currency::EUR), Ok(5));
        assert_eq!(parse_amount("p", "P", "1200", Currency::JPY), Ok(1200));
        assert!(parse_amount("p", "P", "12.5", Currency::JPY).is_err());
        assert!(parse_amount("p", "P", "12.505", Currency::EUR).is_err());
        assert!(parse_amount("p", "P", "-1", Currency::EUR).unwrap_err().message.contains("negative"));
        for bad in ["", "abc", ".5", "1e3", "1.2.3", "99999999999"] {
            assert!(parse_amount("p", "P", bad, Currency::EUR).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn barcodes_need_their_check_digit() {
        assert_eq!(Gtin::parse("4006381333931").unwrap().as_str(), "4006381333931");
        assert_eq!(Gtin::parse("4006-3813 33931").unwrap().as_str(), "4006381333931");
        assert!(Gtin::parse("73513537").is_ok());
        assert!(Gtin::parse("036000291452").is_ok());
        assert!(Gtin::parse("4006381333932").unwrap_err().message.contains("typo"));
        assert!(Gtin::parse("12345").is_err());
        assert!(Gtin::parse("abcdefgh").is_err());
    }

    #[test]
    fn slugs_are_made_or_checked() {
        assert_eq!(parse_slug("", "Café Crème"), Ok("caf-cr-me".into()));
        assert_eq!(parse_slug("Blue-Mug", "x"), Ok("blue-mug".into()));
        assert!(parse_slug("blue mug", "x").is_err());
        assert!(parse_slug("", "!!!").is_err());
        assert!(parse_slug("123", "x").is_err());
    }

    #[test]
    fn a_category_form_names_its_fields() {
        let e = CategoryForm { name: "Garden & Outdoor".into(), ..CategoryForm::default() }.parse().unwrap();
        assert_eq!(e.slug, "garden-outdoor");
        let fields: Vec<_> = CategoryForm { name: "".into(), slug: "a b".into(), description: "x".repeat(301), ..CategoryForm::default() }.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "slug", "description"]);
    }

    #[test]
    fn changes_name_each_field_in_words() {
        let p = StaffProduct { market_prices: Default::default(), 
            id: 1, slug: "blue-mug".into(), name: "Blue Mug".into(), description: String::new(), brand: String::new(), sku: None, barcode: None,
            price: Money::new(1250, Currency::EUR), compare_at: None, stock: 4, weight_grams: 0, tax_class: TaxClass::Standard,
            category_id: 1, category_name: "Kitchen".into(), status: ProductStatus::Draft, updated_at: String::new(), ordered: 0, photos: Vec::new(), translations: Vec::new(), options: Vec::new(), variants: Vec::new(),
        };
        let edit = ProductForm { price: "10".into(), compare_at: "12.50".into(), status: ProductStatus::Published, ..p.form() }.parse(Currency::EUR).unwrap();
        let changes = p.changes(&edit, "Kitchen");
        assert_eq!(
            changes,
            [
                FieldChange { field: "price".into(), from: "€12.50".into(), to: "€10.00".into() },
                FieldChange { field: "compare_at".into(), from: String::new(), to: "€12.50".into() },
                FieldChange { field: "status".into(), from: "draft".into(), to: "published".into() },
            ]
        );
        // The form a product opens with changes nothing.
        assert!(p.changes(&p.form().parse(Currency::EUR).unwrap(), "Kitchen").is_empty());
    }

    proptest! {
        #[test]
        fn an_amount_typed_back_reads_the_same(minor in 0i64..=MAX_PRICE_MAJOR, cur in prop::sample::select(vec![Currency::EUR, Currency::JPY])) {
            prop_assert_eq!(parse_amount("p", "P", &amount_text(minor, cur), cur), Ok(minor));
        }

        #[test]
        fn one_wrong_digit_breaks_the_check(body in "[0-9]{12}", pos in 0usize..13, bump in 1u8..10) {
            let check = gs1_check_digit(&body);
            let good = format!("{body}{check}");
            prop_assert!(Gtin::parse(&good).is_ok());
            let mut bytes = good.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + bump) % 10;
            prop_assert!(Gtin::parse(&String::from_utf8(bytes).unwrap()).is_err());
        }

        #[test]
        fn parsing_never_panics(name in ".{0,200}", price in ".{0,20}", stock in ".{0,12}", slug in ".{0,40}") {
            let _ = ProductForm { name, price, stock, slug, category_id: 1, ..ProductForm::default() }.parse(Currency::EUR);
        }
    }
}
