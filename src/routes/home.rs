//! `/`: categories and featured products — one click from any category, two from any
//! product.

use crate::{
    app::{set_title, Categories},
    catalogue::use_catalogue,
    components::{
        feedback::{ErrorPanel, Loading},
        product_card::ProductGrid,
    },
};
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    set_title("");
    let Categories(categories) = expect_context::<Categories>();
    let catalogue = use_catalogue();
    let featured = LocalResource::new(move || catalogue.featured());
    let recent = LocalResource::new(move || catalogue.recently_viewed());
    view! {
        <h1>"Welcome to Aisle"</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match categories.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(cats) => view! {
                        <section aria-labelledby="shop-by-category">
                            <h2 id="shop-by-category">"Shop by category"</h2>
                            <ul class="category-grid">
                                {cats.into_iter().map(|c| { let href = c.href(); view! {
                                    <li>
                                        <a href=href>
                                            <span class="name">{c.name}</span>
                                            <span class="meta">{c.description}</span>
                                            <span class="count">{format!("{} products", c.product_count)}</span>
                                        </a>
                                    </li>
                                }}).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let products = recent.await;
                (!products.is_empty()).then(|| view! {
                    <section aria-labelledby="recent" data-testid="recently-viewed">
                        <h2 id="recent">"Recently viewed"</h2>
                        <ProductGrid products/>
                    </section>
                })
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                // Featured products are a bonus: if they fail, the categories still lead on.
                featured.await.ok().filter(|p| !p.is_empty()).map(|products| view! {
                    <section aria-labelledby="featured">
                        <h2 id="featured">"Featured"</h2>
                        <ProductGrid products/>
                    </section>
                })
            })}
        </Transition>
    }
}
