//! `/`: categories and featured products — one click from any category, two from any
//! product. A returning signed-in shopper is greeted by name, asked how they liked what
//! was last delivered, told where an open order is, and shown what to buy again and
//! what goes with what they bought — never a tour.

use crate::{
    features::catalogue::{local::{use_catalogue, Categories}, photo::ProductPhoto, product_card::{ProductGrid, ProductGridPlaceholder}},
    platform::{lang::fill, outbox::{use_outbox, Outcome}},
    tr,
    tr_now,
    ui::{feedback::{Bar, ErrorPanel, Placeholder}, title::set_title},
};
use aisle_domain::{catalogue::photo::TILE_SIZES, change::{Change, OrderRef}, personal::RatingPrompt, support::NewRating};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn Home() -> impl IntoView {
    set_title("");
    let Categories(categories) = expect_context::<Categories>();
    let catalogue = use_catalogue();
    let featured = LocalResource::new(move || catalogue.featured());
    // Read again when the device's copy of the catalogue arrives or changes: on a
    // first visit it comes after the page has drawn, with the products viewed so far.
    let recent = LocalResource::new(move || {
        catalogue.data.track();
        catalogue.recently_viewed()
    });
    let shop = crate::features::account::session::use_shop();
    let who = Memo::new(move |_| shop.customer().map(|c| (c.id, aisle_domain::personal::first_name(&c.name))));
    let welcome_back = tr!(welcome_back);
    let (count_one, count_other) = (tr!(category_count_1), tr!(category_count_n));
    view! {
        {move || match who.get() {
            Some((_, first)) => view! {
                <h1>{move || fill(welcome_back(), &[("name", &first)])}</h1>
                <WelcomeBack/>
            }.into_any(),
            None => view! { <h1>{tr!(welcome)}</h1> }.into_any(),
        }}
        {move || who.get().map(|_| view! { <RecommendationRows/> })}
        // Categories, then what was viewed, then the featured picks. Until the categories
        // come, placeholders hold the room of both the tiles and the picks; the picks'
        // own placeholder is drawn with the tiles, so it is never pushed down by them.
        <Transition fallback=|| view! {
            <Placeholder>
                <CategoryTilesPlaceholder/>
                <FeaturedPlaceholder/>
            </Placeholder>
        }>
            {move || Suspend::new(async move {
                let tiles = match categories.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(cats) => view! {
                        <section aria-labelledby="shop-by-category">
                            <h2 id="shop-by-category">{tr!(shop_by_category)}</h2>
                            <ul class="category-grid">
                                {cats.into_iter().filter(|c| c.parent.is_none()).map(|c| { let href = c.href(); view! {
                                    <li>
                                        <a href=href>
                                            {c.photo.map(|photo| view! { <ProductPhoto photo sizes=TILE_SIZES/> })}
                                            <span class="name">{c.name}</span>
                                            <span class="meta">{c.description}</span>
                                            <span class="count">{move || if c.product_count == 1 { count_one().to_string() } else { fill(count_other(), &[("n", &crate::platform::lang::lang().integer(c.product_count))]) }}</span>
                                        </a>
                                    </li>
                                }}).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                };
                view! {
                    {tiles}
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let products = recent.await;
                            (!products.is_empty()).then(|| view! {
                                <section aria-labelledby="recent" data-testid="recently-viewed">
                                    <h2 id="recent">{tr!(recently_viewed)}</h2>
                                    <ProductGrid products/>
                                </section>
                            })
                        })}
                    </Transition>
                    <Transition fallback=|| view! { <Placeholder><FeaturedPlaceholder/></Placeholder> }>
                        {move || Suspend::new(async move {
                            // Featured products are a bonus: if they fail, the categories still lead on.
                            featured.await.ok().filter(|p| !p.is_empty()).map(|products| view! {
                                <section aria-labelledby="featured">
                                    <h2 id="featured">{tr!(featured)}</h2>
                                    <ProductGrid products/>
                                </section>
                            })
                        })}
                    </Transition>
                }
            })}
        </Transition>
    }
}

/// The shop's categories on their way: as many tiles as the shop has (the demo shop's
/// twelve), each the size of a tile.
#[component]
fn CategoryTilesPlaceholder() -> impl IntoView {
    view! {
        <div class="sk-h2"><Bar class="w30"/></div>
        <ul class="category-grid">
            {(0..CATEGORY_TILES).map(|_| view! {
                <li>
                    <div class="tile">
                        <Bar class="name w60"/>
                        <Bar class="meta w90"/>
                        <Bar class="meta w60"/>
                        <Bar class="count w30"/>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// How many category tiles a placeholder draws.
const CATEGORY_TILES: usize = 12;

/// The featured picks on their way (the shop features eight).
#[component]
fn FeaturedPlaceholder() -> impl IntoView {
    view! {
        <div class="sk-h2"><Bar class="w30"/></div>
        <ProductGridPlaceholder count=8/>
    }
}

/// The rating prompt and the open order, for a signed-in shopper.
#[component]
fn WelcomeBack() -> impl IntoView {
    let welcome = LocalResource::new(crate::features::personal::state::welcome);
    let open_order = tr!(open_order);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                welcome.await.map(|w| view! {
                    {w.open_order.map(|o| view! {
                        <p class="notice" data-testid="open-order">
                            {let (number, status) = (o.number.clone(), o.status); move || fill(open_order(), &[("number", &number), ("status", &crate::platform::lang::order_status_in_sentence(status))])}" "
                            <a href=format!("/orders/{}", o.number)>{tr!(see_where_it_is)}</a>
                        </p>
                    })}
                    {w.rate.map(|r| view! { <RatePrompt r/> })}
                })
            })}
        </Transition>
    }
}

/// "How did you like it?": one click on a star answers; a comment is optional.
#[component]
fn RatePrompt(r: RatingPrompt) -> impl IntoView {
    let outbox = use_outbox();
    let given = RwSignal::new(None::<u8>);
    let comment = RwSignal::new(String::new());
    let thanks = RwSignal::new(None::<String>);
    let order = StoredValue::new(OrderRef { number: r.order_number.clone(), token: String::new() });
    let product_id = r.product_id;
    let label = StoredValue::new(fill(tr_now!(rating_label), &[("name", &r.product_name)]));
    let send = move |stars: u8, text: String| {
        spawn_local(async move {
            let rating = NewRating { rating: stars as i64, comment: text, ..NewRating::default() };
            let change = Change::RateProduct { order: order.get_value(), product_id, rating };
            let said = match outbox.submit(label.get_value(), change, None).await {
                Outcome::Sent(_) => tr_now!(thank_you).to_string(),
                Outcome::Queued => tr_now!(thank_you_later).to_string(),
                Outcome::Refused(e) => e.message,
            };
            thanks.set(Some(said));
        });
    };
    let name = r.product_name.clone();
    let (question, group) = (tr!(rate_question), tr!(rate_group));
    let (star_one, star_other) = (tr!(stars_1), tr!(stars_n));
    let product_name = r.product_name.clone();
    view! {
        <section class="panel rate-prompt" aria-labelledby="rate-prompt-h" data-testid="rate-prompt">
            <h2 id="rate-prompt-h">{move || fill(question(), &[("name", &product_name)])}</h2>
            <div class="stars" role="group" aria-label=move || fill(group(), &[("name", &name)])>
                {(1..=5u8).map(|n| view! {
                    <button type="button" class="star-button" data-stars=n.to_string()
                        aria-pressed=move || (given.get() == Some(n)).to_string()
                        aria-label=move || if n == 1 { star_one().to_string() } else { fill(star_other(), &[("n", &n)]) }
                        on:click=move |_| { given.set(Some(n)); send(n, String::new()); }>
                        {move || if given.get().is_some_and(|g| n <= g) { "★" } else { "☆" }}
                    </button>
                }).collect_view()}
            </div>
            <p role="status" data-testid="rate-thanks">{move || thanks.get()}</p>
            {move || given.get().map(|stars| view! {
                <form novalidate class="rate-comment" on:submit=move |ev| { ev.prevent_default(); send(stars, comment.get_untracked()); }>
                    <label for="rate-comment">{tr!(rate_comment)}</label>
                    <input id="rate-comment" type="text" maxlength="5000" prop:value=move || comment.get()
                        on:input=move |ev| comment.set(event_target_value(&ev))/>
                    <button type="submit">{tr!(add_comment)}</button>
                    <p class="hint">{tr!(review_public_hint)}</p>
                </form>
            })}
        </section>
    }
}

/// Buy again, because you bought, and popular in your favourite categories: from the
/// shop when online, from the device's copy offline.
#[component]
fn RecommendationRows() -> impl IntoView {
    let personal = crate::features::personal::state::use_personal();
    let recs = LocalResource::new(move || {
        personal.privacy.track();
        crate::features::personal::state::recommendations()
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                recs.await.map(|mut r| {
                    // A product shows in one row only: the more personal row keeps it.
                    let mut shown: Vec<i64> = r.buy_again.iter().map(|p| p.id).collect();
                    if let Some(b) = &mut r.because_you_bought {
                        b.similar.retain(|p| !shown.contains(&p.id));
                        shown.extend(b.similar.iter().map(|p| p.id));
                    }
                    r.popular_in_favourites.retain(|p| !shown.contains(&p.id));
                    view! {
                    {(!r.buy_again.is_empty()).then(|| view! {
                        <section aria-labelledby="buy-again" data-testid="buy-again">
                            <h2 id="buy-again">{tr!(buy_again)}</h2>
                            <ProductGrid products=r.buy_again/>
                        </section>
                    })}
                    {r.because_you_bought.filter(|b| !b.similar.is_empty()).map(|b| view! {
                        <section aria-labelledby="because" data-testid="because-you-bought">
                            <h2 id="because">{let because = tr!(because_you_bought); let name = b.product.name.clone(); move || fill(because(), &[("name", &name)])}</h2>
                            <ProductGrid products=b.similar/>
                        </section>
                    })}
                    {(!r.popular_in_favourites.is_empty()).then(|| view! {
                        <section aria-labelledby="popular-fav" data-testid="popular-in-favourites">
                            <h2 id="popular-fav">{tr!(popular_in_favourites)}</h2>
                            <ProductGrid products=r.popular_in_favourites/>
                        </section>
                    })}
                    }
                })
            })}
        </Transition>
    }
}
