//! The catalogue as it crosses the wire: the API serialises these, the web app
//! deserialises the very same types, so the two can never disagree on a field.

pub mod art;
pub mod edit;
pub mod import;
pub mod listing;
pub mod paging;
pub mod photo;
pub mod search;
pub mod stock;
pub mod text;
pub mod translation;
pub mod tree;
pub mod variant;

use crate::{Money, StockLevel};
use crate::pricing::totals::TaxClass;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    pub id: i64,
    pub slug: String,
    /// In the shopper's language when the shop translated it, else the shop's own.
    pub name: String,
    pub description: String,
    /// Published products in it and in every category under it.
    pub product_count: i64,
    /// The category it sits in; none at the top level (see [`tree`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<i64>,
    /// Its photo; a drawn tile stands in when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<photo::Photo>,
}

impl tree::Branch for Category {
    fn id(&self) -> i64 {
        self.id
    }
    fn parent(&self) -> Option<i64> {
        self.parent
    }
}

/// What a product grid or a search result needs: enough to show a card and link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductSummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub price: Money,
    /// "Was" price, shown struck through beside the price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at: Option<Money>,
    pub stock: i64,
    pub category_slug: String,
    /// The product's first photo; a drawn picture stands in when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<photo::Photo>,
    /// Its published reviews' stars; none before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<crate::review::Stars>,
    /// Its VAT class: carried to the cart, so a cart priced offline taxes it as the
    /// server will. Left out when standard, as most are.
    #[serde(default, skip_serializing_if = "TaxClass::is_standard")]
    pub tax_class: TaxClass,
    /// Its prices in other markets, set by staff; any other market converts the price
    /// above (see [`crate::market`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub market_prices: Vec<Money>,
}

/// One product with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// As staff wrote it (a small Markdown subset); for search and plain-text uses.
    pub description: String,
    /// The description rendered and sanitised by the server: safe to put in a page.
    #[serde(default)]
    pub description_html: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub brand: String,
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at: Option<Money>,
    pub stock: i64,
    pub category_slug: String,
    pub category_name: String,
    /// In the order staff put them; the first one is the product's picture.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<photo::Photo>,
    /// The language of the name and description: the one asked for, or the shop's
    /// own when there is no translation yet (the page then says so).
    #[serde(default)]
    pub content_lang: crate::Lang,
    /// Its published reviews' stars; none before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<crate::review::Stars>,
    /// How it varies (Size, Colour…); none for a product sold as itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<variant::ProductOption>,
    /// One per combination sold; the price and stock above are then the lowest price
    /// and the stock of all together (see [`variant`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<variant::Variant>,
    #[serde(default, skip_serializing_if = "TaxClass::is_standard")]
    pub tax_class: TaxClass,
    /// Its prices in other markets, set by staff; any other market converts the price
    /// above (see [`crate::market`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub market_prices: Vec<Money>,
}

/// Sales are not in a product's answer, so the web app's copy sorts by them as unknown
/// (see [`listing::Listed`]); its stars are, so it sorts and filters by those.
impl listing::Listed for Product {
    fn id(&self) -> i64 {
        self.id
    }
    fn price_minor(&self) -> i64 {
        self.price.minor
    }
    fn stock(&self) -> i64 {
        self.stock
    }
    fn brand(&self) -> &str {
        &self.brand
    }
    fn rating(&self) -> Option<(u16, u32)> {
        self.rating.map(|s| (s.average, s.count))
    }
    fn options(&self) -> &[variant::ProductOption] {
        &self.options
    }
    fn each_variant(&self, f: &mut dyn FnMut(&[String], bool)) {
        for v in &self.variants {
            f(&v.options, v.stock > 0);
        }
    }
}

/// One page of a category's products, with what a pager needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryPage {
    pub category: Category,
    pub items: Vec<ProductSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    pub total_pages: u32,
    /// The count beside each filter choice (see [`listing`]).
    #[serde(default)]
    pub facets: listing::Facets,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub query: String,
    pub items: Vec<ProductSummary>,
    /// Every match the order and filters asked for leave, of which `items` are the first.
    pub total: usize,
    /// The count beside each filter choice, over every match (see [`listing`]).
    #[serde(default)]
    pub facets: listing::Facets,
}

/// One page of a brand's products (`/brand/Acme`), with what a pager needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandPage {
    /// As the shop writes it on its products.
    pub brand: String,
    pub items: Vec<ProductSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    pub total_pages: u32,
    #[serde(default)]
    pub facets: listing::Facets,
}

/// `GET /api/catalogue/changes?since=`: what changed since a cursor, for keeping an
/// offline copy of the catalogue. Categories are few and always sent whole; products
/// come in pages in the order they changed, `next` being the cursor for the next call.
/// Products taken off sale (a draft again, archived) or deleted since come as ids in
/// `removed`, so the copy drops them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueChanges {
    pub categories: Vec<Category>,
    pub products: Vec<Product>,
    #[serde(default)]
    pub removed: Vec<i64>,
    pub next: String,
    /// More changes wait beyond this page.
    pub more: bool,
}

/// A catalogue sync position: the catalogue version of the last product change seen,
/// `""` (nothing yet) being 0. A cursor in the older `updated_at~id` form, as devices
/// synced before versions kept it, also reads as 0: such a device fetches the catalogue
/// once more, whole, and carries on with a version. Anything else is `None`.
pub fn parse_sync_cursor(s: &str) -> Option<i64> {
    if s.is_empty() {
        return Some(0);
    }
    if let Some((ts, id)) = s.split_once('~') {
        let valid_ts = ts.len() == 20 && ts.bytes().all(|b| b.is_ascii_digit() || b"-:TZ".contains(&b));
        return (valid_ts && id.parse::<i64>().is_ok()).then_some(0);
    }
    let valid = s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| s.parse().ok()).flatten()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub products: i64,
}

/// Where the API serves a product's picture.
pub fn image_path(product_id: i64) -> String {
    format!("/api/products/{product_id}/image.svg")
}

impl ProductSummary {
    pub fn stock_level(&self) -> StockLevel {
        StockLevel::from_count(self.stock)
    }
    pub fn image_path(&self) -> String {
        image_path(self.id)
    }
    pub fn href(&self) -> String {
        format!("/p/{}", self.slug)
    }
}

impl Product {
    /// What a card of this product shows.
    pub fn summary(&self) -> ProductSummary {
        ProductSummary {
            id: self.id,
            slug: self.slug.clone(),
            name: self.name.clone(),
            price: self.price,
            compare_at: self.compare_at,
            stock: self.stock,
            category_slug: self.category_slug.clone(),
            photo: self.photos.first().cloned(),
            rating: self.rating,
            tax_class: self.tax_class,
            market_prices: self.market_prices.clone(),
        }
    }

    pub fn stock_level(&self) -> StockLevel {
        StockLevel::from_count(self.stock)
    }
    pub fn image_path(&self) -> String {
        image_path(self.id)
    }
}

impl Category {
    pub fn href(&self) -> String {
        format!("/c/{}", self.slug)
    }
}

/// Turns a display name into a URL slug: lower-case ASCII words joined by `-`.
/// Letters outside ASCII are dropped rather than percent-encoded so links stay readable.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// A slug as it may appear in a URL: 1–120 characters of `a-z`, `0-9` and `-`.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_cursors_are_checked() {
        assert_eq!(parse_sync_cursor(""), Some(0));
        assert_eq!(parse_sync_cursor("42"), Some(42));
        assert_eq!(parse_sync_cursor("0"), Some(0));
        // The older form starts the sync over.
        assert_eq!(parse_sync_cursor("2026-11-23T18:00:00Z~42"), Some(0));
        assert_eq!(parse_sync_cursor("yesterday~1"), None);
        assert_eq!(parse_sync_cursor("2026-11-23T18:00:00Z~x"), None);
        assert_eq!(parse_sync_cursor("2026-11-23T18:00:00Z"), None);
        assert_eq!(parse_sync_cursor("-1"), None);
        assert_eq!(parse_sync_cursor("+1"), None);
        assert_eq!(parse_sync_cursor(" 1"), None);
        assert_eq!(parse_sync_cursor("9999999999999999999"), None);
    }

    #[test]
    fn slugs_are_readable_and_url_safe() {
        assert_eq!(slugify("Garden & Outdoor"), "garden-outdoor");
        assert_eq!(slugify("  Café Crème 2000!"), "caf-cr-me-2000");
        assert_eq!(slugify("---"), "");
        assert!(is_valid_slug("garden-outdoor"));
        assert!(!is_valid_slug("Garden"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug(&"a".repeat(121)));
    }

    #[test]
    fn products_link_to_their_page_and_picture() {
        let p = ProductSummary { market_prices: Default::default(), tax_class: Default::default(), 
            id: 7,
            slug: "blue-mug".into(),
            name: "Blue Mug".into(),
            price: Money::new(900, crate::Currency::EUR),
            compare_at: None,
            stock: 2,
            category_slug: "kitchen".into(),
            photo: None,
            rating: None,
        };
        assert_eq!(p.href(), "/p/blue-mug");
        assert_eq!(p.image_path(), "/api/products/7/image.svg");
        assert_eq!(p.stock_level(), StockLevel::Low(2));
    }
}
