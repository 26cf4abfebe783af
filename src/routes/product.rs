//! `/p/:slug`: one product with its price and real stock level.

use crate::{
    api,
    app::set_title,
    components::{
        feedback::{ErrorPanel, Loading},
        product_card::StockBadge,
    },
    routes::not_found::NotFound,
};
use aisle_domain::catalogue::is_valid_slug;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProductView() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let product = LocalResource::new(move || {
        let slug = slug();
        async move {
            if !is_valid_slug(&slug) {
                return Err(api::ApiError { status: 404, message: String::new() });
            }
            api::product(&slug).await
        }
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match product.await {
                    Err(e) if e.is_not_found() => view! { <NotFound title="Product not found"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(p) => {
                        set_title(&p.name);
                        let level = p.stock_level();
                        view! {
                            <nav class="breadcrumb" aria-label="Breadcrumb">
                                <a href="/">"Home"</a>" / "
                                <a href=format!("/c/{}", p.category_slug)>{p.category_name.clone()}</a>
                            </nav>
                            <article class="product" data-testid="product">
                                <img src=p.image_path() alt=format!("Picture of {}", p.name) width="400" height="300"/>
                                <div class="details">
                                    <h1>{p.name.clone()}</h1>
                                    <p class="price" data-testid="price">{p.price.to_string()}</p>
                                    <p data-testid="stock"><StockBadge level/></p>
                                    <p class="description">{p.description.clone()}</p>
                                </div>
                            </article>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
