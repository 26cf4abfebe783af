//! The demo catalogue: 12 categories and 240 products, the same on every machine, so a
//! new developer, the tests and the benchmarks all see one shop. `seed --products N`
//! grows it to N products (10,000 or 50,000 for benchmarks) with the same generator.

use super::store;
use crate::platform::db::Db;
use aisle_domain::catalogue::slugify;
use std::collections::HashSet;

pub const DEMO_PRODUCTS: usize = 240;
pub const SHOP_CURRENCY: &str = "EUR";

struct CategorySpec {
    name: &'static str,
    description: &'static str,
    nouns: &'static [&'static str],
    /// The makers a shop of this kind would stock: each category's own, so "More from
    /// Ferro" stays in the kitchen.
    brands: &'static [&'static str],
    /// Price range in minor units.
    price: (i64, i64),
}

const CATEGORIES: &[CategorySpec] = &[
    CategorySpec { name: "Kitchen", description: "Pans, knives and everything for cooking at home.", nouns: &["Frying Pan", "Chef's Knife", "Saucepan", "Chopping Board", "Colander", "Whisk", "Kettle", "Teapot", "Mixing Bowl", "Spatula"], brands: &["Hearthstone", "Ferro", "Copperleaf"], price: (450, 12900) },
    CategorySpec { name: "Home & Living", description: "Lamps, cushions and small things that make a home.", nouns: &["Table Lamp", "Cushion", "Throw", "Vase", "Wall Clock", "Mirror", "Candle", "Picture Frame", "Rug", "Doormat"], brands: &["Glow & Grain", "Nook", "Hollow Oak"], price: (690, 18900) },
    CategorySpec { name: "Garden & Outdoor", description: "Tools, planters and furniture for the garden.", nouns: &["Garden Hose", "Trowel", "Planter", "Watering Can", "Pruning Shears", "Bird Feeder", "Deck Chair", "Lantern", "Rake", "Seed Tray"], brands: &["Greenfinch", "Thistle", "Fieldcraft"], price: (390, 24900) },
    CategorySpec { name: "Books", description: "Novels, cookbooks and guides, in print.", nouns: &["Novel", "Cookbook", "Travel Guide", "Field Guide", "Poetry Collection", "Atlas", "Biography", "Sketchbook", "Notebook", "Diary"], brands: &["Larkspur Press", "Meridian", "Quill House"], price: (599, 4500) },
    CategorySpec { name: "Toys & Games", description: "Puzzles, board games and toys for every age.", nouns: &["Jigsaw Puzzle", "Board Game", "Card Game", "Building Set", "Kite", "Yo-Yo", "Spinning Top", "Marble Run", "Puppet", "Dominoes"], brands: &["Tinker", "Brightside", "Puzzlewood"], price: (350, 7900) },
    CategorySpec { name: "Sports & Fitness", description: "Gear for training, hiking and playing.", nouns: &["Yoga Mat", "Water Bottle", "Skipping Rope", "Dumbbell", "Running Cap", "Backpack", "Tennis Balls", "Resistance Band", "Foam Roller", "Stopwatch"], brands: &["Stride", "Peakform", "Tidal"], price: (499, 15900) },
    CategorySpec { name: "Electronics", description: "Chargers, speakers and everyday gadgets.", nouns: &["Headphones", "Speaker", "Charger", "Power Bank", "Desk Lamp", "Alarm Clock", "Cable", "Keyboard", "Mouse", "Radio"], brands: &["Voltaire", "Aerion", "Kilo"], price: (990, 29900) },
    CategorySpec { name: "Clothing", description: "Everyday clothes for all seasons.", nouns: &["T-Shirt", "Jumper", "Scarf", "Raincoat", "Socks", "Beanie", "Gloves", "Shirt", "Hoodie", "Apron"], brands: &["Wren & Wool", "Northline", "Fable"], price: (790, 14900) },
    CategorySpec { name: "Beauty & Care", description: "Soaps, creams and care for body and hair.", nouns: &["Hand Cream", "Soap Bar", "Shampoo", "Lip Balm", "Face Oil", "Hairbrush", "Bath Salts", "Body Lotion", "Nail Brush", "Sponge"], brands: &["Sage & Salt", "Petal", "Aurea"], price: (290, 5900) },
    CategorySpec { name: "Stationery", description: "Pens, paper and things for the desk.", nouns: &["Fountain Pen", "Pencil Set", "Desk Organiser", "Envelopes", "Letter Paper", "Stapler", "Ruler", "Eraser", "Ink Bottle", "Paper Clips"], brands: &["Inkwell", "Foliant", "Ledger"], price: (190, 8900) },
    CategorySpec { name: "Pantry", description: "Tea, coffee, oils and treats that keep.", nouns: &["Coffee Beans", "Green Tea", "Olive Oil", "Honey", "Chocolate", "Jam", "Pasta", "Spice Mix", "Granola", "Biscuits"], brands: &["Old Mill", "Goldcrest", "Saltmarsh"], price: (250, 3900) },
    CategorySpec { name: "Pets", description: "Beds, bowls and toys for cats and dogs.", nouns: &["Dog Bed", "Cat Toy", "Pet Bowl", "Lead", "Collar", "Scratching Post", "Pet Brush", "Treat Jar", "Blanket", "Carrier"], brands: &["Paw & Co", "Wagtail", "Whisker"], price: (350, 11900) },
];

const ADJECTIVES: &[&str] = &[
    "Classic", "Compact", "Everyday", "Nordic", "Rustic", "Urban", "Coastal", "Vintage", "Modern", "Handmade",
    "Deluxe", "Travel", "Organic", "Heritage", "Studio", "Alpine", "Meadow", "Harbour", "Summit", "Willow",
];

const MATERIALS: &[&str] = &[
    "Oak", "Linen", "Stoneware", "Cotton", "Steel", "Bamboo", "Wool", "Copper", "Glass", "Leather", "Cork", "Enamel",
];

const QUALITIES: &[&str] = &[
    "Built to last and easy to look after.",
    "A favourite of our customers, reordered again and again.",
    "Made in small batches by a family workshop.",
    "Light enough to carry, sturdy enough for daily use.",
    "Simple, honest design that suits any home.",
    "Tested by our team for a month before we stocked it.",
];

/// A small, fast, seedable generator (SplitMix64): the catalogue must be identical on
/// every machine and release, which no library RNG promises.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

pub struct SeedCategory {
    pub slug: String,
    pub name: &'static str,
    pub description: &'static str,
}

pub struct SeedProduct {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category: usize,
    pub brand: &'static str,
    pub price_minor: i64,
    pub stock: i64,
    pub featured: bool,
}

pub fn categories() -> Vec<SeedCategory> {
    CATEGORIES
        .iter()
        .map(|c| SeedCategory { slug: slugify(c.name), name: c.name, description: c.description })
        .collect()
}

/// Generates `count` products spread evenly over the categories.
pub fn products(count: usize) -> Vec<SeedProduct> {
    let mut rng = Rng(0xA151E);
    let mut names = HashSet::new();
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let category = i % CATEGORIES.len();
        let spec = &CATEGORIES[category];
        let noun = rng.pick(spec.nouns);
        let mut name = format!("{} {} {}", rng.pick(ADJECTIVES), rng.pick(MATERIALS), noun);
        // Large catalogues exhaust the combinations; a model number keeps names unique.
        let mut model = 2;
        while names.contains(&name) {
            name = format!("{} {} {} No. {}", rng.pick(ADJECTIVES), rng.pick(MATERIALS), noun, model);
            model += 1;
        }
        names.insert(name.clone());
        let (lo, hi) = spec.price;
        // Prices end in 0 or 9 cents, as shops price things.
        let price_minor = (lo + rng.below((hi - lo) as u64) as i64) / 10 * 10 + if rng.below(2) == 0 { 9 } else { 0 };
        // Roughly one in ten sold out and one in seven running low, so every stock
        // wording appears in the demo shop.
        let stock = match rng.below(20) {
            0 | 1 => 0,
            2..=4 => 1 + rng.below(5) as i64,
            _ => 6 + rng.below(120) as i64,
        };
        let description = format!(
            "The {name} from our {} range. {} {}",
            spec.name.to_lowercase(),
            rng.pick(QUALITIES),
            rng.pick(QUALITIES)
        );
        out.push(SeedProduct {
            slug: slugify(&name),
            name,
            description,
            category,
            // Taken in turn rather than from the generator, so adding brands left every
            // name, price and stock of the demo shop as it was.
            brand: spec.brands[(i / CATEGORIES.len()) % spec.brands.len()],
            price_minor,
            stock,
            // The first in-stock product of each category is featured on the home page.
            featured: i < CATEGORIES.len() && stock > 0,
        });
    }
    out
}

/// Replaces the whole catalogue with `count` generated products, in one transaction.
pub async fn replace_catalogue(db: &Db, count: usize) -> Result<(), sqlx::Error> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    write_catalogue(&mut tx, count).await?;
    tx.commit().await
}

async fn write_catalogue(tx: &mut crate::platform::db::Tx<'_>, count: usize) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM variants").execute(&mut **tx).await?;
    sqlx::query("DELETE FROM product_options").execute(&mut **tx).await?;
    sqlx::query("DELETE FROM products").execute(&mut **tx).await?;
    sqlx::query("DELETE FROM categories").execute(&mut **tx).await?;
    let cats = categories();
    for (i, c) in cats.iter().enumerate() {
        sqlx::query("INSERT INTO categories (id, slug, name, description, position) VALUES ($1, $2, $3, $4, $5)")
            .bind(i as i64 + 1)
            .bind(&c.slug)
            .bind(c.name)
            .bind(c.description)
            .bind(i as i64)
            .execute(&mut **tx)
            .await?;
    }
    let now = crate::platform::clock::now();
    let products = products(count);
    // Versions after every earlier one, so that a device holding the old catalogue
    // fetches the new one whole.
    let last = store::next_catalogue_versions(tx, products.len() as i64).await?;
    let first = last - products.len() as i64 + 1;
    for (i, p) in products.iter().enumerate() {
        sqlx::query(
            "INSERT INTO products (id, slug, name, description, category_id, price_minor, currency, stock, featured, updated_at, version, brand) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(i as i64 + 1)
        .bind(&p.slug)
        .bind(&p.name)
        .bind(&p.description)
        .bind(p.category as i64 + 1)
        .bind(p.price_minor)
        .bind(SHOP_CURRENCY)
        .bind(p.stock)
        .bind(i64::from(p.featured))
        .bind(&now)
        .bind(first + i as i64)
        .bind(p.brand)
        .execute(&mut **tx)
        .await?;
    }
    write_variants(tx, &products).await?;
    crate::platform::db::sync_id_counters(tx, &["categories", "products", "variants"]).await
}

/// Clothing comes in sizes, and some of it in colours: the options and variants the
/// demo shop sells, as a shop would set them up.
pub struct SeedVariants {
    pub options: Vec<(&'static str, Vec<&'static str>)>,
    /// Values (one per option), price, stock, SKU.
    pub variants: Vec<(Vec<&'static str>, i64, i64, String)>,
}

const SIZES: &[&str] = &["XS", "S", "M", "L", "XL"];
const SOCK_SIZES: &[&str] = &["35–38", "39–42", "43–46"];
const COLOURS: &[&str] = &["Navy", "Grey", "Ochre"];

/// The variants of the demo product at `index`, if it has any. A generator of its own
/// (seeded by the index), so the products themselves are what they always were.
pub fn seed_variants(index: usize, p: &SeedProduct) -> Option<SeedVariants> {
    if CATEGORIES[p.category].name != "Clothing" {
        return None;
    }
    let noun = CATEGORIES[p.category].nouns.iter().find(|n| p.name.contains(*n))?;
    let (sizes, colours): (&[&str], bool) = match *noun {
        "T-Shirt" | "Jumper" | "Hoodie" | "Shirt" => (SIZES, true),
        "Raincoat" | "Gloves" => (&SIZES[1..], false),
        "Socks" => (SOCK_SIZES, false),
        _ => return None,
    };
    let mut rng = Rng(0x5EED_0000 + index as u64);
    let mut options = vec![("Size", sizes.to_vec())];
    if colours {
        options.push(("Colour", COLOURS.to_vec()));
    }
    let sku_base: String = p.slug.split('-').filter_map(|w| w.chars().next()).collect::<String>().to_uppercase();
    let mut variants = Vec::new();
    for (i, size) in sizes.iter().enumerate() {
        let colour_list: Vec<Option<&'static str>> = if colours { COLOURS.iter().copied().map(Some).collect() } else { vec![None] };
        for colour in colour_list {
            // The largest size costs a little more, as it does in clothing shops.
            let price = if i + 1 == sizes.len() && sizes.len() > 3 { p.price_minor + 200 } else { p.price_minor };
            // Some sizes sold out and some low, so a shopper sees every state.
            let stock = match rng.below(10) {
                0 => 0,
                1 | 2 => 1 + rng.below(4) as i64,
                _ => 5 + rng.below(40) as i64,
            };
            let mut values = vec![*size];
            let mut sku = format!("{sku_base}-{}-{}", index + 1, size.replace('–', ""));
            if let Some(c) = colour {
                values.push(c);
                sku.push('-');
                sku.push_str(&c[..3].to_uppercase());
            }
            variants.push((values, price, stock, sku));
        }
    }
    Some(SeedVariants { options, variants })
}

async fn write_variants(tx: &mut crate::platform::db::Tx<'_>, products: &[SeedProduct]) -> Result<(), sqlx::Error> {
    for (i, p) in products.iter().enumerate() {
        let Some(seed) = seed_variants(i, p) else { continue };
        let id = i as i64 + 1;
        for (position, (name, values)) in (1_i64..).zip(&seed.options) {
            sqlx::query("INSERT INTO product_options (product_id, position, name, option_values) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(position)
                .bind(*name)
                .bind(serde_json::to_string(values).unwrap_or_else(|_| "[]".into()))
                .execute(&mut **tx)
                .await?;
        }
        for (position, (values, price, stock, sku)) in (1_i64..).zip(&seed.variants) {
            sqlx::query("INSERT INTO variants (product_id, position, sku, option1, option2, price_minor, stock, weight_grams) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(id)
                .bind(position)
                .bind(sku)
                .bind(values[0])
                .bind(values.get(1).copied().unwrap_or(""))
                .bind(*price)
                .bind(*stock)
                .bind(250_i64)
                .execute(&mut **tx)
                .await?;
        }
        super::variants::refresh_product(tx, id).await?;
    }
    Ok(())
}

/// Seeds the demo catalogue into an empty database; leaves a stocked one alone.
pub async fn seed_if_empty(db: &Db) -> Result<bool, sqlx::Error> {
    // Checked under the write lock, so instances starting together on one new database
    // seed it once.
    let mut tx = crate::platform::db::begin_write(db).await?;
    let categories: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM categories").fetch_one(&mut *tx).await?;
    if categories > 0 {
        return Ok(false);
    }
    write_catalogue(&mut tx, DEMO_PRODUCTS).await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;


    #[test]
    fn the_demo_catalogue_is_deterministic() {
        let a = products(DEMO_PRODUCTS);
        let b = products(DEMO_PRODUCTS);
        assert_eq!(a.len(), 240);
        assert!(a.iter().zip(&b).all(|(x, y)| x.name == y.name && x.price_minor == y.price_minor && x.stock == y.stock));
    }

    #[test]
    fn large_catalogues_have_unique_slugs_and_sane_values() {
        let ps = products(50_000);
        let slugs: HashSet<_> = ps.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs.len(), ps.len());
        assert!(ps.iter().all(|p| p.price_minor > 0 && p.stock >= 0 && aisle_domain::catalogue::is_valid_slug(&p.slug)));
    }

    #[test]
    fn clothing_comes_in_sizes_and_colours() {
        let ps = products(DEMO_PRODUCTS);
        let with: Vec<SeedVariants> = ps.iter().enumerate().filter_map(|(i, p)| seed_variants(i, p)).collect();
        assert!(with.len() >= 10, "{} products with variants", with.len());
        assert!(with.iter().any(|v| v.options.len() == 2));
        let skus: HashSet<String> = with.iter().flat_map(|v| v.variants.iter().map(|x| x.3.clone())).collect();
        assert_eq!(skus.len(), with.iter().map(|v| v.variants.len()).sum::<usize>(), "SKUs are unique");
        assert!(with.iter().flat_map(|v| &v.variants).any(|x| x.2 == 0), "some sizes are sold out");
    }

    #[test]
    fn every_stock_wording_appears_in_the_demo() {
        let ps = products(DEMO_PRODUCTS);
        assert!(ps.iter().any(|p| p.stock == 0));
        assert!(ps.iter().any(|p| (1..=5).contains(&p.stock)));
        assert!(ps.iter().any(|p| p.stock > 5));
        assert!((8..=12).contains(&ps.iter().filter(|p| p.featured).count()));
    }
}
