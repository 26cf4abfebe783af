//! `/staff/categories`: the shop's categories in the order shoppers see them (the
//! header, home). Each can be renamed in place, moved up or down, and deleted once no
//! product is in it; a new one is added at the end.

use super::{api, fields::Text};
use crate::{
    platform::{http::ApiError, lang::fill},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::catalogue::edit::{CategoryForm, StaffCategory};
use leptos::{prelude::*, task::spawn_local};

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
    // Every change answers with the whole list, in order.
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
    let moved = move |id: i64, by: isize| {
        let Some(Ok(l)) = list.get_untracked() else { return };
        let mut ids: Vec<i64> = l.iter().map(|c| c.id).collect();
        let Some(at) = ids.iter().position(|x| *x == id) else { return };
        let to = at as isize + by;
        if to < 0 || to as usize >= ids.len() {
            return;
        }
        ids.swap(at, to as usize);
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
    view! {
        <h1>{tr!(categories_title)}</h1>
        <p class="hint">{tr!(categories_hint)}</p>
        {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(l)) => {
                let last = l.len().saturating_sub(1);
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
                                {l.into_iter().enumerate().map(|(i, c)| {
                                    let id = c.id;
                                    let name = c.name.clone();
                                    let empty = c.products == 0;
                                    let slug = c.slug.clone();
                                    view! {
                                        <tr data-category=slug>
                                            {move || if editing.get() == Some(id) {
                                                let c = c.clone();
                                                view! { <td colspan="4"><CategoryEditor start=c.form() error on_save=Callback::new(move |f: CategoryForm| spawn_local(async move { apply(api::update_category(id, &f).await) })) on_cancel=Callback::new(move |()| editing.set(None))/></td> }.into_any()
                                            } else {
                                                let (up, down) = (fill(tr_now!(categories_up), &[("name", &name)]), fill(tr_now!(categories_down), &[("name", &name)]));
                                                view! {
                                                    <td>{c.name.clone()}</td>
                                                    <td>{format!("/c/{}", c.slug)}</td>
                                                    <td class="num">{c.products}</td>
                                                    <td class="bo-row-actions">
                                                        <button type="button" aria-label=up disabled={i == 0} on:click=move |_| moved(id, -1)>"↑"</button>
                                                        <button type="button" aria-label=down disabled={i == last} on:click=move |_| moved(id, 1)>"↓"</button>
                                                        <button type="button" on:click=move |_| { error.set(None); editing.set(Some(id)) }>{tr!(categories_edit)}</button>
                                                        <button type="button" class="danger" disabled=!empty title=(!empty).then(|| tr_now!(categories_not_empty)) on:click=move |_| delete(id)>{tr!(categories_delete)}</button>
                                                    </td>
                                                }.into_any()
                                            }}
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
                <CategoryEditor start=CategoryForm::default() error on_save=Callback::new(move |f: CategoryForm| spawn_local(async move { apply(api::create_category(&f).await) }))/>
            })}
        </section>
    }
}

/// A category's fields, checked before sending.
#[component]
fn CategoryEditor(
    start: CategoryForm,
    error: RwSignal<Option<ApiError>>,
    on_save: Callback<CategoryForm>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let form = RwSignal::new(start);
    let prefix = if on_cancel.is_some() { "edit-category" } else { "new-category" };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = form.get_untracked();
        match f.parse() {
            Err(problems) => error.set(ApiError::fields(problems.into_iter().map(|p| (p.field.to_string(), p.message)).collect())),
            Ok(_) => on_save.run(f),
        }
    };
    view! {
        <form class="bo-category-form" novalidate on:submit=submit>
            <Text form error prefix field="name" label=tr_now!(catalogue_name).to_string() get=|f: &CategoryForm| f.name.clone() set=|f: &mut CategoryForm, v| f.name = v/>
            <Text form error prefix field="slug" label=tr_now!(catalogue_slug).to_string() get=|f: &CategoryForm| f.slug.clone() set=|f: &mut CategoryForm, v| f.slug = v/>
            <Text form error prefix field="description" label=tr_now!(catalogue_description).to_string() get=|f: &CategoryForm| f.description.clone() set=|f: &mut CategoryForm, v| f.description = v/>
            <div class="bo-actions">
                <button type="submit" class="primary">{if on_cancel.is_some() { tr_now!(catalogue_save) } else { tr_now!(categories_add) }}</button>
                {on_cancel.map(|c| view! { <button type="button" on:click=move |_| c.run(())>{tr!(categories_cancel)}</button> })}
            </div>
        </form>
    }
}
