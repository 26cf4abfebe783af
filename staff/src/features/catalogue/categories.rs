//! `/staff/categories`: the shop's categories as a tree, in the order shoppers see them
//! (the header and home show the top level; a category's page, what is inside it).
//! Each can be renamed, translated, given a photo, moved inside another or up and down
//! among its siblings, and deleted once nothing is in it; a new one is added at the end.

use super::{api, fields::{FieldError, Text}, photos, translations::language_name};
use crate::{
    platform::{http::ApiError, lang::fill},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::{
    catalogue::{
        edit::{CategoryForm, CategoryText, StaffCategory},
        translation::translatable,
        tree,
    },
    Lang,
};
use leptos::{prelude::*, task::spawn_local, wasm_bindgen::JsCast};

#[component]
pub fn CategoriesView() -> impl IntoView {
    set_title(tr_now!(categories_title));
    let list = RwSignal::new(None::<Result<Vec<StaffCategory>, ApiError>>);
    let error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(None::<i64>);
    spawn_local(async move {
        let l = api::staff_categories().await;
        let _ = list.try_set(Some(l));
    });
    // Every change answers with the whole list, depth first.
    let apply = move |answer: Result<Vec<StaffCategory>, ApiError>| match answer {
        Ok(l) => {
            let _ = list.try_set(Some(Ok(l)));
            let _ = error.try_set(None);
            let _ = editing.try_set(None);
        }
        Err(e) => {
            let _ = error.try_set(Some(e));
        }
    };
    // Up or down among its siblings: the two swap places in the shop's order.
    let moved = move |id: i64, by: isize| {
        let Some(Ok(l)) = list.get_untracked() else { return };
        let Some(me) = l.iter().find(|c| c.id == id) else { return };
        let siblings: Vec<i64> = l.iter().filter(|c| c.parent_id == me.parent_id).map(|c| c.id).collect();
        let Some(at) = siblings.iter().position(|x| *x == id) else { return };
        let Some(other) = at.checked_add_signed(by).and_then(|to| siblings.get(to)).copied() else { return };
        let mut ids: Vec<i64> = l.iter().map(|c| c.id).collect();
        let (a, b) = (ids.iter().position(|x| *x == id), ids.iter().position(|x| *x == other));
        if let (Some(a), Some(b)) = (a, b) {
            ids.swap(a, b);
        }
        spawn_local(async move { apply(api::order_categories(ids).await) });
    };
    let delete = move |id: i64| {
        spawn_local(async move {
            match api::delete_category(id).await {
                Ok(()) => apply(api::staff_categories().await),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let all = Signal::derive(move || list.with(|l| l.as_ref().and_then(|l| l.as_ref().ok().cloned()).unwrap_or_default()));
    // Opens a category's form and takes the shopper there, focus on its name.
    let open = move |id: i64| {
        error.set(None);
        editing.set(Some(id));
        request_animation_frame(|| {
            if let Some(field) = document().get_element_by_id("edit-category-name").and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
                field.scroll_into_view();
                let _ = field.focus();
            }
        });
    };
    view! {
        <h1>{tr!(categories_title)}</h1>
        <p class="hint">{tr!(categories_hint)}</p>
        {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
        // The category being edited, in a panel of its own above the list rather than
        // inside its row: on a phone the list scrolls sideways, a form in it would too.
        {move || editing.get().and_then(|id| all.get().into_iter().find(|c| c.id == id)).map(|c| {
            let id = c.id;
            view! {
                <section class="panel" id="edit-category" aria-labelledby="edit-category-h">
                    <h2 id="edit-category-h">{fill(tr_now!(categories_editing), &[("name", &c.name)])}</h2>
                    <CategoryEditor start=c.form() editing=Some(id) all error on_save=Callback::new(move |f: CategoryForm| spawn_local(async move { apply(api::update_category(id, &f).await) })) on_cancel=Callback::new(move |()| editing.set(None))/>
                    <CategoryPhoto category=c.clone() on_change=Callback::new(apply)/>
                </section>
            }
        })}
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(l)) => {
                let rows = l.clone();
                view! {
                    <div class="table-wrap">
                        <table class="bo-table" data-testid="categories">
                            <thead><tr>
                                <th scope="col">{tr!(catalogue_name)}</th>
                                <th scope="col">{tr!(catalogue_slug)}</th>
                                <th scope="col" class="num">{tr!(categories_products)}</th>
                                <th scope="col"><span class="visually-hidden">{tr!(categories_actions)}</span></th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|c| {
                                    let id = c.id;
                                    let name = c.name.clone();
                                    let holds_categories = l.iter().any(|x| x.parent_id == Some(id));
                                    let empty = c.products == 0 && !holds_categories;
                                    let siblings: Vec<i64> = l.iter().filter(|x| x.parent_id == c.parent_id).map(|x| x.id).collect();
                                    let (first, last) = (siblings.first() == Some(&id), siblings.last() == Some(&id));
                                    let (slug, depth) = (c.slug.clone(), c.depth);
                                    let why_not = if holds_categories { tr_now!(categories_has_children) } else { tr_now!(categories_not_empty) };
                                    let (up, down) = (fill(tr_now!(categories_up), &[("name", &name)]), fill(tr_now!(categories_down), &[("name", &name)]));
                                    let missing = c.missing();
                                    view! {
                                        <tr data-category=slug data-depth=depth>
                                            <td class="bo-tree" data-depth=c.depth>
                                                {(c.depth > 0).then(|| view! { <span aria-hidden="true">"↳ "</span> })}
                                                {c.name.clone()}
                                                {(!missing.is_empty()).then(|| view! {
                                                    " "<span class="bo-badge draft">{fill(tr_now!(catalogue_missing_languages), &[("languages", &missing.iter().map(|l| l.code().to_uppercase()).collect::<Vec<_>>().join(", "))])}</span>
                                                })}
                                            </td>
                                            <td>{format!("/c/{}", c.slug)}</td>
                                            <td class="num">{c.products}</td>
                                            <td class="bo-row-actions">
                                                <button type="button" aria-label=up disabled=first on:click=move |_| moved(id, -1)>"↑"</button>
                                                <button type="button" aria-label=down disabled=last on:click=move |_| moved(id, 1)>"↓"</button>
                                                <button type="button" aria-expanded=move || (editing.get() == Some(id)).to_string() aria-controls="edit-category" on:click=move |_| open(id)>{tr!(categories_edit)}</button>
                                                <button type="button" class="danger" disabled=!empty title=(!empty).then_some(why_not) on:click=move |_| delete(id)>{tr!(categories_delete)}</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
        }}
        <section class="panel" aria-labelledby="new-category-h">
            <h2 id="new-category-h">{tr!(categories_new)}</h2>
            {move || (editing.get().is_none()).then(|| view! {
                <CategoryEditor start=CategoryForm::default() editing=None all error on_save=Callback::new(move |f: CategoryForm| spawn_local(async move { apply(api::create_category(&f).await) }))/>
            })}
        </section>
    }
}

/// Ids and field names of a language's fields.
fn text_fields(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("name_en", "description_en"),
        Lang::De => ("name_de", "description_de"),
    }
}

/// A category's fields, checked before sending: its names, its place in the tree, and
/// its name in each of the shop's other languages.
#[component]
fn CategoryEditor(
    start: CategoryForm,
    /// The category being edited; None for a new one.
    editing: Option<i64>,
    all: Signal<Vec<StaffCategory>>,
    error: RwSignal<Option<ApiError>>,
    on_save: Callback<CategoryForm>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let form = RwSignal::new(start);
    let prefix = if editing.is_some() { "edit-category" } else { "new-category" };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = form.get_untracked();
        match f.parse() {
            Err(problems) => {
                error.set(ApiError::fields(problems.into_iter().map(|p| (p.field.to_string(), p.message)).collect()));
                super::fields::focus_first_invalid(".bo-category-form");
            }
            Ok(_) => on_save.run(f),
        }
    };
    // A category cannot go inside itself or anything under it.
    let parents = move || {
        let l = all.get();
        let own = editing.map(|id| tree::descendants(&l, id)).unwrap_or_default();
        l.into_iter().filter(|c| !own.contains(&c.id)).collect::<Vec<_>>()
    };
    let parent_id = format!("{prefix}-parent_id");
    view! {
        <form class="bo-form bo-category-form" novalidate on:submit=submit>
            <Text form error prefix field="name" label=tr_now!(catalogue_name).to_string() get=|f: &CategoryForm| f.name.clone() set=|f: &mut CategoryForm, v| f.name = v/>
            <Text form error prefix field="slug" label=tr_now!(catalogue_slug).to_string() get=|f: &CategoryForm| f.slug.clone() set=|f: &mut CategoryForm, v| f.slug = v/>
            <Text form error prefix field="description" label=tr_now!(catalogue_description).to_string() get=|f: &CategoryForm| f.description.clone() set=|f: &mut CategoryForm, v| f.description = v/>
            <div class="field">
                <label for=parent_id.clone()>{tr!(categories_parent)}</label>
                <select id=parent_id aria-describedby=format!("{prefix}-parent_id-error")
                    on:change=move |ev| form.update(|f| f.parent_id = event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || form.with(|f| f.parent_id.is_none())>{tr!(categories_top_level)}</option>
                    {move || parents().into_iter().map(|c| {
                        let selected = move || form.with(|f| f.parent_id == Some(c.id));
                        view! { <option value=c.id.to_string() selected=selected>{format!("{}{}", "— ".repeat(c.depth as usize), c.name)}</option> }
                    }).collect_view()}
                </select>
                <FieldError error prefix field="parent_id"/>
            </div>
            {translatable().map(|lang| {
                let (name_field, description_field) = text_fields(lang);
                let (name_id, description_id) = (format!("{prefix}-{name_field}"), format!("{prefix}-{description_field}"));
                let text = move |f: &CategoryForm| f.translations.iter().find(|t| t.lang == lang).cloned().unwrap_or(CategoryText { lang, name: String::new(), description: String::new() });
                let edit = move |change: &dyn Fn(&mut CategoryText)| form.update(|f| {
                    if !f.translations.iter().any(|t| t.lang == lang) {
                        f.translations.push(CategoryText { lang, name: String::new(), description: String::new() });
                    }
                    if let Some(t) = f.translations.iter_mut().find(|t| t.lang == lang) {
                        change(t);
                    }
                });
                let invalid = move |field: &'static str| move || error.with(|e| e.as_ref().and_then(|e| e.message_for(field)).is_some()).to_string();
                // Each label names its language: the category's own fields above have the same
                // names. The labels are in the back office's language, the fields in theirs.
                view! {
                    <div class="field">
                        <label for=name_id.clone()>{format!("{} ({})", tr_now!(catalogue_name), language_name(lang))}</label>
                        <input id=name_id type="text" lang=lang.code() autocomplete="off" aria-describedby=format!("{prefix}-{name_field}-error") aria-invalid=invalid(name_field)
                            prop:value=move || form.with(|f| text(f).name)
                            on:input=move |ev| { let v = event_target_value(&ev); edit(&move |t| t.name = v.clone()) }/>
                        <FieldError error prefix field=name_field/>
                    </div>
                    <div class="field">
                        <label for=description_id.clone()>{format!("{} ({})", tr_now!(catalogue_description), language_name(lang))}</label>
                        <input id=description_id type="text" lang=lang.code() autocomplete="off" aria-describedby=format!("{prefix}-{description_field}-error") aria-invalid=invalid(description_field)
                            prop:value=move || form.with(|f| text(f).description)
                            on:input=move |ev| { let v = event_target_value(&ev); edit(&move |t| t.description = v.clone()) }/>
                        <FieldError error prefix field=description_field/>
                    </div>
                }
            }).collect_view()}
            <div class="bo-actions wide">
                <button type="submit" class="primary">{if on_cancel.is_some() { tr_now!(catalogue_save) } else { tr_now!(categories_add) }}</button>
                {on_cancel.map(|c| view! { <button type="button" on:click=move |_| c.run(())>{tr!(categories_cancel)}</button> })}
            </div>
        </form>
    }
}

/// A category's photo: the one it has, and a file with its alt text to replace it.
#[component]
fn CategoryPhoto(category: StaffCategory, on_change: Callback<Result<Vec<StaffCategory>, ApiError>>) -> impl IntoView {
    let id = category.id;
    let file = RwSignal::new_local(None::<leptos::web_sys::File>);
    let alt = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<f64>);
    let chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok()) else { return };
        let Some(f) = input.files().and_then(|l| l.get(0)) else { return };
        let wrong = photos::file_problem(&f);
        problem.set(wrong.clone());
        file.set(wrong.is_none().then_some(f));
    };
    let upload = move |_| {
        let Some(f) = file.get_untracked() else {
            problem.set(Some(tr_now!(categories_photo_choose_first).to_string()));
            return;
        };
        let text = alt.get_untracked();
        if text.trim().is_empty() {
            problem.set(Some(tr_now!(catalogue_photo_alt_missing).to_string()));
            return;
        }
        problem.set(None);
        progress.set(Some(0.0));
        spawn_local(async move {
            let answer = api::category_photo(id, &text, &f, move |p| {
                let _ = progress.try_set(Some(p));
            })
            .await;
            let _ = progress.try_set(None);
            match answer {
                Ok(l) => on_change.run(Ok(l)),
                Err(e) => {
                    let _ = problem.try_set(Some(e.message));
                }
            }
        });
    };
    let remove = move |_| spawn_local(async move { on_change.run(api::remove_category_photo(id).await) });
    view! {
        <section class="bo-category-photo" aria-labelledby="category-photo-h" data-testid="category-photo">
            <h3 id="category-photo-h">{tr!(categories_photo)}</h3>
            {match category.photo.clone() {
                Some(ph) => view! {
                    <figure>
                        <img src=ph.fallback_src() alt=ph.alt.clone() width="160" height=(160 * ph.height / ph.width.max(1)).to_string()/>
                        <figcaption>{ph.alt.clone()}</figcaption>
                    </figure>
                    <button type="button" class="danger" on:click=remove>{tr!(categories_photo_remove)}</button>
                }.into_any(),
                None => view! { <p class="hint">{tr!(categories_photo_none)}</p> }.into_any(),
            }}
            <div class="field">
                <label for=format!("category-{id}-photo")>{tr!(categories_photo_file)}</label>
                <input id=format!("category-{id}-photo") type="file" accept="image/jpeg,image/png,image/webp" on:change=chosen/>
            </div>
            <div class="field">
                <label for=format!("category-{id}-alt")>{tr!(catalogue_photo_alt)}</label>
                <input id=format!("category-{id}-alt") type="text" autocomplete="off" prop:value=move || alt.get() on:input=move |ev| alt.set(event_target_value(&ev))/>
            </div>
            {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
            {move || progress.get().map(|p| view! { <progress max="1" value=p.to_string()></progress> })}
            <button type="button" on:click=upload disabled=move || progress.get().is_some()>{tr!(categories_photo_upload)}</button>
        </section>
    }
}
