//! Reviews in the shop: the stars on cards and product pages, a product's reviews
//! with their spread, order and "was this helpful?", and the buyer's review form on a
//! delivered order.

pub mod api;
pub mod section;
pub mod stars;
pub mod write;

use aisle_domain::review::Stars;
use leptos::prelude::*;

/// The product page's reviews. In the split build (feature `split`) their code is a
/// wasm part of its own, fetched as a product page draws: the way to a product does
/// not wait for it.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn product_reviews(product_id: i64, stars: Option<Stars>) -> AnyView {
    view! { <section::ProductReviews product_id stars/> }.into_any()
}
