//! A product's photos in its edit page: the photos it has (reorder, describe, remove:
//! each change saved at once) and new ones dropped or chosen, each described before it
//! is uploaded, with its progress shown. Files are checked here first (type, size) so
//! a wrong one is named before anything is sent; the server checks them all again.

use super::api;
use crate::{platform::{http::ApiError, lang::fill}, tr, tr_now};
use aisle_domain::catalogue::{
    edit::StaffProduct,
    photo::{Photo, PhotoArrangement, PhotoFormat, PhotoPlace, MAX_UPLOAD_BYTES},
};
use leptos::{prelude::*, task::spawn_local, wasm_bindgen::JsCast};

/// A file waiting to be uploaded.
#[derive(Clone)]
struct Pending {
    id: usize,
    file: leptos::web_sys::File,
    preview: String,
    alt: RwSignal<String>,
    /// 0.0 to 1.0 while uploading.
    progress: RwSignal<Option<f64>>,
    error: RwSignal<Option<String>>,
}

/// Why a chosen file will not be sent, said before anything is: the server takes JPEG,
/// PNG and WebP up to 20 MB (and checks again, from the bytes).
pub fn file_problem(file: &leptos::web_sys::File) -> Option<String> {
    if !matches!(file.type_().as_str(), "image/jpeg" | "image/png" | "image/webp") {
        Some(fill(tr_now!(catalogue_photo_wrong_type), &[("name", &file.name())]))
    } else if file.size() > MAX_UPLOAD_BYTES as f64 {
        Some(fill(tr_now!(catalogue_photo_too_big), &[("name", &file.name())]))
    } else {
        None
    }
}

/// `on_saved` is told after each saved change (the form's history shows it).
#[component]
pub fn PhotosPanel(product: i64, photos: Vec<Photo>, on_saved: Callback<()>) -> impl IntoView {
    let photos = RwSignal::new(photos);
    let pending = RwSignal::new(Vec::<Pending>::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let next_id = StoredValue::new(0usize);
    let dragging = RwSignal::new(false);

    let add_files = move |files: leptos::web_sys::FileList| {
        let mut added = Vec::new();
        for i in 0..files.length() {
            let Some(file) = files.get(i) else { continue };
            let problem = file_problem(&file);
            let id = next_id.get_value();
            next_id.set_value(id + 1);
            let preview = leptos::web_sys::Url::create_object_url_with_blob(&file).unwrap_or_default();
            added.push(Pending { id, file, preview, alt: RwSignal::new(String::new()), progress: RwSignal::new(None), error: RwSignal::new(problem) });
        }
        pending.update(|p| p.extend(added));
    };

    // One change to the photos the product has, saved at once.
    let arrange = move |next: Vec<Photo>| {
        let arrangement = PhotoArrangement { photos: next.iter().map(|p| PhotoPlace { id: p.id, alt: p.alt.clone() }).collect() };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::arrange_photos(product, &arrangement).await {
                Ok(saved) => {
                    let _ = photos.try_set(saved.photos);
                    on_saved.run(());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let moved = move |i: usize, to: usize| {
        let mut next = photos.get_untracked();
        if to < next.len() {
            next.swap(i, to);
            arrange(next);
        }
    };

    let upload = move |_| {
        let waiting = pending.get_untracked();
        let mut ready = true;
        for p in &waiting {
            if p.alt.get_untracked().trim().is_empty() {
                p.error.set(Some(tr_now!(catalogue_photo_alt_missing).to_string()));
                ready = false;
            }
        }
        if !ready || waiting.iter().any(|p| p.error.get_untracked().is_some()) {
            super::fields::focus_first_invalid(".bo-photos");
            return;
        }
        busy.set(true);
        spawn_local(async move {
            // One at a time: the server encodes two at once at most anyway, and a
            // failed one leaves the others' outcome clear.
            for p in waiting {
                p.progress.set(Some(0.0));
                let progress = p.progress;
                let answer: Result<StaffProduct, ApiError> = api::upload_photo(product, &p.alt.get_untracked(), &p.file, move |f| {
                    let _ = progress.try_set(Some(f));
                })
                .await;
                match answer {
                    Ok(saved) => {
                        let _ = photos.try_set(saved.photos);
                        on_saved.run(());
                        let _ = leptos::web_sys::Url::revoke_object_url(&p.preview);
                        let _ = pending.try_update(|list| list.retain(|q| q.id != p.id));
                    }
                    Err(e) => {
                        let _ = p.progress.try_set(None);
                        let _ = p.error.try_set(Some(e.message));
                    }
                }
            }
            let _ = busy.try_set(false);
        });
    };

    view! {
        <section class="panel bo-photos" aria-labelledby="photos-h" data-testid="photos">
            <h2 id="photos-h">{tr!(catalogue_photos)}</h2>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || {
                let list = photos.get();
                if list.is_empty() {
                    return view! { <p class="hint">{tr!(catalogue_photos_none)}</p> }.into_any();
                }
                let count = list.len();
                view! {
                    <ol class="bo-photo-list">
                        {list.into_iter().enumerate().map(|(i, photo)| {
                            let alt_id = format!("photo-alt-{}", photo.id);
                            let saved_alt = photo.alt.clone();
                            let photo_id = photo.id;
                            view! {
                                <li>
                                    <img src=photo.url(photo.widths().first().copied().unwrap_or(photo.width), PhotoFormat::Webp) alt="" width="160" height="120"/>
                                    <div class="field">
                                        <label for=alt_id.clone()>{tr!(catalogue_photo_alt)}</label>
                                        <input id=alt_id type="text" maxlength="250" value=saved_alt.clone()
                                            on:change=move |ev| {
                                                let alt = event_target_value(&ev);
                                                let next = photos.get_untracked().into_iter().map(|p| if p.id == photo_id { Photo { alt: alt.clone(), ..p } } else { p }).collect();
                                                arrange(next);
                                            }/>
                                    </div>
                                    <div class="bo-photo-actions">
                                        <button type="button" disabled=move || busy.get() || i == 0 on:click=move |_| moved(i, i.wrapping_sub(1))>{tr!(catalogue_photo_earlier)}</button>
                                        <button type="button" disabled=move || busy.get() || i + 1 == count on:click=move |_| moved(i, i + 1)>{tr!(catalogue_photo_later)}</button>
                                        <button type="button" class="danger" disabled=move || busy.get()
                                            on:click=move |_| arrange(photos.get_untracked().into_iter().filter(|p| p.id != photo_id).collect())>{tr!(catalogue_photo_remove)}</button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <label class="bo-drop" class:dragging=dragging
                on:dragover=move |ev| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev: leptos::web_sys::DragEvent| {
                    ev.prevent_default();
                    dragging.set(false);
                    if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
                        add_files(files);
                    }
                }>
                <span>{tr!(catalogue_photos_hint)}</span>
                <span class="button">{tr!(catalogue_photos_choose)}</span>
                <input type="file" class="visually-hidden" accept="image/jpeg,image/png,image/webp" multiple data-testid="photo-files"
                    on:change=move |ev| {
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok()) {
                            if let Some(files) = input.files() {
                                add_files(files);
                            }
                            input.set_value("");
                        }
                    }/>
            </label>
            {move || {
                let waiting = pending.get();
                (!waiting.is_empty()).then(|| view! {
                    <ul class="bo-photo-list pending">
                        {waiting.into_iter().map(|p| {
                            let alt_id = format!("new-photo-alt-{}", p.id);
                            let err_id = format!("new-photo-error-{}", p.id);
                            let (alt, error, progress, id, preview) = (p.alt, p.error, p.progress, p.id, p.preview.clone());
                            view! {
                                <li>
                                    <img src=preview alt="" width="160" height="120"/>
                                    <div class="field">
                                        <label for=alt_id.clone()>{fill(tr_now!(catalogue_photo_alt_of), &[("name", &p.file.name())])}</label>
                                        <input id=alt_id type="text" maxlength="250" aria-describedby=err_id.clone()
                                            aria-invalid=move || error.with(Option::is_some).to_string()
                                            prop:value=move || alt.get()
                                            on:input=move |ev| { alt.set(event_target_value(&ev)); error.set(None); }/>
                                        <p class="field-error" id=err_id role="alert">{move || error.get()}</p>
                                        {move || progress.get().map(|f| view! { <progress max="1" value=f>{format!("{:.0} %", f * 100.0)}</progress> })}
                                    </div>
                                    <div class="bo-photo-actions">
                                        <button type="button" disabled=move || busy.get()
                                            on:click=move |_| pending.update(|list| list.retain(|q| q.id != id))>{tr!(catalogue_photo_remove)}</button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <button type="button" class="primary" disabled=move || busy.get() on:click=upload data-testid="photo-upload">{tr!(catalogue_photos_upload)}</button>
                })
            }}
        </section>
    }
}
