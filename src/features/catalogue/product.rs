//! `/p/:slug`: one product with its price and real stock level.

use crate::{
    features::{
        account::session::use_shop,
        catalogue::{local::use_catalogue, photo::Gallery, product_card::{picture, StockBadge}, variants::{keep_address_in_step, Chosen, VariantPicker}},
        reviews::stars::StarsLine,
        wishlist::heart::WishButton,
    },
    platform::{http::ApiError, lang::{fill, money}, outbox::{use_outbox, Outcome}},
    tr,
    tr_now,
    ui::{feedback::{Bar, ErrorPanel, Placeholder}, not_found::NotFound, title::set_title},
};
use aisle_domain::{
    cart::{as_variant, SetQuantity},
    catalogue::variant::opening_variant,
    catalogue::stock::StockUpdate,
    change::Change,
    customer::MAX_QUANTITY,
    StockLevel,
};
use leptos::{prelude::*, task::spawn_local, wasm_bindgen::{closure::Closure, JsCast}};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ProductView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let i18n = crate::i18n::use_i18n();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let catalogue = use_catalogue();
    let edited = edits_of(catalogue, slug);
    let product = LocalResource::new(move || {
        edited.track();
        // Read again on a language switch: a page that came from the API (no device
        // copy yet) is asked for in the new language; the device's copy follows when
        // its own sync in that language lands (`edits_of`).
        let _ = i18n.get_locale();
        let slug = slug();
        async move { catalogue.product(&slug).await }
    });
    view! {
        <Transition fallback=|| view! { <ProductPlaceholder/> }>
            {move || Suspend::new(async move {
                match product.await {
                    Err(e) if e.is_not_found() => view! { <NotFound title=tr_now!(product_not_found)/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(p) => {
                        set_title(&p.name);
                        let id = p.id;
                        // A product in sizes or colours opens on the variant its address
                        // names (a shared link, an e-mail's), else the first in stock.
                        let wanted = query.with_untracked(|q| q.get("variant").and_then(|v| v.parse::<i64>().ok()));
                        let opening = opening_variant(&p.variants, wanted).cloned();
                        let stale = wanted.is_some() && opening.as_ref().map(|v| v.id) != wanted;
                        let chosen = (!p.variants.is_empty()).then(|| Chosen::new(p.variants.clone(), opening.as_ref(), p.options.len()));
                        if let Some(c) = chosen {
                            keep_address_in_step(c, p.slug.clone());
                        }
                        let current = move || chosen.and_then(|c| c.current());
                        crate::features::personal::activity::product_view(id);
                        spawn_local(async move {
                            let _ = crate::platform::store::note_viewed(id).await;
                        });
                        view! {
                            <nav class="breadcrumb" aria-label=tr!(breadcrumb)>
                                <a href="/">{tr!(home)}</a>" / "
                                <a href=format!("/c/{}", p.category_slug)>{p.category_name.clone()}</a>
                            </nav>
                            <article class="product" data-testid="product">
                                {if p.photos.is_empty() {
                                    view! { <img src=picture(p.id, &p.name, &p.category_slug) alt={ let (alt, name) = (tr!(picture_of), p.name.clone()); move || fill(alt(), &[("name", &name)]) } width="400" height="300"/> }.into_any()
                                } else {
                                    let show = Signal::derive(move || current().and_then(|v| v.photo_id));
                                    view! { <Gallery photos=p.photos.clone() show/> }.into_any()
                                }}
                                <div class="details">
                                    <h1 lang=p.content_lang.code()>{p.name.clone()}</h1>
                                    {(!p.brand.is_empty()).then(|| view! {
                                        <p class="by-brand"><a href=crate::features::catalogue::brand::brand_href(&p.brand) data-testid="brand-link">{fill(tr_now!(by_brand), &[("brand", &p.brand)])}</a></p>
                                    })}
                                    {
                                        let content = p.content_lang;
                                        move || (content != crate::platform::lang::lang_of(i18n.get_locale())).then(|| view! {
                                            <p class="hint" data-testid="untranslated">{tr!(content_in_english)}</p>
                                        })
                                    }
                                    {p.rating.map(|stars| view! { <p class="product-stars"><a href="#reviews-h"><StarsLine stars/></a></p> })}
                                    <p class="price" data-testid="price">{let price = p.price; move || money(current().map_or(price, |v| v.price))}</p>
                                    {
                                        let was = p.compare_at;
                                        move || current().map_or(was, |v| v.compare_at).map(|was| view! { <p class="was" data-testid="was-price">{tr!(was_price)}" "<s>{move || money(was)}</s></p> })
                                    }
                                    {stale.then(|| view! { <p class="notice" role="status" data-testid="variant-gone">{tr!(variant_gone)}</p> })}
                                    {(!p.options.is_empty()).then(|| chosen.map(|chosen| view! { <VariantPicker options=p.options.clone() chosen/> }))}
                                    <LiveStock product=p.clone() chosen/>
                                    <WishButton product=p.summary()/>
                                    {description(&p)}
                                    <p class="product-number">{let number = tr!(product_number); move || fill(number(), &[("id", &id)])}</p>
                                </div>
                            </article>
                            {
                                // The reviews and related rows come once the page has drawn and the browser is
                                // idle: their code and their answer are not in the frame a
                                // route change to a product paints (in the same frame they
                                // took that route change from 6 to 17 ms).
                                let stars = p.rating;
                                let now = RwSignal::new(false);
                                crate::platform::idle::when_idle(move || async move {
                                    now.try_set(true);
                                });
                                move || now.get().then(|| view! {
                                    <Suspense fallback=|| ()>{move || Suspend::new(crate::features::reviews::product_reviews(id, stars))}</Suspense>
                                    <Suspense fallback=|| ()>{move || Suspend::new(crate::features::personal::related::product_related(id))}</Suspense>
                                })
                            }
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// This product as the device's copy has it, changing only when a sync brings an edit
/// of it (staff changed its price or name, or took it off sale): the page then reads it
/// again and shows the edit without a reload. Stock (the product's and each variant's)
/// has its own live stream, and the copy arriving, or changes to other products, are
/// no edit — so what a shopper is typing into the page is not redrawn away.
fn edits_of(catalogue: crate::features::catalogue::local::LocalCatalogue, slug: impl Fn() -> String + Send + Sync + 'static) -> Memo<Option<Option<aisle_domain::Product>>> {
    Memo::new_with_compare(
        move |_| {
            catalogue.data.with(|d| {
                d.as_ref().map(|d| {
                    d.product(&slug()).map(|p| aisle_domain::Product {
                        stock: 0,
                        variants: p.variants.into_iter().map(|v| aisle_domain::catalogue::variant::Variant { stock: 0, ..v }).collect(),
                        ..p
                    })
                })
            })
        },
        |old, new| match (old, new) {
            (Some(Some(Some(a))), Some(Some(Some(b)))) => a != b,
            (Some(Some(Some(_))), Some(Some(None))) => true,
            (None, _) => true,
            _ => false,
        },
    )
}

/// A product page on its way: the trail, then the picture, name, price, stock, buying
/// form and description where they will be.
#[component]
fn ProductPlaceholder() -> impl IntoView {
    view! {
        <Placeholder>
            <div class="breadcrumb"><Bar class="crumb w30"/></div>
            <div class="product">
                <div class="picture"></div>
                <div class="details">
                    <div class="sk-h1"><Bar class="w60"/></div>
                    <p class="price"><Bar class="w30"/></p>
                    <p><Bar class="stock w30"/></p>
                    <div class="buy-box"><div class="add-to-cart"><span class="sk-button"></span></div></div>
                    <div class="description"><p><Bar class="w90"/><Bar class="w90"/><Bar class="w60"/></p></div>
                    <p class="product-number"><Bar class="w30"/></p>
                </div>
            </div>
        </Placeholder>
    }
}

/// The stock level, kept live: the server pushes every change over server-sent events,
/// so the page never shows stock that is gone. Also holds the "Add to cart" form.

/// The description as the server rendered and sanitised it (a product kept on the
/// device before there was HTML shows its text).
fn description(p: &aisle_domain::Product) -> impl IntoView {
    if p.description_html.is_empty() {
        view! { <div class="description" lang=p.content_lang.code()><p>{p.description.clone()}</p></div> }.into_any()
    } else {
        view! { <div class="description" lang=p.content_lang.code() inner_html=p.description_html.clone()></div> }.into_any()
    }
}

#[component]
fn LiveStock(product: aisle_domain::Product, chosen: Option<Chosen>) -> impl IntoView {
    let product_id = product.id;
    let stock = RwSignal::new(product.stock);
    if let Ok(source) = leptos::web_sys::EventSource::new(&format!("/api/products/{product_id}/stock/events")) {
        let on_stock = Closure::<dyn FnMut(leptos::web_sys::MessageEvent)>::new(move |ev: leptos::web_sys::MessageEvent| {
            if let Some(update) = ev.data().as_string().and_then(|d| serde_json::from_str::<StockUpdate>(&d).ok()) {
                stock.set(update.stock);
                if let Some(c) = chosen {
                    c.stock.set(update.variants.iter().map(|v| (v.id, v.stock)).collect());
                }
            }
        });
        let _ = source.add_event_listener_with_callback("stock", on_stock.as_ref().unchecked_ref());
        // Closing on unmount stops the stream; the closure lives exactly as long.
        let keep = send_wrapper::SendWrapper::new((source, on_stock));
        on_cleanup(move || keep.0.close());
    }
    // What can be bought now: the chosen variant's stock, or the product's.
    let shown = Signal::derive(move || match chosen {
        Some(c) => c.current().map_or(0, |v| v.stock),
        None => stock.get(),
    });
    view! {
        <p data-testid="stock" aria-live="polite">{move || view! { <StockBadge level=StockLevel::from_count(shown.get())/> }}</p>
        <AddToCart product chosen stock=shown/>
        // When it would arrive by the shop's usual way, while there is stock to send.
        {move || (shown.get() > 0).then(|| view! { <crate::features::checkout::promise::DeliveryPromise method=Signal::stored(None)/> })}
        {move || {
            // Drawn again for another sold-out size: the alert is for what is chosen.
            let variant_id = chosen.and_then(|c| c.current()).map(|v| v.id);
            (shown.get() <= 0).then(|| match variant_id {
                Some(variant_id) => view! { <super::alerts::BackInStockAlert product_id variant_id/> }.into_any(),
                None => view! { <super::alerts::BackInStockAlert product_id/> }.into_any(),
            })
        }}
    }
}

#[component]
fn AddToCart(product: aisle_domain::Product, chosen: Option<Chosen>, stock: Signal<i64>) -> impl IntoView {
    let shop = use_shop();
    let outbox = use_outbox();
    let product_id = product.id;
    let product = StoredValue::new(product);
    let queued = RwSignal::new(false);
    let quantity = RwSignal::new("1".to_string());
    let error = RwSignal::new(None::<ApiError>);
    let added = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        added.set(false);
        let Ok(q) = quantity.get_untracked().trim().parse::<i64>() else {
            error.set(Some(ApiError::plain(400, fill(tr_now!(quantity_range), &[("max", &MAX_QUANTITY)]))));
            return;
        };
        // The line this adds to: the product's, or the chosen variant's.
        let (summary, variant) = match chosen {
            None => (product.with_value(|p| p.summary()), None),
            Some(c) => match c.current() {
                Some(v) => {
                    let (summary, chosen) = product.with_value(|p| as_variant(p, &v));
                    (summary, Some(chosen))
                }
                None => return,
            },
        };
        let key = (product_id, variant.as_ref().map(|v| v.id));
        let in_cart = shop.cart.with_untracked(|c| c.lines.iter().find(|l| l.key() == key).map_or(0, |l| i64::from(l.quantity)));
        if !(1..=i64::from(MAX_QUANTITY)).contains(&q) {
            error.set(Some(ApiError::plain(400, fill(tr_now!(quantity_range), &[("max", &MAX_QUANTITY)]))));
            return;
        }
        busy.set(true);
        // Read above, before the answer: it can come after the shopper has left the
        // page, when its stored values are gone (reading them then would panic).
        spawn_local(async move {
            let name = aisle_domain::cart::line_name(&summary.name, variant.as_ref());
            let set = SetQuantity { product_id, variant_id: key.1, quantity: in_cart + q };
            let label = fill(tr_now!(add_to_cart_label), &[("q", &q), ("name", &name)]);
            match outbox.submit(label, Change::SetCartQuantity { set }, None).await {
                Outcome::Sent(_) => {
                    // Recorded here as well as for a queued change (in
                    // `set_local_quantity`), so the funnel counts every add.
                    crate::features::personal::activity::cart_change(product_id, in_cart as u32, (in_cart + q) as u32);
                    error.set(None);
                    queued.set(false);
                    added.set(true);
                }
                Outcome::Queued => {
                    shop.set_local_quantity(summary, variant, (in_cart + q) as u32);
                    error.set(None);
                    queued.set(true);
                    added.set(true);
                }
                Outcome::Refused(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="buy-box">
            {move || added.get().then(|| view! {
                <p class="notice" role="status">
                    {let (later, now) = (tr!(added_queued), tr!(added)); move || if queued.get() { later() } else { now() }}" "
                    <a class="button primary" href="/checkout">{tr!(go_to_checkout)}</a> " " <a href="/cart">{tr!(view_cart)}</a>
                </p>
            })}
            <p class="form-error" role="alert">{move || error.get().map(|e| e.message)}</p>
            <form novalidate class="add-to-cart" on:submit=submit>
                <label for="add-qty">{tr!(quantity)}</label>
                <input id="add-qty" type="number" inputmode="numeric" min="1" max=MAX_QUANTITY bind:value=quantity/>
                <button type="submit" class="primary" disabled=move || busy.get() || stock.get() <= 0>
                    {let (out, add) = (tr!(stock_out), tr!(add_to_cart)); move || if stock.get() <= 0 { out() } else { add() }}
                </button>
            </form>
        </div>
    }
}
