//! A product's stars as one line: drawn, the average and the count, read out whole.

use crate::{platform::lang::fill, tr};
use aisle_domain::review::Stars;
use leptos::prelude::*;

/// "★★★★☆ 4.5 (12)", read by a screen reader as "Rated 4.5 of 5 by 12 shoppers".
#[component]
pub fn StarsLine(stars: Stars) -> impl IntoView {
    let drawn = stars.drawn();
    let (avg, count) = (stars.one_decimal(), stars.count);
    // "by 1 shopper", "by 12 shoppers".
    let (label, label_1) = (tr!(stars_label), tr!(stars_label_1));
    let avg_label = avg.clone();
    view! {
        <span class="stars-line" role="img" data-testid="stars" aria-label=move || fill(if count == 1 { label_1() } else { label() }, &[("avg", &avg_label), ("count", &count)])>
            <span class="stars-drawn" aria-hidden="true">{drawn}</span>
            " "<span class="stars-avg" aria-hidden="true">{avg}</span>
            " "<span class="stars-count" aria-hidden="true">"("{count}")"</span>
        </span>
    }
}
