//! Variants: a product sold in up to three options (Size, Colour, Material), one
//! variant per combination the shop sells, each with its own SKU, price, stock, weight
//! and photo — the model Shopify, Saleor and Medusa share, so a shop's export from any
//! of them maps onto it.
//!
//! A product without options is sold as itself: its own price and stock, and no
//! variants. A product with options is bought only as one of its variants; its own
//! price is then the lowest variant's and its stock the sum of theirs (the catalogue
//! writer keeps both), so listings, sorting and filters need not know about variants.
//!
//! The product page's choosing lives here too ([`value_state`], [`variant_for`]), so the
//! web app, online and offline, and the server's first view agree on what is on offer.

use crate::{
    customer::{parse_text, FieldError},
    pricing::amount::parse_amount,
    Currency, Money,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Options a product can have: Shopify's limit, and the CSV's `Option1..3` columns.
pub const MAX_OPTIONS: usize = 3;
/// Values one option can have.
pub const MAX_VALUES: usize = 30;
/// Variants one product can have.
pub const MAX_VARIANTS: usize = 100;
pub const MAX_OPTION_NAME: usize = 30;
pub const MAX_OPTION_VALUE: usize = 40;
/// Beyond this many values an option is chosen from a list rather than from buttons.
pub const BUTTONS_UP_TO: usize = 8;

/// One way a product varies, with the values it comes in, in the shop's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductOption {
    pub name: String,
    pub values: Vec<String>,
}

/// One combination of option values the shop sells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Variant {
    pub id: i64,
    /// Empty when the shop gave none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sku: String,
    /// One value per product option, in the options' order.
    pub options: Vec<String>,
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at: Option<Money>,
    pub stock: i64,
    #[serde(default)]
    pub weight_grams: i64,
    /// One of the product's photos that shows this variant; the product's first
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_id: Option<i64>,
    /// Its prices in other markets, set by staff; any other market converts the price
    /// above (see [`crate::market`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub market_prices: Vec<Money>,
}

impl Variant {
    /// "M / Blue": how carts, orders, e-mails and packing slips name it.
    pub fn title(&self) -> String {
        self.options.join(" / ")
    }
}

/// What the shopper has chosen so far: a value, or none yet, per option.
pub type Choice = Vec<Option<String>>;

/// The variant the choice names, once every option is chosen.
pub fn variant_for<'a>(variants: &'a [Variant], choice: &[Option<String>]) -> Option<&'a Variant> {
    if choice.iter().any(Option::is_none) {
        return None;
    }
    variants.iter().find(|v| v.options.len() == choice.len() && v.options.iter().zip(choice).all(|(a, b)| Some(a) == b.as_ref()))
}

/// The choice that names `variant`.
pub fn choice_of(variant: &Variant) -> Choice {
    variant.options.iter().cloned().map(Some).collect()
}

/// What picking `value` for option `option` would lead to, given the other options as
/// chosen: a variant in stock, one sold out (still selectable, for "tell me when it is
/// back"), or no variant at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueState {
    Available,
    SoldOut,
    /// The shop does not sell this combination.
    Missing,
}

pub fn value_state(variants: &[Variant], choice: &[Option<String>], option: usize, value: &str) -> ValueState {
    let mut found = ValueState::Missing;
    for v in variants {
        let fits = v.options.get(option).is_some_and(|o| o == value)
            && choice.iter().enumerate().all(|(j, c)| j == option || c.as_ref().is_none_or(|c| v.options.get(j) == Some(c)));
        if fits {
            if v.stock > 0 {
                return ValueState::Available;
            }
            found = ValueState::SoldOut;
        }
    }
    found
}

/// The variant a product page opens on: the one its address names (`?variant=`) if the
/// product has it, else the first in stock, else the first.
pub fn opening_variant(variants: &[Variant], wanted: Option<i64>) -> Option<&Variant> {
    wanted
        .and_then(|id| variants.iter().find(|v| v.id == id))
        .or_else(|| variants.iter().find(|v| v.stock > 0))
        .or_else(|| variants.first())
}

/// Changes one option of a choice. When the new value and the other options name no
/// variant the shop sells, the other options move to the nearest combination that
/// exists (keeping as many of them as possible), so a tap never leads nowhere.
pub fn choose(variants: &[Variant], choice: &[Option<String>], option: usize, value: &str) -> Choice {
    let mut next: Choice = choice.to_vec();
    if let Some(slot) = next.get_mut(option) {
        *slot = Some(value.to_string());
    }
    if variant_for(variants, &next).is_some() || next.iter().any(Option::is_none) {
        return next;
    }
    let kept = |v: &Variant| v.options.iter().zip(&next).filter(|(a, b)| Some(*a) == b.as_ref()).count();
    let candidates = variants.iter().filter(|v| v.options.get(option).is_some_and(|o| o == value));
    // Most options kept first, then in stock, then the shop's order.
    match candidates.max_by_key(|v| (kept(v), v.stock > 0, std::cmp::Reverse(v.id))) {
        Some(v) => choice_of(v),
        None => next,
    }
}

/// Every combination of the options' values, in the shop's order (the first option
/// changing slowest), as "generate variants" makes them.
pub fn combinations(options: &[ProductOption]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for option in options {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                option.values.iter().map(move |value| {
                    let mut next = prefix.clone();
                    next.push(value.clone());
                    next
                })
            })
            .collect();
    }
    if options.is_empty() {
        return Vec::new();
    }
    out
}

/// What the product's own row holds for a product with variants: the lowest price (what
/// a card says "from"), that variant's "was" price, and the stock of all together.
/// `variants` are each variant's price, "was" price and stock, in the shop's order; of
/// two variants at the lowest price the first counts. None without variants.
pub fn product_figures(variants: &[(i64, Option<i64>, i64)]) -> Option<(i64, Option<i64>, i64)> {
    let (price, compare_at, _) = variants.iter().min_by_key(|(price, _, _)| *price)?;
    let stock = variants.iter().map(|(_, _, stock)| stock).sum();
    Some((*price, *compare_at, stock))
}

/// The variants form as typed in the back office (numbers stay text, as in the product
/// form), or as read from a CSV import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariantsForm {
    /// None: the product is sold as itself, without variants.
    #[serde(default)]
    pub options: Vec<ProductOption>,
    #[serde(default)]
    pub variants: Vec<VariantForm>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariantForm {
    /// The variant being edited; none for a new one. Ids are kept, so a cart or order
    /// line naming a variant still finds it after an edit.
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub sku: String,
    pub options: Vec<String>,
    pub price: String,
    #[serde(default)]
    pub compare_at: String,
    pub stock: String,
    /// The stock the form showed; a changed stock is saved only if orders did not take
    /// any meanwhile (as for a product's own stock).
    #[serde(default)]
    pub stock_was: String,
    #[serde(default)]
    pub weight_grams: String,
    #[serde(default)]
    pub photo_id: Option<i64>,
    /// Its prices in the shop's other markets (see `ProductForm`);
    /// left out: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_prices: Option<Vec<crate::market::form::MarketPriceForm>>,
}

/// A checked variants form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VariantsEdit {
    pub options: Vec<ProductOption>,
    pub variants: Vec<VariantEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantEdit {
    pub id: Option<i64>,
    pub sku: Option<String>,
    pub options: Vec<String>,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub stock: i64,
    pub stock_was: Option<i64>,
    pub weight_grams: i64,
    pub photo_id: Option<i64>,
    /// `None`: keep the prices it has.
    pub market_prices: Option<Vec<Money>>,
}

impl VariantEdit {
    pub fn title(&self) -> String {
        self.options.join(" / ")
    }
}

impl VariantsForm {
    /// Every problem at once. Problems with an option are on the field `options`,
    /// with a variant on `variants`, and each message names the option or the variant.
    pub fn parse(&self, currency: Currency) -> Result<VariantsEdit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let options = parse_options(&self.options, &mut errors);
        if self.options.is_empty() {
            if !self.variants.is_empty() {
                errors.push(FieldError::new("options", "Variants need at least one option (such as Size) to tell them apart."));
            }
            return if errors.is_empty() { Ok(VariantsEdit::default()) } else { Err(errors) };
        }
        if self.variants.is_empty() {
            errors.push(FieldError::new("variants", "A product with options needs at least one variant: generate them from the options."));
        }
        if self.variants.len() > MAX_VARIANTS {
            errors.push(FieldError::new("variants", format!("A product can have at most {MAX_VARIANTS} variants; this one has {}.", self.variants.len())));
        }
        let mut variants = Vec::with_capacity(self.variants.len());
        let mut seen = HashSet::new();
        let mut skus = HashSet::new();
        for (i, v) in self.variants.iter().enumerate() {
            let title = if v.options.iter().all(|o| o.trim().is_empty()) { format!("Variant {}", i + 1) } else { v.options.iter().map(|o| o.trim()).collect::<Vec<_>>().join(" / ") };
            let mut problem = |message: String| errors.push(FieldError::new("variants", format!("{title}: {message}")));
            let values: Vec<String> = v.options.iter().map(|o| o.trim().to_string()).collect();
            if values.len() != self.options.len() {
                problem(format!("needs one value for each of the {} options.", self.options.len()));
            } else {
                for (value, option) in values.iter().zip(&self.options) {
                    if !option.values.iter().any(|x| x.trim() == value) {
                        problem(format!("{value:?} is not one of {}'s values.", option.name.trim()));
                    }
                }
                if !seen.insert(values.iter().map(|x| x.to_lowercase()).collect::<Vec<_>>()) {
                    problem("this combination is listed twice.".into());
                }
            }
            let sku = match parse_variant_sku(&v.sku) {
                Ok(Some(s)) if !skus.insert(s.to_lowercase()) => {
                    problem(format!("the SKU {s} is used by another variant."));
                    None
                }
                Ok(s) => s,
                Err(m) => {
                    problem(m);
                    None
                }
            };
            let price = if v.price.trim().is_empty() { Err(FieldError::new("variants", "needs a price.")) } else { parse_amount("variants", "The price", &v.price, currency) };
            let compare_at = if v.compare_at.trim().is_empty() { Ok(None) } else { parse_amount("variants", "The “was” price", &v.compare_at, currency).map(Some) };
            let stock = count("Stock", &v.stock, super::stock::MAX_STOCK);
            let stock_was = if v.stock_was.trim().is_empty() { Ok(None) } else { count("Stock", &v.stock_was, super::stock::MAX_STOCK).map(Some) };
            let weight = if v.weight_grams.trim().is_empty() { Ok(0) } else { count("The weight", &v.weight_grams, 1_000_000) };
            let market_prices = match v.market_prices.as_deref().map(crate::market::form::parse_market_prices) {
                None => Ok(None),
                Some(Ok(prices)) => Ok(Some(prices)),
                Some(Err(e)) => Err(e.into_iter().next().unwrap_or_else(|| FieldError::new("variants", "a market price cannot be read."))),
            };
            match (price, compare_at, stock, stock_was, weight, market_prices) {
                (Ok(price_minor), Ok(compare_at_minor), Ok(stock), Ok(stock_was), Ok(weight_grams), Ok(market_prices)) => {
                    if compare_at_minor.is_some_and(|was| was <= price_minor) {
                        problem("the “was” price must be higher than the price, or empty.".into());
                    }
                    variants.push(VariantEdit { id: v.id, sku, options: values, price_minor, compare_at_minor, stock, stock_was, weight_grams, photo_id: v.photo_id, market_prices });
                }
                (price, compare_at, stock, stock_was, weight, market_prices) => {
                    for e in [price.err(), compare_at.err(), stock.err(), stock_was.err(), weight.err(), market_prices.err()].into_iter().flatten() {
                        problem(lower_first(&e.message));
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(VariantsEdit { options, variants })
        } else {
            Err(errors)
        }
    }
}

fn parse_options(raw: &[ProductOption], errors: &mut Vec<FieldError>) -> Vec<ProductOption> {
    if raw.len() > MAX_OPTIONS {
        errors.push(FieldError::new("options", format!("A product can have at most {MAX_OPTIONS} options (such as Size, Colour, Material).")));
    }
    let mut names = HashSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for option in raw.iter().take(MAX_OPTIONS) {
        let name = match parse_text("options", "the option's name", &option.name, MAX_OPTION_NAME) {
            Ok(n) => n,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if !names.insert(name.to_lowercase()) {
            errors.push(FieldError::new("options", format!("There are two options named {name}.")));
        }
        let mut values = Vec::with_capacity(option.values.len());
        let mut seen = HashSet::new();
        for value in &option.values {
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            if v.chars().count() > MAX_OPTION_VALUE {
                errors.push(FieldError::new("options", format!("{name}: a value can be at most {MAX_OPTION_VALUE} characters.")));
            } else if v.contains(" / ") {
                errors.push(FieldError::new("options", format!("{name}: {v:?} cannot contain \" / \", which separates values in a variant's name.")));
            } else if !seen.insert(v.to_lowercase()) {
                errors.push(FieldError::new("options", format!("{name}: {v} is listed twice.")));
            } else {
                values.push(v.to_string());
            }
        }
        if values.is_empty() {
            errors.push(FieldError::new("options", format!("{name} needs at least one value.")));
        }
        if values.len() > MAX_VALUES {
            errors.push(FieldError::new("options", format!("{name} can have at most {MAX_VALUES} values.")));
        }
        out.push(ProductOption { name, values });
    }
    out
}

fn count(label: &str, raw: &str, max: i64) -> Result<i64, FieldError> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new("variants", format!("{label} must be a whole number from 0 to {max}."))),
    }
}

fn parse_variant_sku(raw: &str) -> Result<Option<String>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() > 64 || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b)) {
        return Err("a SKU is up to 64 letters, digits and - _ . /, without spaces.".into());
    }
    Ok(Some(s.to_string()))
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    fn tee() -> Vec<Variant> {
        let mut out = Vec::new();
        let mut id = 10;
        for size in ["S", "M", "L"] {
            for colour in ["Blue", "Red"] {
                id += 1;
                // No red L; blue M sold out.
                if size == "L" && colour == "Red" {
                    continue;
                }
                let stock = if size == "M" && colour == "Blue" { 0 } else { 4 };
                out.push(Variant { market_prices: Default::default(), id, sku: format!("TEE-{size}-{colour}"), options: vec![size.into(), colour.into()], price: eur(if size == "L" { 2200 } else { 1900 }), compare_at: None, stock, weight_grams: 180, photo_id: None });
            }
        }
        out
    }

    fn some(v: &[&str]) -> Choice {
        v.iter().map(|s| Some(s.to_string())).collect()
    }

    #[test]
    fn a_full_choice_names_its_variant() {
        let vs = tee();
        assert_eq!(variant_for(&vs, &some(&["M", "Red"])).map(|v| v.sku.as_str()), Some("TEE-M-Red"));
        assert_eq!(variant_for(&vs, &some(&["L", "Red"])), None);
        assert_eq!(variant_for(&vs, &[Some("M".into()), None]), None);
        assert_eq!(variant_for(&vs, &some(&["M", "Red"])).map(Variant::title).as_deref(), Some("M / Red"));
    }

    #[test]
    fn values_say_whether_they_can_be_bought() {
        let vs = tee();
        let chosen = some(&["M", "Blue"]);
        assert_eq!(value_state(&vs, &chosen, 0, "S"), ValueState::Available);
        assert_eq!(value_state(&vs, &chosen, 0, "M"), ValueState::SoldOut);
        assert_eq!(value_state(&vs, &some(&["M", "Red"]), 0, "L"), ValueState::Missing);
        // With nothing else chosen, M is available (in red).
        assert_eq!(value_state(&vs, &[None, None], 0, "M"), ValueState::Available);
        assert_eq!(value_state(&vs, &[None, None], 0, "XL"), ValueState::Missing);
    }

    #[test]
    fn a_tap_on_a_missing_combination_moves_to_one_that_exists() {
        let vs = tee();
        // Red is chosen; L has no red, so the colour moves to blue.
        assert_eq!(choose(&vs, &some(&["M", "Red"]), 0, "L"), some(&["L", "Blue"]));
        assert_eq!(choose(&vs, &some(&["M", "Red"]), 0, "S"), some(&["S", "Red"]));
    }

    #[test]
    fn a_page_opens_on_the_asked_for_variant_or_one_in_stock() {
        let vs = tee();
        assert_eq!(opening_variant(&vs, Some(14)).map(|v| v.id), Some(14));
        // 13 is M / Blue, sold out: asked for, it is still shown.
        assert_eq!(opening_variant(&vs, Some(13)).map(|v| v.id), Some(13));
        assert_eq!(opening_variant(&vs, Some(999)).map(|v| v.id), Some(11));
        assert_eq!(opening_variant(&[], None), None);
    }

    #[test]
    fn a_product_shows_its_cheapest_variant_and_the_stock_of_all() {
        // Two at the lowest price: the first, with its "was" price.
        assert_eq!(product_figures(&[(2200, None, 1), (1900, Some(2500), 2), (1900, None, 3)]), Some((1900, Some(2500), 6)));
        assert_eq!(product_figures(&[]), None);
    }

    fn form() -> VariantsForm {
        let options = vec![ProductOption { name: "Size".into(), values: vec!["S".into(), " M ".into()] }, ProductOption { name: "Colour".into(), values: vec!["Blue".into()] }];
        let variants = combinations(&parse_options(&options, &mut Vec::new()))
            .into_iter()
            .map(|options| VariantForm { options, price: "19.00".into(), stock: "3".into(), ..VariantForm::default() })
            .collect();
        VariantsForm { options, variants }
    }

    #[test]
    fn a_good_form_parses() {
        let edit = form().parse(Currency::EUR).expect("valid");
        assert_eq!(edit.options[0].values, vec!["S", "M"]);
        assert_eq!(edit.variants.len(), 2);
        assert_eq!(edit.variants[1].title(), "M / Blue");
        let figures: Vec<(i64, Option<i64>, i64)> = edit.variants.iter().map(|v| (v.price_minor, v.compare_at_minor, v.stock)).collect();
        assert_eq!(product_figures(&figures), Some((1900, None, 6)));
        assert_eq!(VariantsForm::default().parse(Currency::EUR), Ok(VariantsEdit::default()));
    }

    #[test]
    fn every_mistake_is_named() {
        let mut f = form();
        f.variants[0].price = "cheap".into();
        f.variants[1].options = vec!["XL".into(), "Blue".into()];
        f.variants[1].compare_at = "1.00".into();
        f.options.push(ProductOption { name: "size".into(), values: vec![] });
        let errors = f.parse(Currency::EUR).expect_err("invalid");
        let text: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
        assert!(text.iter().any(|m| m.contains("two options named size")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("size needs at least one value")), "{text:?}");
        assert!(text.iter().any(|m| m.starts_with("S / Blue") && m.contains("price must be an amount")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("one value for each of the 3 options")), "{text:?}");
        let mut f = form();
        f.variants[1] = f.variants[0].clone();
        f.variants[0].sku = "TEE-1".into();
        f.variants[1].sku = "tee-1".into();
        let text: Vec<String> = f.parse(Currency::EUR).expect_err("twice").into_iter().map(|e| e.message).collect();
        assert!(text.iter().any(|m| m.contains("listed twice")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("SKU tee-1 is used")), "{text:?}");
        let f = VariantsForm { options: vec![], variants: vec![VariantForm::default()] };
        assert!(f.parse(Currency::EUR).is_err());
    }

    fn options_strategy() -> impl Strategy<Value = Vec<ProductOption>> {
        prop::collection::vec(prop::collection::btree_set("[a-z]{1,4}", 1..5), 1..=3).prop_map(|sets| {
            sets.into_iter().enumerate().map(|(i, values)| ProductOption { name: format!("Option {i}"), values: values.into_iter().collect() }).collect()
        })
    }

    proptest! {
        /// Generating makes every combination once, and each is found again by choosing
        /// its values one option at a time.
        #[test]
        fn generated_variants_are_every_combination_once(options in options_strategy()) {
            let combos = combinations(&options);
            let expected: usize = options.iter().map(|o| o.values.len()).product();
            prop_assert_eq!(combos.len(), expected);
            let unique: HashSet<_> = combos.iter().collect();
            prop_assert_eq!(unique.len(), combos.len());
            let variants: Vec<Variant> = combos.iter().enumerate().map(|(i, c)| Variant { market_prices: Default::default(), id: i as i64 + 1, sku: String::new(), options: c.clone(), price: eur(100), compare_at: None, stock: 1, weight_grams: 0, photo_id: None }).collect();
            for v in &variants {
                let mut choice: Choice = vec![None; options.len()];
                for (i, value) in v.options.iter().enumerate() {
                    prop_assert_eq!(value_state(&variants, &choice, i, value), ValueState::Available);
                    choice = choose(&variants, &choice, i, value);
                }
                prop_assert_eq!(variant_for(&variants, &choice).map(|f| f.id), Some(v.id));
            }
        }

        /// Whatever is tapped, the choice afterwards names a variant that exists whenever
        /// the choice before did.
        #[test]
        fn a_tap_never_leads_nowhere(options in options_strategy(), keep in prop::collection::vec(any::<bool>(), 64), tap in any::<prop::sample::Index>(), value in any::<prop::sample::Index>()) {
            let variants: Vec<Variant> = combinations(&options).into_iter().zip(keep.iter().cycle()).enumerate()
                .filter(|(i, (_, k))| **k || *i == 0)
                .map(|(i, (c, _))| Variant { market_prices: Default::default(), id: i as i64 + 1, sku: String::new(), options: c, price: eur(100), compare_at: None, stock: 1, weight_grams: 0, photo_id: None })
                .collect();
            let start = choice_of(&variants[0]);
            let option = tap.index(options.len());
            let offered: Vec<&String> = options[option].values.iter().filter(|v| value_state(&variants, &[], option, v) != ValueState::Missing).collect();
            let value = offered[value.index(offered.len())];
            let next = choose(&variants, &start, option, value);
            prop_assert!(variant_for(&variants, &next).is_some(), "{:?} → {:?}", start, next);
            prop_assert_eq!(next[option].as_deref(), Some(value.as_str()));
        }
    }
}
