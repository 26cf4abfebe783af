//! A product photo as a page shows it: the blurred ThumbHash at once (it travels in
//! the offline catalogue, so an offline grid is never blank), the photo over it in
//! the best format the browser reads, at the width the layout needs. The server's
//! first view writes the same markup (`api/src/catalogue/pages/templates/photo.j2`).

use aisle_domain::catalogue::photo::{Photo, PhotoFormat, PAGE_SIZES};
use leptos::prelude::*;

/// The preview of `photo` as a `data:` URL, drawn once per photo and kept: a grid
/// redraws its cards on every keystroke of a search.
fn placeholder(photo: &Photo) -> String {
    thread_local! {
        static DRAWN: std::cell::RefCell<std::collections::HashMap<String, String>> = std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(url) = DRAWN.with(|d| d.borrow().get(&photo.thumbhash).cloned()) {
        return url;
    }
    let url = photo.placeholder().unwrap_or_default();
    DRAWN.with(|d| {
        let mut d = d.borrow_mut();
        if d.len() >= 500 {
            d.clear();
        }
        d.insert(photo.thumbhash.clone(), url.clone());
    });
    url
}

/// `first`: the photo a shopper sees first (the first card, the product page's photo):
/// fetched eagerly and before other images. Every other one waits until it nears the
/// screen.
#[component]
pub fn ProductPhoto(photo: Photo, sizes: &'static str, #[prop(optional)] first: bool) -> impl IntoView {
    let failed = RwSignal::new(false);
    view! {
        <span class="photo">
            <img class="preview" src=placeholder(&photo) alt="" aria-hidden="true"/>
            <picture class:failed=failed>
                <source type=PhotoFormat::Avif.mime() srcset=photo.srcset(PhotoFormat::Avif) sizes=sizes/>
                <source type=PhotoFormat::Webp.mime() srcset=photo.srcset(PhotoFormat::Webp) sizes=sizes/>
                <img
                    src=photo.fallback_src()
                    alt=photo.alt.clone()
                    width=photo.width
                    height=photo.height
                    loading=if first { "eager" } else { "lazy" }
                    fetchpriority=if first { "high" } else { "auto" }
                    decoding="async"
                    // Offline, a photo never viewed is not in the cache: the preview stays
                    // instead of a broken-image sign.
                    on:error=move |_| failed.set(true)
                />
            </picture>
        </span>
    }
}

/// A product page's photos: the chosen one large, the others as small buttons under
/// it (when there are others).
#[component]
pub fn Gallery(
    photos: Vec<Photo>,
    /// The photo to show as the shopper chooses a variant (by its id), when it has one.
    #[prop(optional, into)]
    show: Option<Signal<Option<i64>>>,
) -> impl IntoView {
    let chosen = RwSignal::new(0usize);
    let count = photos.len();
    let big = photos.clone();
    if let Some(show) = show {
        let ids: Vec<i64> = photos.iter().map(|p| p.id).collect();
        Effect::new(move |_| {
            if let Some(i) = show.get().and_then(|id| ids.iter().position(|p| *p == id)) {
                chosen.set(i);
            }
        });
    }
    view! {
        <div class="gallery">
            {move || big.get(chosen.get()).cloned().map(|photo| view! { <ProductPhoto photo sizes=PAGE_SIZES first=true/> })}
            {(count > 1).then(|| view! {
                <div class="thumbs">
                    {photos.into_iter().enumerate().map(|(i, photo)| {
                        let label = photo.alt.clone();
                        view! {
                        <button type="button" class="thumb" aria-pressed=move || (chosen.get() == i).to_string() aria-label=label on:click=move |_| chosen.set(i)>
                            <ProductPhoto photo sizes="80px"/>
                        </button>
                    }}).collect_view()}
                </div>
            })}
        </div>
    }
}
