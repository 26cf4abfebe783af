//! The product page's "Customers also bought" and "Similar products". Online they are
//! the API's (it has the orders); offline, similar products come from the device's
//! copy of the catalogue by the same rule (`aisle_domain::personal::related`), and
//! "Customers also bought" waits for the connection.

use super::api;
use crate::{
    features::catalogue::{local::use_catalogue, product_card::ProductGrid},
    tr,
};
use aisle_domain::personal::related::{Related, RELATED_ROW};
use leptos::prelude::*;

/// Both rows for product `id`; nothing at all when neither has a product.
#[component]
pub fn RelatedRows(product_id: i64) -> impl IntoView {
    let catalogue = use_catalogue();
    let related = LocalResource::new(move || async move {
        match api::related(product_id).await {
            Ok(r) => r,
            Err(_) => Related { also_bought: Vec::new(), similar: catalogue.similar(product_id, RELATED_ROW).await },
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Related { also_bought, similar } = related.await;
                view! {
                    {(!also_bought.is_empty()).then(|| view! {
                        <section class="related" aria-labelledby="also-bought-h" data-testid="also-bought">
                            <h2 id="also-bought-h">{tr!(also_bought)}</h2>
                            <ProductGrid products=also_bought/>
                        </section>
                    })}
                    {(!similar.is_empty()).then(|| view! {
                        <section class="related" aria-labelledby="similar-h" data-testid="similar">
                            <h2 id="similar-h">{tr!(similar_products)}</h2>
                            <ProductGrid products=similar/>
                        </section>
                    })}
                }
            })}
        </Suspense>
    }
}

/// The rows as the product page loads them. In the split build (feature `split`) their
/// code is a wasm part of its own, fetched once the page has drawn.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn product_related(product_id: i64) -> AnyView {
    view! { <RelatedRows product_id/> }.into_any()
}
