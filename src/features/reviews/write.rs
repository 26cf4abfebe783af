//! The buyer's review of each delivered item, on their order: stars, a title and text.
//! It goes through the outbox, so it is written offline too; writing again replaces it.

use crate::{
    features::orders::api,
    platform::{
        http::ApiError,
        lang::fill,
        outbox::{use_outbox, Outcome},
    },
    tr,
    tr_now,
};
use aisle_domain::{
    change::{Change, OrderRef},
    order::Order,
    support::{NewRating, Rating},
};
use leptos::{prelude::*, task::spawn_local};

/// "How did you like it?": 1–5 stars and a comment for each delivered item. A rating
/// goes through the outbox; rating again replaces it.
#[component]
pub fn RateItems(o: Order, token: String) -> impl IntoView {
    let number = StoredValue::new(o.number.clone());
    let token = StoredValue::new(token);
    let items = StoredValue::new(o.items);
    let ratings = LocalResource::new(move || async move { api::order_ratings(&number.get_value(), &token.get_value()).await.unwrap_or_default() });
    view! {
        <section class="panel no-print" aria-labelledby="rate-h" data-testid="rate-items">
            <h2 id="rate-h">{tr!(how_did_you_like_it)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let given = ratings.await;
                    items.get_value().into_iter().map(|i| {
                        let mine = given.iter().find(|r| r.product_id == i.product_id).cloned();
                        view! { <RateItem number=number.get_value() token=token.get_value() product_id=i.product_id name=i.name.clone() given=mine/> }
                    }).collect_view()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RateItem(number: String, token: String, product_id: i64, name: String, given: Option<Rating>) -> impl IntoView {
    let outbox = use_outbox();
    let stars = RwSignal::new(given.as_ref().map(|r| r.rating).unwrap_or(0));
    let comment = RwSignal::new(given.as_ref().map(|r| r.comment.clone()).unwrap_or_default());
    let status = RwSignal::new(given.as_ref().map(|_| tr_now!(thanks_for_rating).to_string()));
    let error = RwSignal::new(None::<ApiError>);
    let order = StoredValue::new(OrderRef { number, token });
    let label = StoredValue::new(fill(tr_now!(rating_label), &[("name", &name)]));
    let save = move || {
        let rating = NewRating { rating: stars.get_untracked() as i64, comment: comment.get_untracked(), ..NewRating::default() };
        spawn_local(async move {
            let change = Change::RateProduct { order: order.get_value(), product_id, rating };
            match outbox.submit(label.get_value(), change, None).await {
                Outcome::Sent(_) => {
                    error.set(None);
                    status.set(Some(tr_now!(thanks_for_rating).into()));
                }
                Outcome::Queued => status.set(Some(tr_now!(rating_queued).into())),
                Outcome::Refused(e) => error.set(Some(e)),
            }
        });
    };
    let group = format!("rate-{product_id}");
    let (stars_for, star_1, star_n) = (tr!(stars_for), tr!(stars_1), tr!(stars_n));
    let legend_name = name.clone();
    view! {
        <div class="rate-item" data-testid="rate-item" data-product=product_id.to_string()>
            <fieldset>
                <legend>{name.clone()}</legend>
                <div class="stars" role="radiogroup" aria-label=move || fill(stars_for(), &[("name", &legend_name)])>
                    {(1..=5u8).map(|n| {
                        let group = group.clone();
                        view! {
                            <label class="star">
                                <input type="radio" name=group value=n.to_string() checked=move || stars.get() == n
                                    on:change=move |_| stars.set(n)/>
                                <span>{move || if n == 1 { star_1().to_string() } else { fill(star_n(), &[("n", &n)]) }}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                <label for=format!("{group}-comment")>{tr!(comment_optional)}</label>
                <input id=format!("{group}-comment") type="text" maxlength="1000" prop:value=move || comment.get()
                    on:input=move |ev| comment.set(event_target_value(&ev))/>
                <button type="button" disabled=move || stars.get() == 0 on:click=move |_| save()>{tr!(save_rating)}</button>
                <p class="notice" role="status">{move || status.get()}</p>
                <p class="form-error" role="alert">{move || error.get().map(|e| e.message)}</p>
            </fieldset>
        </div>
    }
}
