//! `/c/:slug?page=N&sort=…`: one category's products, N pages of them ("Show more"
//! adds one), in the order and with the filters the address asks for (see `filters`).

use crate::{
    features::catalogue::{
        filters::{href as listing_href, page_in, params_in, ListingControls, ShowMore},
        local::{use_catalogue, use_categories, Categories},
        product_card::{ProductGrid, ProductGridPlaceholder},
    },
    tr,
    tr_now,
    ui::{feedback::{Bar, ErrorPanel, Placeholder}, not_found::NotFound, title::set_title},
};
use aisle_domain::{catalogue::tree, Category, Currency};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CategoryView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let page = move || page_in(&query.read());
    let catalogue = use_catalogue();
    let Categories(categories) = use_categories();
    let params = move || params_in(&query.read());
    let data = LocalResource::new(move || {
        let (slug, page, params) = (slug(), page(), params());
        async move {
            match catalogue.category_page(&slug, page, &params).await {
                // An address whose order or filter cannot be read (edited by hand, cut
                // short in a chat) still shows the category, with everything in it.
                Err(e) if e.status == 400 => catalogue.category_page(&slug, 1, &[]).await.map(|(p, c)| (p, c, true)),
                other => other.map(|(p, c)| (p, c, false)),
            }
        }
    });
    view! {
        <Transition fallback=|| view! { <CategoryPlaceholder/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) if e.is_not_found() => view! { <NotFound title=tr_now!(category_not_found)/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok((p, choice, unread)) => {
                        set_title(&p.category.name);
                        let href = p.category.href();
                        let shown = p.items.len();
                        let currency = p.items.first().map_or(Currency::EUR, |i| i.price.currency);
                        // Its place in the tree: the way up, and what is inside it.
                        let all = categories.await.unwrap_or_default();
                        let trail: Vec<Category> = tree::ancestors(&all, p.category.id).iter().filter_map(|id| all.iter().find(|c| c.id == *id).cloned()).collect();
                        let children: Vec<Category> = all.iter().filter(|c| c.parent == Some(p.category.id)).cloned().collect();
                        view! {
                            <nav class="breadcrumb" aria-label=tr!(breadcrumb)>
                                <a href="/">{tr!(home)}</a>
                                {trail.into_iter().map(|c| { let href = c.href(); view! { " / "<a href=href>{c.name}</a> } }).collect_view()}
                            </nav>
                            <h1>{p.category.name.clone()}</h1>
                            <p class="lede">{p.category.description.clone()}</p>
                            {(!children.is_empty()).then(|| view! {
                                <nav class="subcategories" aria-label=tr!(subcategories)>
                                    <ul>{children.into_iter().map(|c| { let href = c.href(); view! { <li><a href=href>{c.name}</a></li> } }).collect_view()}</ul>
                                </nav>
                            })}
                            {unread.then(|| view! { <p class="notice" role="alert" data-testid="listing-unread">{tr!(listing_unread)}</p> })}
                            {(p.total > 0 || !choice.is_default()).then(|| view! {
                                <ListingControls path=href.clone() choice=choice.clone() facets=p.facets.clone() currency total=p.total/>
                            })}
                            {p.items.is_empty().then(|| if choice.is_default() {
                                view! { <p class="empty">{tr!(category_empty)}</p> }.into_any()
                            } else {
                                view! { <p class="empty">{tr!(listing_none)}</p> }.into_any()
                            })}
                            <ProductGrid products=p.items/>
                            <ShowMore href=listing_href(&href, &choice, currency) page=p.page shown total=p.total/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A category page on its way: the trail, name, description and a page of cards.
#[component]
fn CategoryPlaceholder() -> impl IntoView {
    view! {
        <Placeholder>
            <div class="breadcrumb"><Bar class="crumb w30"/></div>
            <div class="sk-h1"><Bar class="w30"/></div>
            <p class="lede"><Bar class="w60"/></p>
            <ProductGridPlaceholder count=aisle_domain::catalogue::paging::DEFAULT_PER_PAGE as usize/>
        </Placeholder>
    }
}
