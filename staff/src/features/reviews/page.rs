//! `/staff/reviews`: reviews held for staff (a link, strong language, an edit of a
//! hidden one) oldest first, and the published and hidden ones newest first. Staff
//! publish, hide with a reason the reviewer is shown, or reply in public.

use super::api;
use crate::{
    platform::{clock::date_time, http::ApiError, lang::fill},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::review::{HoldReason, Moderation, ReviewStatus, StaffReview};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn ReviewsView() -> impl IntoView {
    set_title(tr_now!(reviews_title));
    let status = RwSignal::new(ReviewStatus::Held);
    let list = RwSignal::new(None::<Result<Vec<StaffReview>, ApiError>>);
    Effect::new(move |_| {
        let s = status.get();
        list.set(None);
        // The page may have closed while the list was on its way.
        spawn_local(async move { list.try_set(Some(api::reviews(s).await)); });
    });
    // A review whose state changed leaves this list; a reply changes it in place.
    let after = Callback::new(move |r: StaffReview| {
        let _ = list.try_update(|l| {
            if let Some(Ok(items)) = l {
                if Some(r.status) == status.try_get_untracked() {
                    if let Some(at) = items.iter_mut().find(|i| i.id == r.id) {
                        *at = r;
                    }
                } else {
                    items.retain(|i| i.id != r.id);
                }
            }
        });
    });
    let tab = move |s: ReviewStatus, label: Box<dyn Fn() -> &'static str + Send + Sync>| {
        view! {
            <button type="button" aria-pressed=move || (status.get() == s).to_string() on:click=move |_| status.set(s)>{label}</button>
        }
    };
    view! {
        <h1>{tr!(reviews_title)}</h1>
        <div class="bo-tabs" role="group" aria-label=tr!(reviews_title)>
            {tab(ReviewStatus::Held, Box::new(tr!(reviews_held)))}
            {tab(ReviewStatus::Published, Box::new(tr!(reviews_published)))}
            {tab(ReviewStatus::Hidden, Box::new(tr!(reviews_hidden)))}
        </div>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! { <p data-testid="no-reviews">{tr!(reviews_none_here)}</p> }.into_any(),
            Some(Ok(items)) => view! {
                <ol class="bo-reviews" data-testid="staff-reviews">
                    <For each=move || items.clone() key=|r| (r.id, r.status, r.reply.as_ref().map(|x| x.at.clone())) children=move |r| view! { <ReviewRow review=r after/> }/>
                </ol>
            }.into_any(),
        }}
    }
}

fn hold_words(reason: HoldReason) -> String {
    match reason {
        HoldReason::Link => tr_now!(review_hold_link),
        HoldReason::Language => tr_now!(review_hold_language),
        HoldReason::BeforeReviews => tr_now!(review_hold_before),
        HoldReason::Edited => tr_now!(review_hold_edited),
    }
    .to_string()
}

#[component]
fn ReviewRow(review: StaffReview, after: Callback<StaffReview>) -> impl IntoView {
    let id = review.id;
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let hiding = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let replying = RwSignal::new(false);
    let reply = RwSignal::new(review.reply.as_ref().map(|r| r.text.clone()).unwrap_or_default());
    let act = move |action: Moderation| {
        busy.set(true);
        spawn_local(async move {
            // Read with `try_`: the page may have closed while the answer was on its way.
            match api::moderate(id, &action).await {
                Ok(r) => {
                    error.try_set(None);
                    hiding.try_set(false);
                    replying.try_set(false);
                    busy.try_set(false);
                    after.run(r);
                }
                Err(e) => {
                    error.try_set(Some(e));
                    busy.try_set(false);
                }
            }
        });
    };
    let published = review.status == ReviewStatus::Published;
    let hidden = review.status == ReviewStatus::Hidden;
    let (reason_id, reply_id) = (format!("hide-{id}"), format!("reply-{id}"));
    let stars = tr!(review_stars);
    let rating = review.rating;
    let field_error = move |field: &'static str| move || error.get().and_then(|e| e.message_for(field).map(str::to_string));
    view! {
        <li class="bo-review panel" data-testid="staff-review">
            <p class="bo-review-head">
                <a href=format!("/p/{}", review.product_slug) rel="external">{review.product_name.clone()}</a>
                " · "<span class="bo-stars" role="img" aria-label=move || fill(stars(), &[("n", &rating)])>
                    <span aria-hidden="true">{aisle_domain::review::drawn(rating)}</span>
                </span>
            </p>
            {(!review.title.is_empty()).then(|| view! { <h2 class="bo-review-title">{review.title.clone()}</h2> })}
            <p class="bo-review-text">{review.text.clone()}</p>
            <p class="muted">
                {review.author.clone()}" · "{tr!(review_order)}" "{review.order_number.clone()}
                " · "{date_time(&review.at)}
                {(review.helpful > 0).then(|| { let n = review.helpful; let h = tr!(review_helpful_count); view! { " · "{move || fill(h(), &[("n", &n)])} } })}
            </p>
            {review.hold_reason.map(|h| view! { <p class="bo-warn" data-testid="hold-reason">{hold_words(h)}</p> })}
            {(!review.hidden_reason.is_empty()).then(|| view! { <p class="bo-warn">{tr!(review_hidden_because)}" "{review.hidden_reason.clone()}</p> })}
            {review.reply.clone().map(|r| view! { <p class="bo-reply"><strong>{tr!(review_your_reply)}</strong>" "{r.text}</p> })}
            <div class="bo-actions">
                {(!published).then(|| view! { <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| act(Moderation::Publish)>{tr!(review_publish)}</button> })}
                {(!hidden).then(|| view! { <button type="button" disabled=move || busy.get() on:click=move |_| hiding.update(|h| *h = !*h)>{tr!(review_hide)}</button> })}
                <button type="button" disabled=move || busy.get() on:click=move |_| replying.update(|r| *r = !*r)>{tr!(review_reply)}</button>
            </div>
            {move || hiding.get().then(|| { let reason_id = reason_id.clone(); view! {
                <form novalidate class="bo-inline-form" on:submit=move |ev| { ev.prevent_default(); act(Moderation::Hide { reason: reason.get_untracked() }); }>
                    <label for=reason_id.clone()>{tr!(review_hide_reason)}</label>
                    <input id=reason_id type="text" maxlength="2000" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <p class="field-error">{field_error("reason")}</p>
                    <button type="submit" disabled=move || busy.get()>{tr!(review_hide_confirm)}</button>
                </form>
            }})}
            {move || replying.get().then(|| { let reply_id = reply_id.clone(); view! {
                <form novalidate class="bo-inline-form" on:submit=move |ev| { ev.prevent_default(); act(Moderation::Reply { text: reply.get_untracked() }); }>
                    <label for=reply_id.clone()>{tr!(review_reply_label)}</label>
                    <textarea id=reply_id rows="3" prop:value=move || reply.get() on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                    <p class="field-error">{field_error("text")}</p>
                    <button type="submit" disabled=move || busy.get()>{tr!(review_reply_save)}</button>
                </form>
            }})}
            <p role="alert" class="form-error">{move || error.get().filter(|e| e.field.is_none()).map(|e| e.message)}</p>
        </li>
    }
}
