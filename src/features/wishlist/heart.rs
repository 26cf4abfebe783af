//! The heart that keeps a product on the wish list: a toggle button (`aria-pressed`),
//! on every card and, with words, on the product page.

use super::state::{glyph, remember, use_wishes, Wishes};
use crate::{platform::lang::fill, tr, tr_now};
use aisle_domain::ProductSummary;
use leptos::prelude::*;

/// On a card: the heart alone, named for the product ("Keep Kettle on the wish list",
/// pressed or not), beside the card's link rather than inside it (a button in a link
/// is not allowed, and a screen reader would read it as part of the link).
///
/// Drawn as plain markup, with no effect or listener of its own, since a page draws
/// many (a grid, search results on every keystroke): one listener on the document
/// takes every heart's click, and one effect keeps every heart on the page in step
/// with the list ([`Wishes::start`]).
#[component]
pub fn WishHeart(product: ProductSummary) -> impl IntoView {
    // A card drawn outside the shop's frame (a test mounting one card) has no list.
    let Some(wishes) = use_context::<Wishes>() else { return ().into_any() };
    let kept = wishes.list.with_untracked(|l| l.contains(product.id));
    let label = fill(&tr_now!(wish_heart_label), &[("name", &product.name)]);
    let id = product.id;
    remember(product);
    view! {
        <button type="button" class="wish-heart" data-testid="wish-heart" data-wish=id aria-pressed=if kept { "true" } else { "false" } aria-label=label>
            <span aria-hidden="true">{glyph(kept)}</span>
        </button>
    }
    .into_any()
}

/// On the product page: the heart with its words, and why a keep was refused.
#[component]
pub fn WishButton(product: ProductSummary) -> impl IntoView {
    let wishes = use_wishes();
    let id = product.id;
    let product = StoredValue::new(product);
    let kept = move || wishes.contains(id);
    let (add, on) = (tr!(wish_add), tr!(wish_kept));
    view! {
        <p class="wish">
            <button
                type="button"
                class="wish-button"
                data-testid="wish-button"
                aria-pressed=move || kept().to_string()
                on:click=move |_| product.with_value(|p| wishes.toggle(p))
            >
                <span aria-hidden="true" class="heart">{move || glyph(kept())}</span>" "
                {move || if kept() { on() } else { add() }}
            </button>
            <span class="form-error" role="alert">{move || wishes.error.get()}</span>
        </p>
    }
}
