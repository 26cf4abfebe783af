//! Sorting and filtering a listing (a category, search results, a brand) with the
//! counts a filter panel shows beside each choice. The web app runs it on its offline
//! copy and the API on the products it keeps in memory, so both show the same
//! products in the same order.
//!
//! The choice lives in the page's address
//! (`?sort=price&min=10&max=50&stock=in&brand=Acme&option=Size:M`),
//! which people share, bookmark and edit by hand, so it is parsed here, with a message
//! naming the parameter that is wrong. Parameters it does not know (`page`, `lang`, a
//! campaign's `utm_source`) are left to others.

use crate::{
    customer::FieldError,
    pricing::{
        amount::{amount_text, parse_amount},
        money::Currency,
    },
};
use super::variant::ProductOption;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a listing is ordered. `Listing` keeps the listing's own order: the shop's (by
/// name) for a category, best match first for search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Sort {
    #[default]
    Listing,
    PriceUp,
    PriceDown,
    Newest,
    BestSelling,
    BestRated,
}

impl Sort {
    pub const ALL: [Sort; 6] = [Sort::Listing, Sort::PriceUp, Sort::PriceDown, Sort::Newest, Sort::BestSelling, Sort::BestRated];

    /// As written in an address; the listing's own order is written as nothing.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Listing => "",
            Sort::PriceUp => "price",
            Sort::PriceDown => "-price",
            Sort::Newest => "newest",
            Sort::BestSelling => "best-selling",
            Sort::BestRated => "best-rated",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        let s = s.trim();
        Sort::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a listing needs to know of a product.
pub trait Listed {
    fn id(&self) -> i64;
    fn price_minor(&self) -> i64;
    fn stock(&self) -> i64;
    fn brand(&self) -> &str;
    /// Units sold lately; 0 when not known.
    fn sold(&self) -> i64 {
        0
    }
    /// The average rating in hundredths of a star (450 is 4.5 stars) and how many
    /// ratings it averages; none when nobody rated it.
    fn rating(&self) -> Option<(u16, u32)> {
        None
    }
    /// The options it comes in (Size, Colour); none for a product sold as itself.
    fn options(&self) -> &[ProductOption] {
        &[]
    }
    /// Calls `f` with each variant's option values (in the options' order) and whether
    /// it is in stock.
    fn each_variant(&self, _f: &mut dyn FnMut(&[String], bool)) {}
}

/// At most this many option values in one filter.
pub const MAX_OPTION_CHOICES: usize = 20;

/// An option value a filter asks for: `Size` `M`. Names and values are compared without
/// regard to case, as shops write "Size" and "size".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OptionValue {
    pub option: String,
    pub value: String,
}

/// At most this many brands in one filter: more is not a choice a person makes.
pub const MAX_BRANDS: usize = 20;
/// A brand longer than this is not one.
pub const MAX_BRAND_CHARS: usize = 100;

/// Which products a listing shows. The empty filter shows every one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Filter {
    /// The lowest price, in minor units, inclusive.
    pub min: Option<i64>,
    /// The highest price, in minor units, inclusive.
    pub max: Option<i64>,
    pub in_stock: bool,
    /// Any of these brands; none means every brand. Sorted, without repeats.
    pub brands: Vec<String>,
    /// At least this many stars, 1 to 5.
    pub stars: Option<u8>,
    /// Option values: a product shows when one of its variants has, for each option
    /// named here, one of the values asked for (and is in stock, with `in_stock`).
    /// Sorted, without repeats.
    pub options: Vec<OptionValue>,
}

/// The parameters of an address that [`Choice::parse`] reads; it leaves any other.
pub const PARAMS: [&str; 7] = ["sort", "min", "max", "stock", "brand", "stars", "option"];

/// A listing's order and filter, as its address says.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Choice {
    pub sort: Sort,
    pub filter: Filter,
}

impl Choice {
    /// Reads the address's parameters. Prices are in `currency`, as the shopper sees
    /// them (`12.50`, `12,50`, `€12`). Every value is checked; the first problem is
    /// returned, named by its parameter.
    pub fn parse<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>, currency: Currency) -> Result<Choice, FieldError> {
        let mut choice = Choice::default();
        for (key, value) in params {
            let value = value.trim();
            match key {
                "sort" => {
                    choice.sort = Sort::parse(value).ok_or_else(|| {
                        let known: Vec<&str> = Sort::ALL.iter().map(|s| s.as_str()).filter(|s| !s.is_empty()).collect();
                        FieldError::new("sort", format!("There is no order called {value:?}: choose one of {}.", known.join(", ")))
                    })?;
                }
                "min" if !value.is_empty() => choice.filter.min = Some(parse_amount("min", "The lowest price", value, currency)?),
                "max" if !value.is_empty() => choice.filter.max = Some(parse_amount("max", "The highest price", value, currency)?),
                "stock" => match value {
                    "" => choice.filter.in_stock = false,
                    "in" => choice.filter.in_stock = true,
                    _ => return Err(FieldError::new("stock", format!("stock can only be \"in\" (in stock only), not {value:?}."))),
                },
                "brand" if !value.is_empty() => {
                    if value.chars().count() > MAX_BRAND_CHARS {
                        return Err(FieldError::new("brand", format!("A brand has at most {MAX_BRAND_CHARS} characters.")));
                    }
                    if !choice.filter.brands.iter().any(|b| b == value) {
                        choice.filter.brands.push(value.to_string());
                    }
                    if choice.filter.brands.len() > MAX_BRANDS {
                        return Err(FieldError::new("brand", format!("Choose at most {MAX_BRANDS} brands.")));
                    }
                }
                "option" if !value.is_empty() => {
                    let bad = || FieldError::new("option", format!("option must name an option and a value, like Size:M, not {value:?}."));
                    let (option, v) = value.split_once(':').ok_or_else(bad)?;
                    let (option, v) = (option.trim(), v.trim());
                    if option.is_empty() || v.is_empty() || option.chars().count() > super::variant::MAX_OPTION_NAME || v.chars().count() > super::variant::MAX_OPTION_VALUE {
                        return Err(bad());
                    }
                    let chosen = OptionValue { option: option.to_string(), value: v.to_string() };
                    if !choice.filter.options.iter().any(|o| o.option.eq_ignore_ascii_case(option) && o.value.eq_ignore_ascii_case(v)) {
                        choice.filter.options.push(chosen);
                    }
                    if choice.filter.options.len() > MAX_OPTION_CHOICES {
                        return Err(FieldError::new("option", format!("Choose at most {MAX_OPTION_CHOICES} sizes, colours and the like.")));
                    }
                }
                "stars" if !value.is_empty() => {
                    let stars = value.parse::<u8>().ok().filter(|s| (1..=5).contains(s));
                    choice.filter.stars = Some(stars.ok_or_else(|| FieldError::new("stars", format!("stars must be a whole number from 1 to 5, not {value:?}.")))?);
                }
                _ => {}
            }
        }
        if let (Some(min), Some(max)) = (choice.filter.min, choice.filter.max) {
            if min > max {
                return Err(FieldError::new(
                    "max",
                    format!("The highest price ({}) is below the lowest ({}).", amount_text(max, currency), amount_text(min, currency)),
                ));
            }
        }
        choice.filter.brands.sort();
        choice.filter.options.sort();
        Ok(choice)
    }

    /// The parameters that give this choice back through [`Choice::parse`]: for the
    /// page's address, in a fixed order so one choice has one address.
    pub fn params(&self, currency: Currency) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.sort != Sort::Listing {
            out.push(("sort", self.sort.as_str().to_string()));
        }
        if let Some(min) = self.filter.min {
            out.push(("min", amount_text(min, currency)));
        }
        if let Some(max) = self.filter.max {
            out.push(("max", amount_text(max, currency)));
        }
        if self.filter.in_stock {
            out.push(("stock", "in".to_string()));
        }
        out.extend(self.filter.brands.iter().map(|b| ("brand", b.clone())));
        if let Some(stars) = self.filter.stars {
            out.push(("stars", stars.to_string()));
        }
        out.extend(self.filter.options.iter().map(|o| ("option", format!("{}:{}", o.option, o.value))));
        out
    }

    pub fn is_default(&self) -> bool {
        *self == Choice::default()
    }
}

/// What a filter panel shows beside its choices. Each count is of the products the
/// listing would show with that choice made and every other one as it is, so a count
/// is never a dead end: choosing a brand with 3 beside it shows 3 products.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    /// In stock, with the other filters as they are.
    pub in_stock: usize,
    /// Each brand in the listing with its count, by name.
    pub brands: Vec<BrandCount>,
    /// The lowest and highest price with the other filters as they are (for the price
    /// fields' hints); none when nothing is left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<PriceRange>,
    /// `stars[n]`: rated at least n + 1 stars.
    pub stars: [usize; 5],
    /// Each option the listing's products come in (Size, Colour), with each value's
    /// count; values in the order the first product to have them lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionFacet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionFacet {
    pub option: String,
    pub values: Vec<ValueCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValueCount {
    pub value: String,
    pub count: usize,
}

/// The chosen option values grouped by option (names in lower case): for each option,
/// the values (in lower case) any of which will do.
fn groups(options: &[OptionValue]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for o in options {
        let name = o.option.to_lowercase();
        let value = o.value.to_lowercase();
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, values)) => values.push(value),
            None => out.push((name, vec![value])),
        }
    }
    out
}

/// Whether `item` can be had as the option groups ask (all but the group `skip`), in
/// stock if `in_stock`. Without groups it is the stock filter alone.
fn fits<T: Listed>(item: &T, groups: &[(String, Vec<String>)], skip: Option<usize>, in_stock: bool) -> bool {
    let asked: Vec<(usize, &Vec<String>)> = groups.iter().enumerate().filter(|(g, _)| Some(*g) != skip).map(|(g, (_, values))| (g, values)).collect();
    if asked.is_empty() {
        return !in_stock || item.stock() > 0;
    }
    let options = item.options();
    let mut at = Vec::with_capacity(asked.len());
    for (g, values) in &asked {
        match options.iter().position(|o| same_lower(&o.name, &groups[*g].0)) {
            Some(i) => at.push((i, *values)),
            // A product without that option (a mug has no size) is not one.
            None => return false,
        }
    }
    let mut found = false;
    item.each_variant(&mut |values, available| {
        if !found && (available || !in_stock) {
            found = at.iter().all(|(i, wanted)| values.get(*i).is_some_and(|v| wanted.iter().any(|w| same_lower(v, w))));
        }
    });
    found
}

/// In minor units, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceRange {
    pub min: i64,
    pub max: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandCount {
    pub brand: String,
    pub count: usize,
}

/// The products of `items` that `choice` shows, in its order, with the facets.
/// `items` come in the listing's own order, which [`Sort::Listing`] keeps and every
/// other order falls back on for ties.
pub fn list<'a, T: Listed>(items: impl IntoIterator<Item = &'a T>, choice: &Choice) -> (Vec<&'a T>, Facets) {
    let f = &choice.filter;
    let groups = groups(&f.options);
    let mut shown: Vec<&T> = Vec::new();
    let mut facets = Facets::default();
    let mut brands: BTreeMap<&str, usize> = BTreeMap::new();
    // Each option (by its lower-case name): its name as first written, and its values
    // (lower case → as first written, count) in first-seen order.
    let mut options: Vec<(String, String, Vec<(String, String, usize)>)> = Vec::new();
    for item in items {
        let price = item.price_minor();
        let by_price = f.min.is_none_or(|m| price >= m) && f.max.is_none_or(|m| price <= m);
        // In stock and the options asked for, together: a size M that is sold out is
        // not "size M in stock".
        let by_variant = fits(item, &groups, None, f.in_stock);
        let by_brand = f.brands.is_empty() || f.brands.iter().any(|b| b == item.brand());
        let stars = item.rating().map_or(0, |(avg, _)| avg);
        let by_stars = f.stars.is_none_or(|s| stars >= u16::from(s) * 100);
        if by_price && by_brand && by_stars && fits(item, &groups, None, true) {
            facets.in_stock += 1;
        }
        if by_price && by_variant && by_stars && !item.brand().is_empty() {
            *brands.entry(item.brand()).or_default() += 1;
        }
        if by_variant && by_brand && by_stars {
            facets.prices = Some(facets.prices.map_or(PriceRange { min: price, max: price }, |r| PriceRange { min: r.min.min(price), max: r.max.max(price) }));
        }
        if by_price && by_variant && by_brand {
            for (n, count) in facets.stars.iter_mut().enumerate() {
                if stars >= (n as u16 + 1) * 100 {
                    *count += 1;
                }
            }
        }
        if by_price && by_brand && by_stars && !item.options().is_empty() {
            count_options(item, &groups, f.in_stock, &mut options);
        }
        if by_price && by_variant && by_brand && by_stars {
            shown.push(item);
        }
    }
    // A chosen brand stays on the panel (with 0) even when other filters leave none
    // of it, so it can be unchosen there; so does a chosen option value.
    for b in &f.brands {
        brands.entry(b.as_str()).or_default();
    }
    facets.brands = brands.into_iter().map(|(brand, count)| BrandCount { brand: brand.to_string(), count }).collect();
    for o in &f.options {
        let key = o.option.to_lowercase();
        let at = match options.iter().position(|(k, _, _)| *k == key) {
            Some(at) => at,
            None => {
                options.push((key, o.option.clone(), Vec::new()));
                options.len() - 1
            }
        };
        let values = &mut options[at].2;
        if !values.iter().any(|(k, _, _)| *k == o.value.to_lowercase()) {
            values.push((o.value.to_lowercase(), o.value.clone(), 0));
        }
    }
    facets.options = options
        .into_iter()
        .map(|(key, option, values)| OptionFacet {
            values: values
                .into_iter()
                .filter(|(k, _, count)| *count > 0 || f.options.iter().any(|o| o.option.to_lowercase() == key && o.value.to_lowercase() == *k))
                .map(|(_, value, count)| ValueCount { value, count })
                .collect(),
            option,
        })
        .collect();
    // Stable sorts: ties keep the listing's own order.
    match choice.sort {
        Sort::Listing => {}
        Sort::PriceUp => shown.sort_by_key(|p| p.price_minor()),
        Sort::PriceDown => shown.sort_by_key(|p| std::cmp::Reverse(p.price_minor())),
        // Ids only grow, so the newest product has the highest.
        Sort::Newest => shown.sort_by_key(|p| std::cmp::Reverse(p.id())),
        Sort::BestSelling => shown.sort_by_key(|p| std::cmp::Reverse(p.sold())),
        Sort::BestRated => shown.sort_by_key(|p| std::cmp::Reverse(p.rating().map_or((0, 0), |(avg, n)| (avg, n)))),
    }
    (shown, facets)
}

/// Whether `text` is `lower` (already in lower case) but for case, without making a
/// lower-case copy of `text` when both are ASCII (nearly always): counting sizes and
/// colours compares every variant's values, on every keystroke of a search.
fn same_lower(text: &str, lower: &str) -> bool {
    if text.is_ascii() && lower.is_ascii() {
        text.len() == lower.len() && text.bytes().zip(lower.bytes()).all(|(a, b)| a.to_ascii_lowercase() == b)
    } else {
        text.to_lowercase() == lower
    }
}

/// Adds `item` to the count of each option value that choosing it alone (in place of
/// that option's values chosen now, the other options as they are) would show it for.
fn count_options<T: Listed>(item: &T, groups: &[(String, Vec<String>)], in_stock: bool, options: &mut Vec<(String, String, Vec<(String, String, usize)>)>) {
    let item_options = item.options();
    for (i, option) in item_options.iter().enumerate() {
        let at = match options.iter().position(|(k, _, _)| same_lower(&option.name, k)) {
            Some(at) => at,
            None => {
                options.push((option.name.to_lowercase(), option.name.clone(), Vec::new()));
                options.len() - 1
            }
        };
        // Where each of this option's values is counted.
        let mut slots: Vec<usize> = Vec::with_capacity(option.values.len());
        for v in &option.values {
            let values = &mut options[at].2;
            let slot = match values.iter().position(|(k, _, _)| same_lower(v, k)) {
                Some(slot) => slot,
                None => {
                    values.push((v.to_lowercase(), v.clone(), 0));
                    values.len() - 1
                }
            };
            slots.push(slot);
        }
        // The other options' groups must hold; this option's group is replaced.
        let mut others: Vec<(usize, &Vec<String>)> = Vec::new();
        for (name, values) in groups {
            if same_lower(&option.name, name) {
                continue;
            }
            match item_options.iter().position(|o| same_lower(&o.name, name)) {
                Some(j) => others.push((j, values)),
                None => return,
            }
        }
        let mut found = vec![false; option.values.len()];
        item.each_variant(&mut |values, available| {
            if (available || !in_stock) && others.iter().all(|(j, wanted)| values.get(*j).is_some_and(|v| wanted.iter().any(|w| same_lower(v, w)))) {
                // A variant's value is one of its option's values, as written.
                if let Some(n) = values.get(i).and_then(|v| option.values.iter().position(|x| x == v).or_else(|| option.values.iter().position(|x| same_lower(v, &x.to_lowercase())))) {
                    found[n] = true;
                }
            }
        });
        let mut counted: Vec<usize> = Vec::with_capacity(slots.len());
        for (n, slot) in slots.into_iter().enumerate() {
            // Two values of one option that differ only in case are one value here.
            if found[n] && !counted.contains(&slot) {
                counted.push(slot);
                options[at].2[slot].2 += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone, PartialEq)]
    struct P {
        id: i64,
        price: i64,
        stock: i64,
        brand: &'static str,
        sold: i64,
        rating: Option<(u16, u32)>,
        options: Vec<ProductOption>,
        /// Values and stock.
        variants: Vec<(Vec<String>, i64)>,
    }

    impl Listed for P {
        fn id(&self) -> i64 {
            self.id
        }
        fn price_minor(&self) -> i64 {
            self.price
        }
        fn stock(&self) -> i64 {
            self.stock
        }
        fn brand(&self) -> &str {
            self.brand
        }
        fn sold(&self) -> i64 {
            self.sold
        }
        fn rating(&self) -> Option<(u16, u32)> {
            self.rating
        }
        fn options(&self) -> &[ProductOption] {
            &self.options
        }
        fn each_variant(&self, f: &mut dyn FnMut(&[String], bool)) {
            for (values, stock) in &self.variants {
                f(values, *stock > 0);
            }
        }
    }

    fn p(id: i64, price: i64, stock: i64, brand: &'static str) -> P {
        P { id, price, stock, brand, sold: 0, rating: None, options: vec![], variants: vec![] }
    }

    /// A product in sizes and colours: `stock[i]` for each (size, colour) in order.
    fn tee(id: i64, sizes: &[&str], colours: &[&str], stock: &[i64]) -> P {
        let options = vec![
            ProductOption { name: "Size".into(), values: sizes.iter().map(|s| s.to_string()).collect() },
            ProductOption { name: "Colour".into(), values: colours.iter().map(|s| s.to_string()).collect() },
        ];
        let variants: Vec<(Vec<String>, i64)> = sizes
            .iter()
            .flat_map(|s| colours.iter().map(move |c| vec![s.to_string(), c.to_string()]))
            .zip(stock.iter().copied())
            .collect();
        P { stock: variants.iter().map(|(_, s)| s).sum(), options, variants, ..p(id, 1000, 0, "") }
    }

    fn parse(q: &str) -> Result<Choice, FieldError> {
        Choice::parse(q.split('&').filter(|s| !s.is_empty()).map(|kv| kv.split_once('=').unwrap_or((kv, ""))), Currency::EUR)
    }

    fn ids(list: &[&P]) -> Vec<i64> {
        list.iter().map(|p| p.id).collect()
    }

    #[test]
    fn an_address_reads_into_a_choice_and_back() {
        let c = parse("sort=-price&min=10&max=49,90&stock=in&brand=Zed&brand=Acme&brand=Zed&stars=4&page=2&utm_source=mail").unwrap();
        assert_eq!(c.sort, Sort::PriceDown);
        assert_eq!(c.filter, Filter { min: Some(1000), max: Some(4990), in_stock: true, brands: vec!["Acme".into(), "Zed".into()], stars: Some(4), options: vec![] });
        let c = parse("option=Size:M&option=Colour:%20Blue&option=size:m").unwrap();
        assert_eq!(c.filter.options.len(), 2, "{:?}", c.filter.options);
        let again: Vec<(&str, String)> = c.params(Currency::EUR);
        assert_eq!(Choice::parse(again.iter().map(|(k, v)| (*k, v.as_str())), Currency::EUR).unwrap(), c);
        assert!(parse("").unwrap().is_default());
        assert!(parse("sort=&min=&stock=").unwrap().is_default());
    }

    #[test]
    fn a_wrong_value_is_named_with_its_parameter() {
        let field = |q: &str| parse(q).unwrap_err().field;
        assert_eq!(field("sort=cheapest"), "sort");
        assert_eq!(field("min=abc"), "min");
        assert_eq!(field("max=-5"), "max");
        assert_eq!(field("stock=yes"), "stock");
        assert_eq!(field("stars=6"), "stars");
        assert_eq!(field("stars=x"), "stars");
        assert_eq!(field("option=M"), "option");
        assert_eq!(field("option=Size:"), "option");
        assert_eq!(field(&format!("option=Size:{}", "x".repeat(41))), "option");
        let e = parse("min=50&max=10").unwrap_err();
        assert_eq!(e.field, "max");
        assert!(e.message.contains("below the lowest"), "{}", e.message);
        assert_eq!(field(&format!("brand={}", "b".repeat(MAX_BRAND_CHARS + 1))), "brand");
        let many: Vec<String> = (0..=MAX_BRANDS).map(|i| format!("brand=B{i}")).collect();
        assert_eq!(field(&many.join("&")), "brand");
    }

    #[test]
    fn filters_sorts_and_counts_what_each_choice_would_show() {
        let items = [p(1, 500, 3, "Acme"), p(2, 1500, 0, "Acme"), p(3, 1000, 2, "Zed"), p(4, 2500, 1, ""), p(5, 1000, 0, "Zed")];
        let (all, facets) = list(&items, &Choice::default());
        assert_eq!(ids(&all), vec![1, 2, 3, 4, 5]);
        assert_eq!(facets.in_stock, 3);
        assert_eq!(facets.prices, Some(PriceRange { min: 500, max: 2500 }));
        let brands: Vec<(&str, usize)> = facets.brands.iter().map(|b| (b.brand.as_str(), b.count)).collect();
        assert_eq!(brands, vec![("Acme", 2), ("Zed", 2)]);

        let cheap_first = parse("sort=price&stock=in").unwrap();
        let (shown, facets) = list(&items, &cheap_first);
        assert_eq!(ids(&shown), vec![1, 3, 4]);
        // With "in stock" chosen, each brand counts its products in stock.
        assert_eq!(facets.brands.iter().map(|b| b.count).collect::<Vec<_>>(), vec![1, 1]);

        let (shown, _) = list(&items, &parse("sort=-price&brand=Zed").unwrap());
        // Ties keep the listing's order.
        assert_eq!(ids(&shown), vec![3, 5]);
        let (shown, _) = list(&items, &parse("sort=newest&max=10").unwrap());
        assert_eq!(ids(&shown), vec![5, 3, 1]);
    }

    #[test]
    fn best_sellers_and_best_rated_come_first_and_a_chosen_brand_stays_on_the_panel() {
        let mut items = vec![p(1, 100, 1, "Acme"), p(2, 100, 1, "Acme"), p(3, 100, 1, "Zed")];
        items[1].sold = 9;
        items[2].sold = 4;
        items[0].rating = Some((480, 3));
        items[2].rating = Some((480, 10));
        assert_eq!(ids(&list(&items, &parse("sort=best-selling").unwrap()).0), vec![2, 3, 1]);
        assert_eq!(ids(&list(&items, &parse("sort=best-rated").unwrap()).0), vec![3, 1, 2]);
        let (shown, facets) = list(&items, &parse("stars=4").unwrap());
        assert_eq!(ids(&shown), vec![1, 3]);
        assert_eq!(facets.stars, [2, 2, 2, 2, 0]);
        let (shown, facets) = list(&items, &parse("brand=Gone").unwrap());
        assert!(shown.is_empty());
        assert!(facets.brands.iter().any(|b| b.brand == "Gone" && b.count == 0));
    }

    #[test]
    fn a_size_filter_shows_what_comes_in_that_size_in_stock_when_asked() {
        let items = [
            tee(1, &["S", "M"], &["Blue", "Red"], &[1, 0, 0, 2]),
            // M sold out in both colours.
            tee(2, &["S", "M", "L"], &["Blue"], &[3, 0, 1]),
            p(3, 500, 4, ""),
        ];
        let (shown, facets) = list(&items, &parse("option=Size:M").unwrap());
        assert_eq!(ids(&shown), vec![1, 2], "M exists for both");
        let (shown, facets_in) = list(&items, &parse("option=size:m&stock=in").unwrap());
        assert_eq!(ids(&shown), vec![1], "M in stock: only the first (in red)");
        let (shown, _) = list(&items, &parse("option=Size:M&option=Colour:Blue&stock=in").unwrap());
        assert!(shown.is_empty(), "no blue M in stock");
        // Counts: choosing the value alone, the other filters as they are.
        let sizes: Vec<(String, usize)> = facets.options[0].values.iter().map(|v| (v.value.clone(), v.count)).collect();
        assert_eq!(facets.options[0].option, "Size");
        assert_eq!(sizes, vec![("S".into(), 2), ("M".into(), 2), ("L".into(), 1)]);
        let sizes_in: Vec<(String, usize)> = facets_in.options[0].values.iter().map(|v| (v.value.clone(), v.count)).collect();
        assert_eq!(sizes_in, vec![("S".into(), 2), ("M".into(), 1), ("L".into(), 1)]);
        assert_eq!(facets_in.in_stock, 1);
        // A chosen value no product has stays on the panel with 0.
        let (_, facets) = list(&items, &parse("option=Size:XXL").unwrap());
        assert!(facets.options[0].values.iter().any(|v| v.value == "XXL" && v.count == 0));
    }

    fn product() -> impl Strategy<Value = P> {
        (1i64..10_000, 0i64..5_000, 0i64..5, prop::sample::select(vec!["", "Acme", "Zed", "Oak"]), 0i64..50, prop::option::of((100u16..=500, 1u32..50)), prop::collection::vec(0i64..3, 4))
            .prop_map(|(id, price, stock, brand, sold, rating, sizes)| {
                // One product in three has sizes (some sold out).
                if id % 3 == 0 {
                    P { price, brand, sold, rating, ..tee(id, &["S", "M"], &["Blue", "Red"], &sizes) }
                } else {
                    P { id, price, stock, brand, sold, rating, options: vec![], variants: vec![] }
                }
            })
    }

    fn choice() -> impl Strategy<Value = Choice> {
        (
            prop::sample::select(Sort::ALL.to_vec()),
            prop::option::of(0i64..5_000),
            prop::option::of(0i64..5_000),
            any::<bool>(),
            prop::collection::btree_set(prop::sample::select(vec!["Acme", "Zed", "Oak", "Gone"]), 0..3),
            prop::option::of(1u8..=5),
            prop::collection::btree_set(prop::sample::select(vec![("Size", "S"), ("Size", "M"), ("Colour", "Red"), ("size", "xl")]), 0..3),
        )
            .prop_map(|(sort, min, max, in_stock, brands, stars, options)| {
                let (min, max) = match (min, max) {
                    (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
                    other => other,
                };
                Choice { sort, filter: Filter { min, max, in_stock, brands: brands.into_iter().map(String::from).collect(), stars, options: options.into_iter().map(|(o, v)| OptionValue { option: o.into(), value: v.into() }).collect() } }
            })
    }

    fn shows(f: &Filter, p: &P) -> bool {
        f.min.is_none_or(|m| p.price >= m)
            && f.max.is_none_or(|m| p.price <= m)
            && (!f.in_stock || p.stock > 0)
            && (f.brands.is_empty() || f.brands.iter().any(|b| b == p.brand))
            && f.stars.is_none_or(|s| p.rating.is_some_and(|(avg, _)| avg >= u16::from(s) * 100))
            && (f.options.is_empty() || p.variants.iter().any(|(values, stock)| {
                (!f.in_stock || *stock > 0)
                    && ["size", "colour"].iter().enumerate().all(|(i, name)| {
                        let wanted: Vec<&OptionValue> = f.options.iter().filter(|o| o.option.to_lowercase() == *name).collect();
                        wanted.is_empty() || wanted.iter().any(|o| o.value.eq_ignore_ascii_case(&values[i]))
                    })
            }))
    }

    proptest! {
        #[test]
        fn shows_exactly_the_products_the_filter_allows_in_the_order_chosen(items in prop::collection::vec(product(), 0..60), c in choice()) {
            let (shown, _) = list(&items, &c);
            let expected: Vec<&P> = items.iter().filter(|p| shows(&c.filter, p)).collect();
            prop_assert_eq!(shown.len(), expected.len());
            let mut a: Vec<*const P> = shown.iter().map(|p| *p as *const P).collect();
            let mut b: Vec<*const P> = expected.iter().map(|p| *p as *const P).collect();
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
            for w in shown.windows(2) {
                match c.sort {
                    Sort::PriceUp => prop_assert!(w[0].price <= w[1].price),
                    Sort::PriceDown => prop_assert!(w[0].price >= w[1].price),
                    Sort::Newest => prop_assert!(w[0].id >= w[1].id),
                    Sort::BestSelling => prop_assert!(w[0].sold >= w[1].sold),
                    _ => {}
                }
            }
            if c.sort == Sort::Listing {
                prop_assert_eq!(shown, expected);
            }
        }

        #[test]
        fn a_count_beside_a_choice_is_what_choosing_it_shows(items in prop::collection::vec(product(), 0..60), c in choice()) {
            let (_, facets) = list(&items, &c);
            let mut with_stock = c.clone();
            with_stock.filter.in_stock = true;
            prop_assert_eq!(facets.in_stock, list(&items, &with_stock).0.len());
            for b in &facets.brands {
                let mut one = c.clone();
                one.filter.brands = vec![b.brand.clone()];
                prop_assert_eq!(b.count, list(&items, &one).0.len());
            }
            for (n, count) in facets.stars.iter().enumerate() {
                let mut rated = c.clone();
                rated.filter.stars = Some(n as u8 + 1);
                prop_assert_eq!(*count, list(&items, &rated).0.len());
            }
            for o in &facets.options {
                for v in &o.values {
                    let mut one = c.clone();
                    one.filter.options.retain(|x| !x.option.eq_ignore_ascii_case(&o.option));
                    one.filter.options.push(OptionValue { option: o.option.clone(), value: v.value.clone() });
                    prop_assert_eq!(v.count, list(&items, &one).0.len(), "{}: {}", o.option, v.value);
                }
            }
        }

        #[test]
        fn every_choice_has_one_address_that_reads_back(c in choice()) {
            let params = c.params(Currency::EUR);
            prop_assert!(params.iter().all(|(k, _)| PARAMS.contains(k)));
            prop_assert_eq!(Choice::parse(params.iter().map(|(k, v)| (*k, v.as_str())), Currency::EUR).unwrap(), c);
        }
    }
}
