use aisle_domain::{ProductSummary, StockLevel};
use leptos::prelude::*;

/// A stock count in words, coloured by urgency.
#[component]
pub fn StockBadge(level: StockLevel) -> impl IntoView {
    view! { <span class=format!("stock {}", level.tag())>{level.to_string()}</span> }
}

/// A product in a grid: picture, name, price and stock, all one link to its page.
#[component]
pub fn ProductCard(product: ProductSummary) -> impl IntoView {
    let level = product.stock_level();
    view! {
        <li class="product-card">
            <a href=product.href()>
                <img src=product.image_path() alt="" width="400" height="300" loading="lazy" decoding="async"/>
                <span class="name">{product.name.clone()}</span>
                <span class="price">{product.price.to_string()}</span>
                <StockBadge level/>
            </a>
        </li>
    }
}

#[component]
pub fn ProductGrid(products: Vec<ProductSummary>) -> impl IntoView {
    view! {
        <ul class="product-grid">
            {products.into_iter().map(|product| view! { <ProductCard product/> }).collect_view()}
        </ul>
    }
}
