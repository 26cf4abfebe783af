//! A shopper's wish list: products they keep for later, with the price and stock they
//! had when kept, so the list can say "Price dropped" and "Back in stock".
//!
//! A guest's list lives on their device; a signed-in shopper's on their account too.
//! At sign-in the device's list and the account's are [`merge`]d: nothing either side
//! kept is lost, and a product kept on both keeps its earlier price (the drop since
//! then is what the shopper wants to see).

use crate::{Money, ProductSummary};
use serde::{Deserialize, Serialize};

/// Products a list holds at most: a list, not a second catalogue.
pub const MAX_ITEMS: usize = 200;

/// One kept product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WishItem {
    pub product_id: i64,
    /// RFC 3339, when it was first kept.
    pub added_at: String,
    /// Its price then.
    pub saved_price: Money,
    /// Whether it could be bought then.
    pub saved_in_stock: bool,
}

/// A whole list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WishList {
    pub items: Vec<WishItem>,
}

impl WishList {
    pub fn contains(&self, product_id: i64) -> bool {
        self.items.iter().any(|i| i.product_id == product_id)
    }

    /// Keeps `product` as it is now, first in the list; a product already kept stays
    /// as it was kept (its saved price is the one a drop is measured from). `Err` when
    /// the list is full.
    pub fn add(&mut self, product: &ProductSummary, now: &str) -> Result<(), ListFull> {
        if self.contains(product.id) {
            return Ok(());
        }
        if self.items.len() >= MAX_ITEMS {
            return Err(ListFull);
        }
        self.items.insert(0, WishItem::of(product, now));
        Ok(())
    }

    pub fn remove(&mut self, product_id: i64) {
        self.items.retain(|i| i.product_id != product_id);
    }
}

/// The list holds [`MAX_ITEMS`] already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListFull;

impl std::fmt::Display for ListFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Your wish list holds {MAX_ITEMS} products, the most it can. Remove one to keep this one.")
    }
}

impl WishItem {
    pub fn of(product: &ProductSummary, now: &str) -> WishItem {
        WishItem { product_id: product.id, added_at: now.to_string(), saved_price: product.price, saved_in_stock: product.stock > 0 }
    }
}

/// What changed since a product was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    /// Cheaper now than when kept (in the same currency): from `was`.
    PriceDropped { was: Money },
    /// Out of stock when kept, in stock now.
    BackInStock,
}

/// The badges `item` earns with the product as it is `now`.
pub fn badges(item: &WishItem, now: &ProductSummary) -> Vec<Badge> {
    let mut out = Vec::new();
    if now.price.currency == item.saved_price.currency && now.price.minor < item.saved_price.minor {
        out.push(Badge::PriceDropped { was: item.saved_price });
    }
    if !item.saved_in_stock && now.stock > 0 {
        out.push(Badge::BackInStock);
    }
    out
}

/// The device's list and the account's as one, newest first: every product either
/// kept, once; a product on both keeps the earlier keeping (its date, price and stock).
/// At most [`MAX_ITEMS`], the newest kept.
pub fn merge(device: &[WishItem], account: &[WishItem]) -> Vec<WishItem> {
    let mut all: Vec<WishItem> = Vec::with_capacity(device.len() + account.len());
    for item in device.iter().chain(account) {
        match all.iter_mut().find(|i| i.product_id == item.product_id) {
            Some(kept) if item.added_at < kept.added_at => *kept = item.clone(),
            Some(_) => {}
            None => all.push(item.clone()),
        }
    }
    all.sort_by(|a, b| b.added_at.cmp(&a.added_at).then(a.product_id.cmp(&b.product_id)));
    all.truncate(MAX_ITEMS);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::money::Currency;
    use proptest::prelude::*;

    fn product(id: i64, minor: i64, stock: i64) -> ProductSummary {
        ProductSummary { market_prices: Default::default(), tax_class: Default::default(), 
            id,
            slug: format!("p{id}"),
            name: format!("P{id}"),
            price: Money::new(minor, Currency::EUR),
            compare_at: None,
            stock,
            category_slug: "c".into(),
            photo: None,
            rating: None,
        }
    }

    fn item(id: i64, at: &str, minor: i64) -> WishItem {
        WishItem { product_id: id, added_at: at.into(), saved_price: Money::new(minor, Currency::EUR), saved_in_stock: true }
    }

    #[test]
    fn keeping_twice_keeps_the_first_price() {
        let mut list = WishList::default();
        list.add(&product(1, 1000, 0), "2026-01-01T00:00:00Z").expect("room");
        list.add(&product(1, 800, 5), "2026-02-01T00:00:00Z").expect("room");
        list.add(&product(2, 500, 5), "2026-02-01T00:00:00Z").expect("room");
        assert_eq!(list.items.iter().map(|i| i.product_id).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(list.items[1].saved_price.minor, 1000);
        assert!(!list.items[1].saved_in_stock);
        // Now cheaper and back: both badges.
        assert_eq!(badges(&list.items[1], &product(1, 800, 5)), vec![Badge::PriceDropped { was: Money::new(1000, Currency::EUR) }, Badge::BackInStock]);
        // Dearer or the same and still out: none.
        assert!(badges(&list.items[1], &product(1, 1200, 0)).is_empty());
        list.remove(1);
        assert!(!list.contains(1) && list.contains(2));
    }

    #[test]
    fn a_full_list_says_so() {
        let mut list = WishList { items: (0..MAX_ITEMS as i64).map(|i| item(i, "2026-01-01T00:00:00Z", 100)).collect() };
        assert_eq!(list.add(&product(9999, 1, 1), "2026-01-02T00:00:00Z"), Err(ListFull));
        // Keeping one already there is no error.
        assert_eq!(list.add(&product(3, 1, 1), "2026-01-02T00:00:00Z"), Ok(()));
        assert!(ListFull.to_string().contains("200"));
    }

    #[test]
    fn merging_keeps_both_sides_and_the_earlier_keeping() {
        let device = vec![item(1, "2026-03-01T00:00:00Z", 900), item(2, "2026-01-01T00:00:00Z", 500)];
        let account = vec![item(1, "2026-02-01T00:00:00Z", 1000), item(3, "2026-02-15T00:00:00Z", 300)];
        let merged = merge(&device, &account);
        assert_eq!(merged.iter().map(|i| i.product_id).collect::<Vec<_>>(), vec![3, 1, 2]);
        assert_eq!(merged[1].saved_price.minor, 1000);
        assert_eq!(merged[1].added_at, "2026-02-01T00:00:00Z");
    }

    proptest! {
        /// Every product of either side is in the merge once, whichever side is first.
        #[test]
        fn merge_loses_nothing_and_repeats_nothing(a in proptest::collection::vec((1i64..30, 1u32..28), 0..20), b in proptest::collection::vec((1i64..30, 1u32..28), 0..20)) {
            let side = |v: &Vec<(i64, u32)>| v.iter().map(|&(id, day)| item(id, &format!("2026-01-{day:02}T00:00:00Z"), 100)).collect::<Vec<_>>();
            let (a, b) = (side(&a), side(&b));
            let merged = merge(&a, &b);
            let mut ids: Vec<i64> = merged.iter().map(|i| i.product_id).collect();
            let n = ids.len();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), n);
            for i in a.iter().chain(&b) {
                prop_assert!(merged.iter().any(|m| m.product_id == i.product_id && m.added_at <= i.added_at));
            }
            let other: Vec<i64> = merge(&b, &a).iter().map(|i| i.product_id).collect();
            let mut other_sorted = other.clone();
            other_sorted.sort_unstable();
            prop_assert_eq!(other_sorted, ids);
        }
    }
}
