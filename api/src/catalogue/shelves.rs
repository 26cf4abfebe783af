//! Category pages cut in memory: each category's products in page order (its own and
//! its subcategories'), with what a listing sorts and filters by, so any page in any
//! order and with any filter is a pass over a few hundred entries instead of a query.
//! Built per language by [`super::cache::CategoryCache`] and dropped with it by every
//! catalogue change; sorting and filtering are the domain's
//! ([`aisle_domain::catalogue::listing`]), the same the web app runs offline.
//!
//! Stock moves with every sale, so it is not in the shelves but in one [`StockBook`],
//! set by every announced stock change and refilled with each shelves read.

use super::store::{ShelfRow, ShelfVariant};
use aisle_domain::{
    catalogue::{
        listing::{self, Choice, Facets, Listed, Sort},
        tree,
        variant::ProductOption,
    },
    Category, Currency,
};
use std::{
    collections::HashMap,
    hash::{BuildHasherDefault, Hasher},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, RwLock,
    },
};

/// Hashes a product id by one multiplication. The ids are the database's own numbers,
/// never chosen by a request, so the std hasher's defence against chosen keys buys
/// nothing here; its cost, a lookup per product on every page read, took category
/// reads from about 27,000 to 14,500 a second.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_i64(&mut self, n: i64) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type IdMap<V> = HashMap<i64, V, BuildHasherDefault<IdHasher>>;

/// What sorting and filtering read of one product, stock aside.
struct Fact {
    id: i64,
    price_minor: i64,
    brand: Box<str>,
    sold: i64,
    rating: Option<(u16, u32)>,
    /// Its options, and each variant's id and values; empty for a product sold as
    /// itself.
    options: Vec<ProductOption>,
    variants: Vec<(i64, Vec<String>)>,
}

/// A product as a listing sees it at one moment: its facts and its stock (and each
/// variant's, in the order of `fact.variants`).
struct Item<'a> {
    fact: &'a Fact,
    stock: i64,
    variant_stock: Vec<i64>,
    /// Its index in the shelves' facts.
    at: u32,
}

/// Variants' stock sits in the stock book beside products', under their id negated:
/// the two kinds of id are counted separately and would collide.
fn variant_key(id: i64) -> i64 {
    -id
}

impl Listed for Item<'_> {
    fn id(&self) -> i64 {
        self.fact.id
    }
    fn price_minor(&self) -> i64 {
        self.fact.price_minor
    }
    fn stock(&self) -> i64 {
        self.stock
    }
    fn brand(&self) -> &str {
        &self.fact.brand
    }
    fn sold(&self) -> i64 {
        self.fact.sold
    }
    fn rating(&self) -> Option<(u16, u32)> {
        self.fact.rating
    }
    fn options(&self) -> &[ProductOption] {
        &self.fact.options
    }
    fn each_variant(&self, f: &mut dyn FnMut(&[String], bool)) {
        for ((_, values), stock) in self.fact.variants.iter().zip(&self.variant_stock) {
            f(values, *stock > 0);
        }
    }
}

pub struct Shelves {
    /// Every published product, in page order.
    facts: Vec<Fact>,
    /// Where each product's fact is in `facts`, by id.
    at: IdMap<u32>,
    /// Each category's products (indexes into `facts`) in each order a listing offers.
    by_category: IdMap<Orders>,
    /// Each brand's products, the same way.
    by_brand: HashMap<Box<str>, Orders>,
    /// The shop's currency, which a price filter's amounts are in.
    pub currency: Currency,
    /// Listings already worked out, each with the stock book's version it was worked
    /// out at. Every page read filtered and counted a whole category (a pass over
    /// thousands of products for a top-level one), which held category reads near
    /// 18,000 a second; most reads ask again for a listing asked for before, and
    /// only a stock change can alter one between rebuilds of the shelves.
    memo: Mutex<HashMap<(Shelf, Choice), Kept>>,
}

/// A listing kept on the shelves: a category's products or a brand's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Shelf {
    Category(i64),
    Brand(Box<str>),
}

/// One category's products as a choice orders and filters them, by id, and the
/// counts beside each choice.
pub type Listing = (Vec<i64>, Facets);

/// A listing and the stock book's version it was worked out at.
type Kept = (u64, Arc<Listing>);

/// Listings kept at most; past it they are all dropped and kept again as asked for.
/// Enough for every category in every order, and a filter a shopper is trying.
const MEMO_LIMIT: usize = 4096;

/// One category's products in every order, sorted when the shelves are built rather
/// than on each read: sorting a category on every page read was a seventh of its time.
struct Orders(Vec<(Sort, Vec<u32>)>);

impl Orders {
    fn of(&self, sort: Sort) -> &[u32] {
        self.0.iter().find(|(s, _)| *s == sort).or(self.0.first()).map_or(&[][..], |(_, at)| at.as_slice())
    }
}

impl Shelves {
    pub fn new(categories: &[Category], rows: &[ShelfRow], mut options: HashMap<i64, Vec<ProductOption>>, variants: &[ShelfVariant]) -> Shelves {
        let mut by_product: IdMap<Vec<(i64, Vec<String>)>> = IdMap::default();
        for v in variants {
            let count = options.get(&v.product_id).map_or(1, Vec::len).clamp(1, 3);
            let values = [&v.option1, &v.option2, &v.option3].into_iter().take(count).cloned().collect();
            by_product.entry(v.product_id).or_default().push((v.id, values));
        }
        let facts: Vec<Fact> = rows
            .iter()
            .map(|r| Fact {
                id: r.id,
                price_minor: r.price_minor,
                brand: r.brand.as_str().into(),
                sold: r.sold,
                rating: (r.ratings > 0).then(|| (u16::try_from(r.stars * 100 / r.ratings).unwrap_or(500), u32::try_from(r.ratings).unwrap_or(u32::MAX))),
                options: options.remove(&r.id).unwrap_or_default(),
                variants: by_product.remove(&r.id).unwrap_or_default(),
            })
            .collect();
        let order: Vec<(i64, i64)> = rows.iter().enumerate().map(|(i, r)| (i as i64, r.category_id)).collect();
        // Each order as the domain's own sort makes it from the listing order (stable,
        // so ties keep it): the same list, sorted once.
        let orders = |listing: Vec<u32>| {
            Orders(
                Sort::ALL
                    .into_iter()
                    .map(|sort| {
                        let items: Vec<Item<'_>> = listing.iter().map(|i| Item { fact: &facts[*i as usize], stock: 0, variant_stock: Vec::new(), at: *i }).collect();
                        let (sorted, _) = listing::list(&items, &Choice { sort, ..Choice::default() });
                        (sort, sorted.into_iter().map(|i| i.at).collect())
                    })
                    .collect(),
            )
        };
        let by_category = tree::shelves(categories, &order).into_iter().map(|(c, at)| (c, orders(at.into_iter().map(|i| i as u32).collect()))).collect();
        let mut brands: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, f) in facts.iter().enumerate() {
            if !f.brand.is_empty() {
                brands.entry(&f.brand).or_default().push(i as u32);
            }
        }
        let by_brand = brands.into_iter().map(|(b, at)| (Box::from(b), orders(at))).collect();
        let at = facts.iter().enumerate().map(|(i, f)| (f.id, i as u32)).collect();
        // One currency per shop (see `admin::store::shop_currency`).
        let currency = rows.first().and_then(|r| Currency::parse(&r.currency).ok()).unwrap_or(Currency::EUR);
        Shelves { facts, at, by_category, by_brand, currency, memo: Mutex::default() }
    }

    /// Whether any published product is of `brand`.
    pub fn has_brand(&self, brand: &str) -> bool {
        self.by_brand.contains_key(brand)
    }

    /// Category `id`'s products in the listing's own order, unfiltered: what the
    /// server's first view shows, which needs neither stock nor the counts.
    pub fn in_listing_order(&self, category: i64) -> Vec<i64> {
        let Some(orders) = self.by_category.get(&category) else { return Vec::new() };
        orders.of(Sort::Listing).iter().filter_map(|i| self.facts.get(*i as usize)).map(|f| f.id).collect()
    }

    /// The shelf's products as `choice` orders and filters them, by id, and the
    /// counts beside each choice: as worked out before unless stock moved since.
    pub fn list(&self, shelf: Shelf, choice: &Choice, stock: &StockBook) -> Arc<Listing> {
        // Read before the stock: a change during the work leaves the result marked
        // with the older version, so the next read works it out again.
        let version = stock.version();
        let key = (shelf, choice.clone());
        if let Some((at, kept)) = self.memo.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            if *at == version {
                return Arc::clone(kept);
            }
        }
        let orders = match &key.0 {
            Shelf::Category(id) => self.by_category.get(id),
            Shelf::Brand(name) => self.by_brand.get(name),
        };
        let listing = Arc::new(match orders {
            Some(orders) => self.work_out(orders.of(choice.sort), choice, stock),
            None => (Vec::new(), listing::list::<Item<'_>>([], choice).1),
        });
        let mut memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(key, (version, Arc::clone(&listing)));
        listing
    }

    /// Products `ids` (in the listing's own order: best match first for a search) as
    /// `choice` orders and filters them. Ids not on the shelves (no longer published)
    /// are left out. Not kept: a search's matches are its own.
    pub fn list_ids(&self, ids: &[i64], choice: &Choice, stock: &StockBook) -> Listing {
        let at: Vec<u32> = ids.iter().filter_map(|id| self.at.get(id).copied()).collect();
        if choice.sort == Sort::Listing {
            return self.work_out(&at, choice, stock);
        }
        let items: Vec<Item<'_>> = at.iter().map(|i| Item { fact: &self.facts[*i as usize], stock: 0, variant_stock: Vec::new(), at: *i }).collect();
        let (sorted, _) = listing::list(&items, &Choice { sort: choice.sort, ..Choice::default() });
        let sorted: Vec<u32> = sorted.into_iter().map(|i| i.at).collect();
        self.work_out(&sorted, choice, stock)
    }

    /// Filters and counts `at` (indexes into `facts`, already in the order asked for).
    fn work_out(&self, at: &[u32], choice: &Choice, stock: &StockBook) -> Listing {
        let items: Vec<Item<'_>> = {
            let book = stock.levels.read().unwrap_or_else(|p| p.into_inner());
            at
                .iter()
                .filter_map(|i| self.facts.get(*i as usize).map(|fact| (fact, *i)))
                .map(|(fact, at)| Item {
                    fact,
                    stock: book.get(&fact.id).map_or(0, |(level, _)| *level),
                    variant_stock: fact.variants.iter().map(|(id, _)| book.get(&variant_key(*id)).map_or(0, |(level, _)| *level)).collect(),
                    at,
                })
                .collect()
        };
        // Already in the order asked for: the listing keeps it.
        let (shown, facets) = listing::list(&items, &Choice { sort: Sort::Listing, filter: choice.filter.clone() });
        (shown.into_iter().map(|i| i.fact.id).collect(), facets)
    }
}

/// Every product's stock, as last known: set by each announced stock change and by each
/// shelves read. A read never overwrites a change announced after it began: each
/// level carries the tick of the news that set it.
#[derive(Default)]
pub struct StockBook {
    levels: RwLock<IdMap<(i64, u64)>>,
    clock: AtomicU64,
    /// Moves after every change to `levels`, so a listing worked out from them knows
    /// when it is out of date.
    version: AtomicU64,
}

impl StockBook {
    /// Take this before reading stock from the database.
    pub fn tick(&self) -> u64 {
        self.clock.load(Ordering::Acquire)
    }

    /// Variant `id` has `stock`, as read after its change committed.
    pub fn set_variant(&self, id: i64, stock: i64) {
        self.set(variant_key(id), stock);
    }

    /// Variants' levels read from the database by a read that began at `since` (see
    /// [`StockBook::fill`]).
    pub fn fill_variants(&self, variants: &[ShelfVariant], since: u64) {
        let mut levels = self.levels.write().unwrap_or_else(|p| p.into_inner());
        for v in variants {
            let level = levels.entry(variant_key(v.id)).or_insert((v.stock, since));
            if level.1 <= since {
                *level = (v.stock, since);
            }
        }
        self.version.fetch_add(1, Ordering::AcqRel);
    }

    /// Product `id` has `stock`, as read after its change committed.
    pub fn set(&self, id: i64, stock: i64) {
        let mut levels = self.levels.write().unwrap_or_else(|p| p.into_inner());
        let tick = self.clock.fetch_add(1, Ordering::AcqRel) + 1;
        levels.insert(id, (stock, tick));
        self.version.fetch_add(1, Ordering::AcqRel);
    }

    /// Which state of the levels this is; see `version`.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// Levels read from the database by a read that began at `since`: each kept unless
    /// a change was announced since then (the read may predate it).
    pub fn fill(&self, rows: &[ShelfRow], since: u64) {
        let mut levels = self.levels.write().unwrap_or_else(|p| p.into_inner());
        for r in rows {
            let level = levels.entry(r.id).or_insert((r.stock, since));
            if level.1 <= since {
                *level = (r.stock, since);
            }
        }
        self.version.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, stock: i64) -> ShelfRow {
        ShelfRow { id, category_id: 1, price_minor: 100, currency: "EUR".into(), brand: String::new(), stock, sold: 0, ratings: 0, stars: 0 }
    }

    fn level(book: &StockBook, id: i64) -> i64 {
        book.levels.read().unwrap()[&id].0
    }

    #[test]
    fn a_read_begun_before_a_sale_does_not_undo_it() {
        let book = StockBook::default();
        book.fill(&[row(1, 5), row(2, 7)], book.tick());
        // A read begins (stock 5 as it sees it)...
        let since = book.tick();
        // ...a sale commits and is announced...
        book.set(1, 4);
        // ...and the read's older level does not replace the sale's.
        book.fill(&[row(1, 5), row(2, 7)], since);
        assert_eq!((level(&book, 1), level(&book, 2)), (4, 7));
        // A read begun after the sale sees it, and is kept.
        book.fill(&[row(1, 4), row(2, 6)], book.tick());
        assert_eq!((level(&book, 1), level(&book, 2)), (4, 6));
    }

    #[test]
    fn a_category_lists_its_own_and_its_subcategories_products_filtered_by_stock() {
        let cat = |id, parent| Category { id, slug: format!("c{id}"), name: String::new(), description: String::new(), product_count: 0, parent, photo: None };
        let categories = [cat(1, None), cat(2, Some(1))];
        let rows = [ShelfRow { category_id: 2, ..row(10, 0) }, row(11, 3), ShelfRow { price_minor: 50, ..row(12, 1) }];
        let shelves = Shelves::new(&categories, &rows, HashMap::new(), &[]);
        let book = StockBook::default();
        book.fill(&rows, book.tick());
        assert_eq!(shelves.list(Shelf::Category(1), &Choice::default(), &book).0, vec![10, 11, 12]);
        assert_eq!(shelves.list(Shelf::Category(2), &Choice::default(), &book).0, vec![10]);
        assert_eq!((shelves.in_listing_order(1), shelves.in_listing_order(2)), (vec![10, 11, 12], vec![10]));
        let cheap_in_stock = Choice { sort: listing::Sort::PriceUp, filter: listing::Filter { in_stock: true, ..Default::default() } };
        let (ids, facets) = &*shelves.list(Shelf::Category(1), &cheap_in_stock, &book);
        assert_eq!((ids.clone(), facets.in_stock), (vec![12, 11], 2));
        book.set(12, 0);
        assert_eq!(shelves.list(Shelf::Category(1), &cheap_in_stock, &book).0, vec![11]);
    }

    #[test]
    fn each_kept_order_is_the_domains_sort_of_the_listing() {
        let categories = [Category { id: 1, slug: "c".into(), name: String::new(), description: String::new(), product_count: 0, parent: None, photo: None }];
        // Ties on every key, so only a stable sort from the listing order agrees.
        let rows: Vec<ShelfRow> = (0..40)
            .map(|i| ShelfRow { price_minor: (i * 7) % 5 * 100, sold: i % 3, ratings: i % 4, stars: (i % 4) * ((i % 5) + 1), stock: i % 2, ..row(100 - i, 0) })
            .collect();
        let shelves = Shelves::new(&categories, &rows, HashMap::new(), &[]);
        let book = StockBook::default();
        book.fill(&rows, book.tick());
        for sort in Sort::ALL {
            for in_stock in [false, true] {
                let choice = Choice { sort, filter: listing::Filter { in_stock, ..Default::default() } };
                let items: Vec<Item<'_>> = shelves.facts.iter().zip(&rows).enumerate().map(|(i, (fact, r))| Item { fact, stock: r.stock, variant_stock: Vec::new(), at: i as u32 }).collect();
                let (expected, facets) = listing::list(&items, &choice);
                let expected: Vec<i64> = expected.into_iter().map(|i| i.fact.id).collect();
                assert_eq!(*shelves.list(Shelf::Category(1), &choice, &book), (expected, facets), "{sort:?}, in stock: {in_stock}");
            }
        }
    }
}
