use aisle_domain::{catalogue::{art::product_data_url, photo::CARD_SIZES}, ProductSummary, StockLevel};
use crate::{features::catalogue::photo::ProductPhoto, i18n::{t_string, use_i18n}, platform::lang::{fill, money}, tr};
use crate::features::{reviews::stars::StarsLine, wishlist::heart::WishHeart};
use leptos::prelude::*;

/// A product's picture as a `data:` URL ([`product_data_url`]), drawn here from the
/// product by the same code the server uses: no request per picture, and pictures
/// show offline too. Drawn once per product and kept (a few hundred at most), as a
/// grid redraws its cards on every keystroke of a search.
pub fn picture(id: i64, name: &str, category_slug: &str) -> String {
    thread_local! {
        static DRAWN: std::cell::RefCell<std::collections::HashMap<i64, String>> = std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(url) = DRAWN.with(|d| d.borrow().get(&id).cloned()) {
        return url;
    }
    let url = product_data_url(id, name, category_slug);
    DRAWN.with(|d| {
        let mut d = d.borrow_mut();
        if d.len() >= 500 {
            d.clear();
        }
        d.insert(id, url.clone());
    });
    url
}

/// A stock count in words, coloured by urgency.
#[component]
pub fn StockBadge(level: StockLevel) -> impl IntoView {
    let i18n = use_i18n();
    let words = move || match level {
        StockLevel::InStock => t_string!(i18n, stock_in).to_string(),
        StockLevel::Low(n) => fill(t_string!(i18n, stock_low), &[("n", &n)]),
        StockLevel::OutOfStock => t_string!(i18n, stock_out).to_string(),
    };
    view! { <span class=format!("stock {}", level.tag())>{words}</span> }
}

/// A product in a grid: photo (or drawn picture), name, price and stock, all one link
/// to its page, and the wish list's heart. `first`: the grid's first card, whose photo
/// is fetched first. `children` go under the link (the wish list's badges). `hearts`:
/// when the hearts may be drawn (see [`ProductGrid`]); at once without it.
#[component]
pub fn ProductCard(
    product: ProductSummary,
    #[prop(optional)] first: bool,
    #[prop(optional)] children: Option<Children>,
    #[prop(optional)] hearts: Option<RwSignal<bool>>,
) -> impl IntoView {
    let level = product.stock_level();
    let heart = product.clone();
    let heart = move || hearts.is_none_or(|h| h.get()).then(|| view! { <WishHeart product=heart.clone()/> });
    view! {
        <li class="product-card">
            <a href=product.href()>
                {match product.photo.clone() {
                    Some(photo) => view! { <ProductPhoto photo sizes=CARD_SIZES first/> }.into_any(),
                    None => view! { <img src=picture(product.id, &product.name, &product.category_slug) alt="" width="400" height="300" decoding="async"/> }.into_any(),
                }}
                <span class="name">{product.name.clone()}</span>
                {product.rating.map(|stars| view! { <StarsLine stars/> })}
                <span class="price">{move || money(product.price)}</span>
                {product.compare_at.map(|was| view! { <span class="was">{tr!(was_price)}" "<s>{move || money(was)}</s></span> })}
                <StockBadge level/>
            </a>
            {heart}
            {children.map(|c| c())}
        </li>
    }
}

/// Cards in a grid. Their hearts come once the page has drawn: in the same frame
/// they took a route change to a category from 25 to 35 ms, and they sit over the
/// picture's corner, so nothing moves when they arrive.
#[component]
pub fn ProductGrid(products: Vec<ProductSummary>) -> impl IntoView {
    let hearts = RwSignal::new(false);
    crate::platform::idle::when_idle(move || async move {
        hearts.try_set(true);
    });
    view! {
        <ul class="product-grid">
            {products.into_iter().enumerate().map(|(i, product)| view! { <ProductCard product first={i == 0} hearts/> }).collect_view()}
        </ul>
    }
}

/// `count` product cards on their way, each the size of a card: for a grid inside a
/// [`Placeholder`](crate::ui::feedback::Placeholder).
#[component]
pub fn ProductGridPlaceholder(count: usize) -> impl IntoView {
    use crate::ui::feedback::Bar;
    view! {
        <ul class="product-grid">
            {(0..count).map(|_| view! {
                <li class="product-card">
                    <div class="card">
                        <div class="picture"></div>
                        <Bar class="name two"/>
                        <Bar class="price w30"/>
                        <Bar class="stock w60"/>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
}
