//! The product page's reviews: the stars and how they spread, then the reviews with
//! words, newest or most helpful first, ten at a time.

use super::{api, stars::StarsLine};
use crate::{
    platform::{
        http::ApiError,
        lang::{day, fill},
        pwa::use_pwa,
    },
    tr,
    tr_now,
};
use aisle_domain::review::{Review, ReviewPage, ReviewSort, Stars};
use leptos::{prelude::*, task::spawn_local};

/// `stars` are the product's as the device's copy has them: shown offline, when the
/// reviews themselves cannot be fetched.
#[component]
pub fn ProductReviews(product_id: i64, stars: Option<Stars>) -> impl IntoView {
    let pwa = use_pwa();
    let sort = RwSignal::new(ReviewSort::Newest);
    // Pages after the first, added by "Show more"; cleared when the order changes.
    let more = RwSignal::new(Vec::<Review>::new());
    let next = RwSignal::new(None::<u32>);
    let more_error = RwSignal::new(None::<ApiError>);
    let first = LocalResource::new(move || {
        let sort = sort.get();
        // Read again when the connection comes back.
        let _ = pwa.online.get();
        async move { api::product_reviews(product_id, sort, 1).await }
    });
    let show_more = move |_| {
        let Some(page) = next.get_untracked() else { return };
        let sort = sort.get_untracked();
        spawn_local(async move {
            // `try_`: the shopper may have left the page while the answer was on its way.
            match api::product_reviews(product_id, sort, page).await {
                Ok(p) => {
                    more_error.try_set(None);
                    more.try_update(|m| m.extend(p.reviews));
                    next.try_set((p.page < p.total_pages).then_some(p.page + 1));
                }
                Err(e) => {
                    more_error.try_set(Some(e));
                }
            }
        });
    };
    let on_sort = move |ev: leptos::ev::Event| {
        let chosen = ReviewSort::parse(&event_target_value(&ev)).unwrap_or_default();
        more.set(Vec::new());
        sort.set(chosen);
    };
    view! {
        <section class="reviews" aria-labelledby="reviews-h" data-testid="reviews">
            <h2 id="reviews-h">{tr!(reviews_heading)}</h2>
            <Transition fallback=move || stars.map(|s| view! { <StarsLine stars=s/> })>
                {move || Suspend::new(async move {
                    match first.await {
                        Err(e) if e.status == 0 => view! {
                            {stars.map(|s| view! { <p><StarsLine stars=s/></p> })}
                            <p class="hint" data-testid="reviews-offline">{tr!(reviews_offline)}</p>
                        }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error.message}</p> }.into_any(),
                        Ok(page) => {
                            next.set((page.page < page.total_pages).then_some(page.page + 1));
                            view! { <Summary page=page.clone()/> {list(page.reviews, page.total, sort, on_sort)} }.into_any()
                        }
                    }
                })}
            </Transition>
            <ol class="review-list" data-testid="more-reviews">
                <For each=move || more.get() key=|r| r.id children=|r| view! { <ReviewItem review=r/> }/>
            </ol>
            <p class="form-error" role="alert">{move || more_error.get().map(|e| e.message)}</p>
            {move || next.get().is_some().then(|| view! {
                <button type="button" class="more" on:click=show_more>{tr!(reviews_more)}</button>
            })}
        </section>
    }
}

/// The average, the count and a bar for each number of stars.
#[component]
fn Summary(page: ReviewPage) -> impl IntoView {
    let Some(stars) = page.stars else {
        return view! { <p data-testid="no-reviews">{tr!(reviews_none)}</p> }.into_any();
    };
    let total = stars.count;
    let (based, based_1, star_1, star_n) = (tr!(reviews_based_on), tr!(reviews_based_on_1), tr!(stars_1), tr!(stars_n));
    view! {
        <div class="reviews-summary">
            <p class="reviews-average"><StarsLine stars/></p>
            <p class="hint">{move || if total == 1 { based_1().to_string() } else { fill(based(), &[("count", &total)]) }}</p>
            <ul class="spread" data-testid="spread">
                {(1..=5u8).rev().map(|n| {
                    let count = page.by_stars[usize::from(n - 1)];
                    let label = move || if n == 1 { star_1().to_string() } else { fill(star_n(), &[("n", &n)]) };
                    view! {
                        <li>
                            <span class="spread-label">{label}</span>
                            <progress max=total.max(1) value=count aria-label=move || format!("{}: {count}", label())></progress>
                            <span class="spread-count" aria-hidden="true">{count}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

fn list(reviews: Vec<Review>, total: u32, sort: RwSignal<ReviewSort>, on_sort: impl FnMut(leptos::ev::Event) + 'static) -> impl IntoView {
    (total > 0).then(|| {
        view! {
            <p class="reviews-sort">
                <label for="reviews-sort">{tr!(reviews_sort_label)}</label>" "
                <select id="reviews-sort" on:change=on_sort>
                    <option value="newest" selected=move || sort.get() == ReviewSort::Newest>{tr!(reviews_sort_newest)}</option>
                    <option value="helpful" selected=move || sort.get() == ReviewSort::Helpful>{tr!(reviews_sort_helpful)}</option>
                </select>
            </p>
            <ol class="review-list">
                {reviews.into_iter().map(|review| view! { <ReviewItem review/> }).collect_view()}
            </ol>
        }
    })
}

/// One review: its stars, title and words (shown as typed, never as HTML), who wrote
/// it and when, the shop's reply, and "was this helpful?".
#[component]
fn ReviewItem(review: Review) -> impl IntoView {
    let id = review.id;
    let helpful = RwSignal::new(review.helpful);
    let voted = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let vote = move |_| {
        spawn_local(async move {
            match api::helpful(id).await {
                Ok(n) => {
                    helpful.try_set(n);
                    voted.try_set(true);
                    error.try_set(None);
                }
                Err(e) => {
                    error.try_set(Some(e.message));
                }
            }
        });
    };
    let rating = review.rating;
    let star_n = tr!(stars_n);
    let yes = tr!(reviews_helpful_yes);
    let paragraphs: Vec<String> = review.text.split("\n\n").map(str::to_string).filter(|p| !p.is_empty()).collect();
    view! {
        <li class="review" data-testid="review">
            <article>
                <p class="review-stars" role="img" aria-label=move || fill(star_n(), &[("n", &rating)])>
                    <span aria-hidden="true">{aisle_domain::review::drawn(rating)}</span>
                </p>
                {(!review.title.is_empty()).then(|| view! { <h3 class="review-title">{review.title.clone()}</h3> })}
                <p class="review-meta">
                    {review.author.clone()}" · "{day(&review.at)}
                    {review.verified.then(|| view! { " · "<span class="verified">{tr!(reviews_verified)}</span> })}
                    {review.edited.then(|| view! { " · "<span>{tr!(reviews_edited)}</span> })}
                </p>
                <div class="review-text">{paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}</div>
                {review.reply.clone().map(|r| view! {
                    <div class="review-reply" data-testid="review-reply">
                        <p class="reply-h">{tr!(reviews_reply)}" · "{day(&r.at)}</p>
                        <p>{r.text}</p>
                    </div>
                })}
                <p class="helpful">
                    {tr!(reviews_helpful_q)}" "
                    <button type="button" class="small" disabled=move || voted.get() on:click=vote>{move || fill(yes(), &[("n", &helpful.get())])}</button>
                    <span role="status">{move || voted.get().then(|| tr_now!(reviews_helpful_thanks))}</span>
                    <span class="form-error" role="alert">{move || error.get()}</span>
                </p>
            </article>
        </li>
    }
}
