//! What goes with a product, for its page: "Customers also bought" (from baskets, see
//! [`CoPurchase`]) and "Similar products" (from what the products are: their category,
//! brand and price). Both are computed here once and used by the API, which has the
//! baskets, and by the web app, which shows similar products from the device's copy of
//! the catalogue when it is offline.
//!
//! [`evaluate_related`] checks the rows offline against held-out orders, the way
//! [`super::recommend::evaluate`] checks a shopper's recommendations.

use super::recommend::{hold_out_last, popularity, CoPurchase};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Products in each row on a product page.
pub const RELATED_ROW: usize = 8;

/// What similarity is judged on: what a shopper compares two products by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Likeness<'a> {
    pub id: i64,
    pub category: &'a str,
    /// Empty when the shop did not say.
    pub brand: &'a str,
    /// In the shop's minor units; one currency per shop.
    pub price_minor: i64,
    pub in_stock: bool,
}

/// How alike `b` is to `a`: the same category counts most (a kettle for a kettle),
/// then the same brand, then a price in the same range (within a factor of two scores
/// something, the closer the more); something the shopper can buy now comes first
/// among equals.
pub fn likeness(a: &Likeness, b: &Likeness) -> f64 {
    let mut score = 0.0;
    if a.category == b.category {
        score += 3.0;
    }
    if !a.brand.is_empty() && a.brand.eq_ignore_ascii_case(b.brand) {
        score += 2.0;
    }
    if a.price_minor > 0 && b.price_minor > 0 {
        let ratio = (a.price_minor as f64 / b.price_minor as f64).ln().abs();
        score += (1.0 - ratio / std::f64::consts::LN_2).max(0.0);
    }
    if b.in_stock {
        score += 0.5;
    }
    score
}

/// The `k` products most like `target` among `candidates`, best first (ties by id, so
/// both sides show the same row). Only products that share the category or the brand
/// count as similar: a price alone says nothing.
pub fn similar<'a>(target: &Likeness, candidates: impl IntoIterator<Item = Likeness<'a>>, k: usize) -> Vec<i64> {
    let mut scored: Vec<(i64, f64)> = candidates
        .into_iter()
        .filter(|c| c.id != target.id)
        .filter(|c| c.category == target.category || (!target.brand.is_empty() && target.brand.eq_ignore_ascii_case(c.brand)))
        .map(|c| (c.id, likeness(target, &c)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().take(k).map(|(id, _)| id).collect()
}

/// Orders two products must share before one is shown as bought with the other: a
/// pair from a single order would show one shopper's basket to everyone.
pub const MIN_ORDERS_TOGETHER: u32 = 2;

/// "Customers also bought" for `product`: what was most often in the same orders (in
/// at least [`MIN_ORDERS_TOGETHER`] of them), without products the shop no longer
/// sells (`available`).
pub fn also_bought(model: &CoPurchase, product: i64, available: impl Fn(i64) -> bool, k: usize) -> Vec<i64> {
    model.similar_in(product, MIN_ORDERS_TOGETHER, usize::MAX).into_iter().filter(|p| available(*p)).take(k).collect()
}

/// The two rows a product page shows under the product.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Related {
    /// Bought in the same orders as this product, most often first; empty until
    /// enough orders say so.
    pub also_bought: Vec<crate::ProductSummary>,
    /// Alike in category, brand and price, without those already in `also_bought`.
    pub similar: Vec<crate::ProductSummary>,
}

/// The outcome of [`evaluate_related`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelatedEvaluation {
    /// Shoppers with an earlier order and a held-out last one.
    pub shoppers: usize,
    /// Product pages judged for "Customers also bought": one per product of each
    /// held-out order of more than one product.
    pub baskets: usize,
    /// Share of those pages whose "Customers also bought" held another product of
    /// the same order.
    pub hit_rate_also_bought: f64,
    /// The same for the best sellers shown instead.
    pub hit_rate_popular_in_basket: f64,
    /// Share of shoppers for whom "Similar products" of their favourite product held
    /// something they bought next.
    pub hit_rate_similar: f64,
    /// The same for the best sellers shown instead.
    pub hit_rate_popular: f64,
}

/// Hit-rate@[`RELATED_ROW`] of the product page's rows, with each shopper's last order
/// held out and the rows built from every other order:
/// - "Customers also bought": on the page of each product of the held-out order, is
///   another product of that order in the row (what they put in the same basket)?
/// - "Similar products": on the page of the product they bought most often from the
///   kind of thing they buy most (their favourite category), is a held-out product in
///   the row?
/// - The baseline is the shop's best sellers on either page.
///
/// `category_of` names each product's category (generated histories have no brands or
/// prices, so likeness is the category's, with the better sellers first).
pub fn evaluate_related(history: &[Vec<Vec<i64>>], category_of: impl Fn(i64) -> String) -> RelatedEvaluation {
    let (training, tests) = hold_out_last(history);
    let model = CoPurchase::build(&training);
    let popular = popularity(&training);
    let rank = |p: i64| popular.iter().position(|q| *q == p).unwrap_or(usize::MAX);
    let products: Vec<(i64, String)> = popular.iter().map(|&p| (p, category_of(p))).collect();
    let best_sellers = |anchor: i64| -> Vec<i64> { popular.iter().copied().filter(|p| *p != anchor).take(RELATED_ROW).collect() };
    let (mut baskets, mut together, mut together_best) = (0usize, 0usize, 0usize);
    let (mut alike, mut alike_best) = (0usize, 0usize);
    for (owned, held_out) in &tests {
        let hit = |row: &[i64], wanted: &HashSet<i64>| row.iter().any(|p| wanted.contains(p));
        // Also bought: the page of each product of the held-out order, and the rest of
        // that order.
        let basket: Vec<i64> = {
            let mut b = held_out.clone();
            b.sort_unstable();
            b.dedup();
            b
        };
        if basket.len() > 1 {
            for &anchor in &basket {
                let wanted: HashSet<i64> = basket.iter().copied().filter(|p| *p != anchor).collect();
                baskets += 1;
                together += usize::from(hit(&also_bought(&model, anchor, |_| true, RELATED_ROW), &wanted));
                together_best += usize::from(hit(&best_sellers(anchor), &wanted));
            }
        }
        // Similar: their favourite category's most bought product, against what they
        // bought next that they did not have.
        let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for &p in owned {
            *counts.entry(category_of(p)).or_default() += 1;
        }
        let Some(favourite) = counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(c, _)| c) else { continue };
        let Some(&anchor) = owned.iter().filter(|p| category_of(**p) == favourite).min_by_key(|p| (std::cmp::Reverse(owned.iter().filter(|q| q == p).count()), rank(**p))) else { continue };
        let have: HashSet<i64> = owned.iter().copied().collect();
        let wanted: HashSet<i64> = held_out.iter().copied().filter(|p| !have.contains(p)).collect();
        let target = Likeness { id: anchor, category: &favourite, brand: "", price_minor: 0, in_stock: true };
        let candidates = products.iter().map(|(id, c)| Likeness { id: *id, category: c, brand: "", price_minor: 0, in_stock: true });
        let mut row = similar(&target, candidates, usize::MAX);
        row.sort_by_key(|p| rank(*p));
        row.truncate(RELATED_ROW);
        alike += usize::from(hit(&row, &wanted));
        alike_best += usize::from(hit(&best_sellers(anchor), &wanted));
    }
    let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
    RelatedEvaluation {
        shoppers: tests.len(),
        baskets,
        hit_rate_also_bought: share(together, baskets),
        hit_rate_popular_in_basket: share(together_best, baskets),
        hit_rate_similar: share(alike, tests.len()),
        hit_rate_popular: share(alike_best, tests.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::recommend::generate_history;
    use super::*;
    use proptest::prelude::*;

    fn item<'a>(id: i64, category: &'a str, brand: &'a str, price_minor: i64, in_stock: bool) -> Likeness<'a> {
        Likeness { id, category, brand, price_minor, in_stock }
    }

    #[test]
    fn the_same_category_and_a_close_price_come_first() {
        let kettle = item(1, "kitchen", "Brew", 4000, true);
        let all = vec![
            kettle,
            item(2, "kitchen", "Other", 3900, true),
            item(3, "kitchen", "Brew", 4100, true),
            item(4, "garden", "Brew", 4000, true),
            item(5, "garden", "Other", 4000, true),
            item(6, "kitchen", "Other", 40_000, true),
            item(7, "kitchen", "Other", 3900, false),
        ];
        // Same category and brand; then same category at a close price (in stock
        // before out of stock); the same brand elsewhere; the far price last. Another
        // category of another brand is never similar, nor is the product itself.
        assert_eq!(similar(&kettle, all.clone(), 10), vec![3, 2, 7, 4, 6]);
        assert_eq!(similar(&kettle, all, 2), vec![3, 2]);
    }

    #[test]
    fn also_bought_leaves_out_what_is_no_longer_sold_and_single_baskets() {
        let model = CoPurchase::build(&[vec![1, 2], vec![1, 2], vec![1, 3], vec![1, 3], vec![1, 5], vec![4]]);
        assert_eq!(also_bought(&model, 1, |_| true, 5), vec![2, 3]);
        assert_eq!(also_bought(&model, 1, |p| p != 2, 5), vec![3]);
        // 5 was with 1 in one order only: that is one shopper's basket, not a pattern.
        assert!(!also_bought(&model, 1, |_| true, 5).contains(&5));
        assert!(also_bought(&model, 4, |_| true, 5).is_empty());
    }

    /// The evaluation the docs report: "Customers also bought" must beat best sellers
    /// at showing what goes in the same order.
    #[test]
    fn both_rows_beat_best_sellers_on_held_out_orders() {
        let categories = 12;
        let history = generate_history(2026, 2000, 240, categories);
        let e = evaluate_related(&history, |p| format!("c{}", (p - 1) % categories));
        println!(
            "product page rows, hit-rate@{RELATED_ROW}: also bought {:.3} vs best sellers {:.3} on {} pages; similar {:.3} vs best sellers {:.3} on {} shoppers",
            e.hit_rate_also_bought, e.hit_rate_popular_in_basket, e.baskets, e.hit_rate_similar, e.hit_rate_popular, e.shoppers
        );
        assert_eq!(e.shoppers, 2000);
        assert!(e.hit_rate_also_bought > e.hit_rate_popular_in_basket + 0.05, "{e:?}");
        // Similar products are alternatives to the one on the page, which a shopper
        // rarely buys next; the row must still be about as telling as best sellers.
        assert!(e.hit_rate_similar > 0.8 * e.hit_rate_popular, "{e:?}");
    }

    proptest! {
        /// A row never holds the product itself, never repeats, and is the same for
        /// the same products in any order.
        #[test]
        fn rows_are_stable_and_clean(items in proptest::collection::vec((1i64..40, 0usize..3, 0usize..3, 1i64..10_000, any::<bool>()), 1..40), k in 0usize..12) {
            let cats = ["a", "b", "c"];
            let brands = ["", "x", "y"];
            let all: Vec<Likeness> = items.iter().map(|&(id, c, b, p, s)| item(id, cats[c], brands[b], p, s)).collect();
            let mut unique = all.clone();
            unique.sort_by_key(|l| l.id);
            unique.dedup_by_key(|l| l.id);
            let target = unique[0];
            let row = similar(&target, unique.clone(), k);
            prop_assert!(row.len() <= k);
            prop_assert!(!row.contains(&target.id));
            let set: HashSet<i64> = row.iter().copied().collect();
            prop_assert_eq!(set.len(), row.len());
            let mut reversed = unique.clone();
            reversed.reverse();
            prop_assert_eq!(similar(&target, reversed, k), row);
        }
    }
}
