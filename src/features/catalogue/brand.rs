//! `/brand/:name?page=N&sort=…`: every product of one brand, across categories, with a
//! category's order, filters and "Show more" (see `filters`). The product page links
//! here from the brand's name.

use crate::{
    features::catalogue::{
        filters::{href as listing_href, page_in, params_in, ListingControls, ShowMore},
        local::use_catalogue,
        product_card::{ProductGrid, ProductGridPlaceholder},
    },
    tr,
    tr_now,
    ui::{feedback::{Bar, ErrorPanel, Placeholder}, not_found::NotFound, title::set_title},
};
use aisle_domain::Currency;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The address of `brand`'s page.
pub fn brand_href(brand: &str) -> String {
    format!("/brand/{}", String::from(js_sys::encode_uri_component(brand)))
}

#[component]
pub fn BrandView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // The router hands the path's segment over still percent-encoded.
    let brand = move || {
        let raw = params.read().get("name").unwrap_or_default();
        js_sys::decode_uri_component(&raw).ok().and_then(|d| d.as_string()).unwrap_or(raw)
    };
    let page = move || page_in(&query.read());
    let catalogue = use_catalogue();
    let params = move || params_in(&query.read());
    let data = LocalResource::new(move || {
        let (brand, page, params) = (brand(), page(), params());
        async move {
            match catalogue.brand_page(&brand, page, &params).await {
                // An address whose order or filter cannot be read still shows the brand.
                Err(e) if e.status == 400 => catalogue.brand_page(&brand, 1, &[]).await.map(|(p, c)| (p, c, true)),
                other => other.map(|(p, c)| (p, c, false)),
            }
        }
    });
    view! {
        <Transition fallback=|| view! { <BrandPlaceholder/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) if e.is_not_found() => view! { <NotFound title=tr_now!(brand_not_found)/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok((p, choice, unread)) => {
                        set_title(&p.brand);
                        let href = brand_href(&p.brand);
                        let shown = p.items.len();
                        let currency = p.items.first().map_or(Currency::EUR, |i| i.price.currency);
                        view! {
                            <nav class="breadcrumb" aria-label=tr!(breadcrumb)>
                                <a href="/">{tr!(home)}</a>
                            </nav>
                            <h1>{p.brand.clone()}</h1>
                            {unread.then(|| view! { <p class="notice" role="alert" data-testid="listing-unread">{tr!(listing_unread)}</p> })}
                            <ListingControls path=href.clone() choice=choice.clone() facets=p.facets.clone() currency total=p.total/>
                            {p.items.is_empty().then(|| view! { <p class="empty">{tr!(listing_none)}</p> })}
                            <ProductGrid products=p.items/>
                            <ShowMore href=listing_href(&href, &choice, currency) page=p.page shown total=p.total/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn BrandPlaceholder() -> impl IntoView {
    view! {
        <Placeholder>
            <div class="breadcrumb"><Bar class="crumb w30"/></div>
            <div class="sk-h1"><Bar class="w30"/></div>
            <ProductGridPlaceholder count=aisle_domain::catalogue::paging::DEFAULT_PER_PAGE as usize/>
        </Placeholder>
    }
}
