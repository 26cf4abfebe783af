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
    review::{ReviewStatus, MAX_TITLE_CHARS},
    support::{NewRating, Rating},
};
use leptos::{prelude::*, task::spawn_local};

/// "How did you like it?": stars, and a title and text if the buyer likes, for each
/// delivered item. The e-mail after delivery links here (`#rate`), so the section is
/// scrolled to once it has drawn.
#[component]
pub fn RateItems(o: Order, token: String) -> impl IntoView {
    let number = StoredValue::new(o.number.clone());
    let token = StoredValue::new(token);
    let items = StoredValue::new(o.items);
    let ratings = LocalResource::new(move || async move { api::order_ratings(&number.get_value(), &token.get_value()).await.unwrap_or_default() });
    view! {
        <section class="panel no-print" id="rate" aria-labelledby="rate-h" data-testid="rate-items">
            <h2 id="rate-h">{tr!(how_did_you_like_it)}</h2>
            <p class="hint">{tr!(review_public_hint)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let given = ratings.await;
                    scroll_here_if_asked();
                    items.get_value().into_iter().map(|i| {
                        let mine = given.iter().find(|r| r.product_id == i.product_id).cloned();
                        view! { <RateItem number=number.get_value() token=token.get_value() product_id=i.product_id name=i.name.clone() given=mine/> }
                    }).collect_view()
                })}
            </Transition>
        </section>
    }
}

/// The page was opened at `#rate` (the delivery e-mail's link): the section was not
/// there when the browser looked for it, so it is brought into view now.
fn scroll_here_if_asked() {
    let Some(window) = leptos::web_sys::window() else { return };
    if window.location().hash().ok().as_deref() != Some("#rate") {
        return;
    }
    request_animation_frame(move || {
        if let Some(section) = document().get_element_by_id("rate") {
            section.scroll_into_view();
        }
    });
}

/// What the shop has done with a review, in words for its writer.
fn standing(r: &Rating) -> String {
    match r.status {
        ReviewStatus::Published if r.title.is_empty() && r.comment.is_empty() => tr_now!(thanks_for_rating).to_string(),
        ReviewStatus::Published => tr_now!(review_published).to_string(),
        ReviewStatus::Held => tr_now!(review_held).to_string(),
        ReviewStatus::Hidden => fill(tr_now!(review_hidden), &[("reason", &r.hidden_reason)]),
    }
}

#[component]
fn RateItem(number: String, token: String, product_id: i64, name: String, given: Option<Rating>) -> impl IntoView {
    let outbox = use_outbox();
    let stars = RwSignal::new(given.as_ref().map(|r| r.rating).unwrap_or(0));
    let title = RwSignal::new(given.as_ref().map(|r| r.title.clone()).unwrap_or_default());
    let comment = RwSignal::new(given.as_ref().map(|r| r.comment.clone()).unwrap_or_default());
    let status = RwSignal::new(given.as_ref().map(standing));
    let saved = RwSignal::new(given.is_some());
    let error = RwSignal::new(None::<ApiError>);
    let order = StoredValue::new(OrderRef { number, token });
    let label = StoredValue::new(fill(tr_now!(rating_label), &[("name", &name)]));
    let save = move || {
        let rating = NewRating { rating: stars.get_untracked() as i64, title: title.get_untracked(), comment: comment.get_untracked() };
        spawn_local(async move {
            let change = Change::RateProduct { order: order.get_value(), product_id, rating };
            match outbox.submit(label.get_value(), change, None).await {
                Outcome::Sent(answer) => {
                    error.try_set(None);
                    saved.try_set(true);
                    let words = serde_json::from_value::<Rating>(answer).map(|r| standing(&r)).unwrap_or_else(|_| tr_now!(thanks_for_rating).to_string());
                    status.try_set(Some(words));
                }
                Outcome::Queued => {
                    saved.try_set(true);
                    status.try_set(Some(tr_now!(rating_queued).into()));
                }
                Outcome::Refused(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let delete = move || {
        spawn_local(async move {
            let change = Change::DeleteRating { order: order.get_value(), product_id };
            match outbox.submit(tr_now!(delete_review).to_string(), change, None).await {
                Outcome::Sent(_) | Outcome::Queued => {
                    error.try_set(None);
                    saved.try_set(false);
                    stars.try_set(0);
                    title.try_set(String::new());
                    comment.try_set(String::new());
                    status.try_set(Some(tr_now!(review_deleted).into()));
                }
                Outcome::Refused(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let group = format!("rate-{product_id}");
    let (stars_for, star_1, star_n) = (tr!(stars_for), tr!(stars_1), tr!(stars_n));
    let legend_name = name.clone();
    let field_error = move |field: &'static str| move || error.get().and_then(|e| e.message_for(field).map(str::to_string));
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
                <label for=format!("{group}-title")>{tr!(review_title_label)}</label>
                <input id=format!("{group}-title") type="text" maxlength=MAX_TITLE_CHARS prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))/>
                <p class="form-error">{field_error("title")}</p>
                <label for=format!("{group}-comment")>{tr!(review_text_label)}</label>
                <textarea id=format!("{group}-comment") rows="4" prop:value=move || comment.get()
                    on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                <p class="form-error">{field_error("comment")}</p>
                <div class="actions">
                    <button type="button" disabled=move || stars.get() == 0 on:click=move |_| save()>{tr!(save_rating)}</button>
                    {move || saved.get().then(|| view! { <button type="button" class="link-button" on:click=move |_| delete()>{tr!(delete_review)}</button> })}
                </div>
                <p class="notice" role="status">{move || status.get()}</p>
                <p class="form-error" role="alert">{move || error.get().filter(|e| e.field.is_none()).map(|e| e.message)}</p>
            </fieldset>
        </div>
    }
}
