//! Recommendations from what shoppers actually bought, and an offline check that they
//! beat simply showing best sellers.
//!
//! - [`buy_again`]: a shopper's own products, most often bought first.
//! - [`CoPurchase`]: item-to-item similarity from baskets (cosine over "bought in the
//!   same order"): "because you bought X".
//! - [`popular_in_categories`]: best sellers in the shopper's favourite categories.
//! - [`evaluate`]: hit-rate@10 on a held-out last order, against a popularity baseline,
//!   over a purchase history [`generate_history`] makes.
//!
//! Everything is pure: baskets are lists of product ids.

use std::collections::{HashMap, HashSet};

/// A shopper's products, most often bought first, then most recently.
/// `baskets` are their orders, oldest first.
pub fn buy_again(baskets: &[Vec<i64>], k: usize) -> Vec<i64> {
    let mut seen: HashMap<i64, (usize, usize)> = HashMap::new();
    for (when, basket) in baskets.iter().enumerate() {
        for &p in unique(basket).iter() {
            let e = seen.entry(p).or_insert((0, 0));
            e.0 += 1;
            e.1 = when;
        }
    }
    let mut list: Vec<(i64, (usize, usize))> = seen.into_iter().collect();
    list.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(b.1 .1.cmp(&a.1 .1)).then(a.0.cmp(&b.0)));
    list.into_iter().take(k).map(|(p, _)| p).collect()
}

fn unique(basket: &[i64]) -> Vec<i64> {
    let mut v = basket.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Products by how many orders they were in, most first (ties by id).
pub fn popularity(baskets: &[Vec<i64>]) -> Vec<i64> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for b in baskets {
        for p in unique(b) {
            *counts.entry(p).or_default() += 1;
        }
    }
    let mut list: Vec<(i64, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list.into_iter().map(|(p, _)| p).collect()
}

/// Item-to-item similarity from co-purchases: how often two products are in the same
/// order, relative to how often each is bought (cosine), so a best seller that is in
/// every basket does not look "similar" to everything.
#[derive(Debug, Default)]
pub struct CoPurchase {
    /// Per product: (other product, similarity, orders they were in together).
    neighbours: HashMap<i64, Vec<(i64, f64, u32)>>,
}

/// Neighbours kept per product: enough for any row, bounded for memory.
const MAX_NEIGHBOURS: usize = 50;

impl CoPurchase {
    pub fn build(baskets: &[Vec<i64>]) -> CoPurchase {
        let mut bought: HashMap<i64, f64> = HashMap::new();
        let mut together: HashMap<(i64, i64), f64> = HashMap::new();
        for b in baskets {
            let items = unique(b);
            for (i, &a) in items.iter().enumerate() {
                *bought.entry(a).or_default() += 1.0;
                for &c in &items[i + 1..] {
                    *together.entry((a, c)).or_default() += 1.0;
                }
            }
        }
        let mut neighbours: HashMap<i64, Vec<(i64, f64, u32)>> = HashMap::new();
        for ((a, c), n) in together {
            let sim = n / (bought[&a] * bought[&c]).sqrt();
            neighbours.entry(a).or_default().push((c, sim, n as u32));
            neighbours.entry(c).or_default().push((a, sim, n as u32));
        }
        for list in neighbours.values_mut() {
            list.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            list.truncate(MAX_NEIGHBOURS);
        }
        CoPurchase { neighbours }
    }

    /// The products most often bought with `product`, best first.
    pub fn similar(&self, product: i64, k: usize) -> Vec<i64> {
        self.neighbours.get(&product).map(|l| l.iter().take(k).map(|(p, _, _)| *p).collect()).unwrap_or_default()
    }

    /// Like [`CoPurchase::similar`], keeping only products that were in at least
    /// `orders` orders together with `product`.
    pub fn similar_in(&self, product: i64, orders: u32, k: usize) -> Vec<i64> {
        self.neighbours
            .get(&product)
            .map(|l| l.iter().filter(|(_, _, n)| *n >= orders).take(k).map(|(p, _, _)| *p).collect())
            .unwrap_or_default()
    }

    /// Products for someone who owns `owned`: each scored by its summed similarity to
    /// what they own, without what they already have; topped up from `fallback` (best
    /// sellers) when the history says too little.
    pub fn recommend(&self, owned: &[i64], fallback: &[i64], k: usize) -> Vec<i64> {
        let have: HashSet<i64> = owned.iter().copied().collect();
        let mut scores: HashMap<i64, f64> = HashMap::new();
        for p in &have {
            for (q, s, _) in self.neighbours.get(p).into_iter().flatten() {
                if !have.contains(q) {
                    *scores.entry(*q).or_default() += s;
                }
            }
        }
        let mut list: Vec<(i64, f64)> = scores.into_iter().collect();
        list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out: Vec<i64> = list.into_iter().take(k).map(|(p, _)| p).collect();
        for &p in fallback {
            if out.len() >= k {
                break;
            }
            if !have.contains(&p) && !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }
}

/// Best sellers (`popular`, best first) in the categories the shopper bought from most,
/// without what they already own.
pub fn popular_in_categories(owned: &[i64], category_of: impl Fn(i64) -> Option<i64>, popular: &[i64], k: usize) -> Vec<i64> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for &p in owned {
        if let Some(c) = category_of(p) {
            *counts.entry(c).or_default() += 1;
        }
    }
    let mut favourites: Vec<(i64, usize)> = counts.into_iter().collect();
    favourites.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let favourites: Vec<i64> = favourites.into_iter().take(2).map(|(c, _)| c).collect();
    let have: HashSet<i64> = owned.iter().copied().collect();
    popular
        .iter()
        .copied()
        .filter(|p| !have.contains(p) && category_of(*p).is_some_and(|c| favourites.contains(&c)))
        .take(k)
        .collect()
}

/// The outcome of an offline evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// Shoppers with a held-out order.
    pub shoppers: usize,
    /// Share of them for whom a held-out product was in the top 10 (co-purchase).
    pub hit_rate_model: f64,
    /// The same for the top 10 best sellers they did not own.
    pub hit_rate_popular: f64,
}

pub const EVAL_K: usize = 10;

/// A shopper's orders before the held-out one, as one list, and the held-out order.
pub type HeldOut = (Vec<i64>, Vec<i64>);

/// Each shopper's last order held out from `history` (shoppers, each their orders,
/// oldest first): every other order to learn from, and per shopper with an earlier
/// order, (what they owned before, the held-out order). A shopper with one order only
/// teaches.
pub fn hold_out_last(history: &[Vec<Vec<i64>>]) -> (Vec<Vec<i64>>, Vec<HeldOut>) {
    let mut training: Vec<Vec<i64>> = Vec::new();
    let mut tests: Vec<HeldOut> = Vec::new();
    for orders in history {
        match orders.split_last() {
            Some((last, earlier)) if !earlier.is_empty() => {
                training.extend(earlier.iter().cloned());
                tests.push((earlier.concat(), last.clone()));
            }
            _ => training.extend(orders.iter().cloned()),
        }
    }
    (training, tests)
}

/// Hit-rate@10 with each shopper's last order held out: the model learns from every
/// other order, recommends from the shopper's earlier orders, and scores a hit when one
/// of the held-out products is in its ten.
pub fn evaluate(history: &[Vec<Vec<i64>>]) -> Evaluation {
    let (training, tests) = hold_out_last(history);
    let model = CoPurchase::build(&training);
    let popular = popularity(&training);
    let (mut model_hits, mut popular_hits) = (0usize, 0usize);
    for (owned, held_out) in &tests {
        let have: HashSet<i64> = owned.iter().copied().collect();
        let wanted: HashSet<i64> = held_out.iter().copied().filter(|p| !have.contains(p)).collect();
        let recs = model.recommend(owned, &popular, EVAL_K);
        if recs.iter().any(|p| wanted.contains(p)) {
            model_hits += 1;
        }
        let baseline: Vec<i64> = popular.iter().copied().filter(|p| !have.contains(p)).take(EVAL_K).collect();
        if baseline.iter().any(|p| wanted.contains(p)) {
            popular_hits += 1;
        }
    }
    let n = tests.len().max(1) as f64;
    Evaluation { shoppers: tests.len(), hit_rate_model: model_hits as f64 / n, hit_rate_popular: popular_hits as f64 / n }
}

/// A small deterministic random source (xorshift), so a generated history is the same
/// on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A purchase history shaped like a shop's: `products` ids `1..=products` in
/// `categories` equal categories (`(id - 1) % categories`); each shopper favours one
/// or two categories; products come in pairs that go together (a kettle and its
/// descaler: ids `2n-1` and `2n`), bought together or one after the other; and a few
/// best sellers everyone buys now and then.
pub fn generate_history(seed: u64, shoppers: usize, products: i64, categories: i64) -> Vec<Vec<Vec<i64>>> {
    let mut rng = Rng(seed.max(1));
    let per_category = (products / categories).max(1);
    let in_category = |c: i64, i: i64| c + 1 + (i % per_category) * categories;
    let partner = |p: i64| if p % 2 == 1 { p + 1 } else { p - 1 };
    (0..shoppers)
        .map(|_| {
            let favourites = [rng.below(categories as u64) as i64, rng.below(categories as u64) as i64];
            let orders = 2 + rng.below(4) as usize;
            let mut owned: Vec<i64> = Vec::new();
            (0..orders)
                .map(|_| {
                    let mut basket = Vec::new();
                    // Follow up on something bought before: its partner.
                    if !owned.is_empty() && rng.below(2) == 0 {
                        let before = owned[rng.below(owned.len() as u64) as usize];
                        basket.push(partner(before).clamp(1, products));
                    }
                    let c = favourites[rng.below(2) as usize];
                    // Skewed towards the first products of a category.
                    let i = rng.below(per_category as u64).min(rng.below(per_category as u64)) as i64;
                    let p = in_category(c, i).clamp(1, products);
                    basket.push(p);
                    if rng.below(3) == 0 {
                        basket.push(partner(p).clamp(1, products));
                    }
                    if rng.below(4) == 0 {
                        basket.push(1 + rng.below(5) as i64);
                    }
                    owned.extend(basket.iter().copied());
                    basket
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buy_again_puts_the_most_bought_first() {
        let orders = vec![vec![1, 2], vec![2, 3], vec![2, 3, 3], vec![4]];
        assert_eq!(buy_again(&orders, 10), vec![2, 3, 4, 1]);
        assert_eq!(buy_again(&orders, 2), vec![2, 3]);
        assert!(buy_again(&[], 5).is_empty());
    }

    #[test]
    fn co_purchase_finds_what_goes_together() {
        let baskets = vec![vec![1, 2], vec![1, 2], vec![1, 2, 9], vec![3, 9], vec![4, 9], vec![5, 9], vec![6, 9], vec![1, 7]];
        let m = CoPurchase::build(&baskets);
        // 2 is with 1 in three of 1's four orders; 9 is everywhere, so less telling.
        assert_eq!(m.similar(1, 1), vec![2]);
        assert_eq!(m.similar(2, 2), vec![1, 9]);
        assert!(m.similar(42, 3).is_empty());
        // Recommendations leave out what you own and fill up with best sellers.
        let popular = popularity(&baskets);
        assert_eq!(popular.first(), Some(&9));
        let recs = m.recommend(&[1], &popular, 4);
        assert_eq!(recs[0], 2);
        assert!(!recs.contains(&1) && recs.len() == 4);
    }

    #[test]
    fn favourite_categories_give_their_best_sellers() {
        let category_of = |p: i64| Some(p % 2);
        let popular = vec![10, 11, 12, 13, 14];
        assert_eq!(popular_in_categories(&[2, 4], category_of, &popular, 2), vec![10, 12]);
        assert_eq!(popular_in_categories(&[10], category_of, &popular, 5), vec![12, 14]);
        assert!(popular_in_categories(&[], category_of, &popular, 5).is_empty());
    }

    #[test]
    fn generated_histories_are_repeatable() {
        let a = generate_history(7, 50, 240, 12);
        assert_eq!(a, generate_history(7, 50, 240, 12));
        assert_ne!(a, generate_history(8, 50, 240, 12));
        assert!(a.iter().all(|orders| orders.len() >= 2 && orders.iter().all(|b| b.iter().all(|p| (1..=240).contains(p)))));
    }

    /// The offline evaluation the README reports: co-purchase recommendations must beat
    /// best sellers at hit-rate@10 on held-out orders.
    #[test]
    fn co_purchase_beats_popularity_on_held_out_orders() {
        let history = generate_history(2026, 2000, 240, 12);
        let e = evaluate(&history);
        println!(
            "offline evaluation: {} shoppers, hit-rate@10 co-purchase {:.3}, popularity {:.3}",
            e.shoppers, e.hit_rate_model, e.hit_rate_popular
        );
        assert_eq!(e.shoppers, 2000);
        assert!(e.hit_rate_model > e.hit_rate_popular + 0.05, "{e:?}");
    }
}
