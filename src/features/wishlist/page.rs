//! `/wishlist`: the kept products, newest first, each with what changed since it was
//! kept ("Price dropped: was €12.00", "Back in stock"). Read from the device's copy of
//! the catalogue, so it shows offline and without a request per product.

use super::state::use_wishes;
use crate::{
    features::{account::session::use_shop, catalogue::{local::use_catalogue, product_card::ProductCard}},
    platform::lang::{day, fill, money},
    tr,
    tr_now,
    ui::{feedback::Placeholder, title::set_title},
};
use aisle_domain::wishlist::{badges, Badge};
use leptos::prelude::*;

#[component]
pub fn WishlistView() -> impl IntoView {
    set_title(&tr_now!(wishlist));
    let wishes = use_wishes();
    let catalogue = use_catalogue();
    let shop = use_shop();
    // (kept item, the product as it is now), for what the device's copy has.
    let rows = Memo::new(move |_| {
        let items = wishes.list.get().items;
        catalogue.data.with(|d| {
            d.as_ref().map(|d| {
                let now = d.summaries(&items.iter().map(|i| i.product_id).collect::<Vec<_>>());
                items.into_iter().filter_map(|i| now.iter().find(|p| p.id == i.product_id).cloned().map(|p| (i, p))).collect::<Vec<_>>()
            })
        })
    });
    let (one, many) = (tr!(wishlist_count_1), tr!(wishlist_count_n));
    let (dropped, back, kept_on) = (tr!(wish_price_dropped), tr!(wish_back_in_stock), tr!(wishlist_kept_on));
    view! {
        <h1>{tr!(wishlist_title)}</h1>
        <p class="hint" data-testid="wishlist-where">
            {move || if shop.customer().is_some() { tr_now!(wishlist_signed_in) } else { tr_now!(wishlist_guest) }}
            " "
            {move || shop.customer().is_none().then(|| view! { <a href="/signin?next=/wishlist">{tr!(sign_in)}</a> })}
        </p>
        <p class="form-error" role="alert">{move || wishes.error.get()}</p>
        {move || match rows.get() {
            None if !wishes.list.with(|l| l.items.is_empty()) => view! { <Placeholder><div class="product-grid"></div></Placeholder> }.into_any(),
            None => view! { <p data-testid="wishlist-empty">{tr!(wishlist_empty)}</p> }.into_any(),
            Some(rows) if rows.is_empty() => view! { <p data-testid="wishlist-empty">{tr!(wishlist_empty)}</p> }.into_any(),
            Some(rows) => {
                let n = rows.len();
                let (one, many, dropped, back, kept_on) = (one.clone(), many.clone(), dropped.clone(), back.clone(), kept_on.clone());
                view! {
                    <p data-testid="wishlist-count">{move || if n == 1 { one().to_string() } else { fill(many(), &[("n", &n)]) }}</p>
                    <ul class="product-grid wishlist" data-testid="wishlist">
                        {rows.into_iter().map(|(item, product)| {
                            let marks = badges(&item, &product);
                            let (dropped, back, kept_on) = (dropped.clone(), back.clone(), kept_on.clone());
                            let added = item.added_at.clone();
                            view! {
                                <ProductCard product>
                                    <p class="wish-badges">
                                        {marks.into_iter().map(|b| match b {
                                            Badge::PriceDropped { was } => { let dropped = dropped.clone(); view! { <span class="badge-deal" data-testid="price-dropped">{move || fill(dropped(), &[("was", &money(was))])}</span> }.into_any() }
                                            Badge::BackInStock => { let back = back.clone(); view! { <span class="badge-back" data-testid="back-in-stock">{back}</span> }.into_any() }
                                        }).collect_view()}
                                        <span class="kept-on">{move || fill(kept_on(), &[("date", &day(&added))])}</span>
                                    </p>
                                </ProductCard>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}
