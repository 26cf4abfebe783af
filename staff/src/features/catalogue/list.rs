//! `/staff/products`: every product, whatever its status. Searched by name, SKU or
//! barcode as staff type, narrowed by category, status and stock, sorted, 50 to a
//! page. Each row opens the product's form.

use super::{api::{self, ListQuery}, import::ImportExport};
use crate::{
    platform::{http::ApiError, lang::{day, fill, money}},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::catalogue::edit::{ProductStatus, StaffProductList};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;

#[component]
pub fn ProductsView() -> impl IntoView {
    set_title(tr_now!(catalogue_title));
    let query = RwSignal::new(ListQuery { page: 1, ..ListQuery::default() });
    let list = RwSignal::new(None::<Result<StaffProductList, ApiError>>);
    let categories = LocalResource::new(api::categories);
    // Answers can overtake each other while someone types: only the newest counts.
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        let q = query.get();
        let Some(n) = asked.try_get_value().map(|n| n + 1) else { return };
        asked.set_value(n);
        spawn_local(async move {
            let answer = api::products(&q).await;
            if asked.try_get_value() == Some(n) {
                list.set(Some(answer));
            }
        });
    });
    // Any filter change starts again at page 1.
    let set = move |f: fn(&mut ListQuery, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            query.update(|q| {
                f(q, v);
                q.page = 1;
            });
        }
    };
    view! {
        <div class="bo-head">
            <h1>{tr!(catalogue_title)}</h1>
            <A href="/staff/products/new" attr:class="button primary">{tr!(catalogue_new)}</A>
        </div>
        <form class="toolbar" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="products-q">{tr!(catalogue_search)}</label>
                <input id="products-q" type="search" autocomplete="off" data-shortcut-search on:input=set(|q, v| q.text = v)/>
            </div>
            <div class="field">
                <label for="products-category">{tr!(catalogue_category)}</label>
                <select id="products-category" on:change=set(|q, v| q.category = v)>
                    <option value="">{tr!(catalogue_all)}</option>
                    {move || categories.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="products-status">{tr!(catalogue_status)}</label>
                <select id="products-status" on:change=set(|q, v| q.status = v)>
                    <option value="">{tr!(catalogue_all)}</option>
                    {ProductStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{status_words(s)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="products-stock">{tr!(catalogue_stock)}</label>
                <select id="products-stock" on:change=set(|q, v| q.stock = v)>
                    <option value="">{tr!(catalogue_all)}</option>
                    <option value="in">{tr!(catalogue_stock_in)}</option>
                    <option value="low">{tr!(catalogue_stock_low)}</option>
                    <option value="out">{tr!(catalogue_stock_out)}</option>
                </select>
            </div>
            <div class="field">
                <label for="products-sort">{tr!(catalogue_sort)}</label>
                <select id="products-sort" on:change=set(|q, v| q.sort = v)>
                    <option value="name">{tr!(catalogue_sort_name)}</option>
                    <option value="price">{tr!(catalogue_sort_price_up)}</option>
                    <option value="-price">{tr!(catalogue_sort_price_down)}</option>
                    <option value="stock">{tr!(catalogue_sort_stock)}</option>
                    <option value="-updated">{tr!(catalogue_sort_updated)}</option>
                </select>
            </div>
        </form>
        <ImportExport on_imported=Callback::new(move |()| query.update(|q| q.page = 1))/>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(l)) => view! { <Table l query/> }.into_any(),
        }}
    }
}

/// A status in words, for the list and the form.
pub fn status_words(s: ProductStatus) -> String {
    match s {
        ProductStatus::Draft => tr_now!(catalogue_draft),
        ProductStatus::Published => tr_now!(catalogue_published),
        ProductStatus::Archived => tr_now!(catalogue_archived),
    }
    .to_string()
}

#[component]
fn Table(l: StaffProductList, query: RwSignal<ListQuery>) -> impl IntoView {
    if l.items.is_empty() {
        return view! { <p class="bo-empty" data-testid="products-none">{tr!(catalogue_none)}</p> }.into_any();
    }
    let (page, pages) = (l.page, l.total_pages);
    let count = fill(tr_now!(catalogue_count), &[("n", &l.total)]);
    view! {
        <p class="bo-count" role="status">{count}</p>
        <div class="table-wrap">
            <table class="bo-table" data-testid="products">
                <thead><tr>
                    <th scope="col">{tr!(catalogue_name)}</th>
                    <th scope="col">{tr!(catalogue_sku)}</th>
                    <th scope="col" class="num">{tr!(catalogue_price)}</th>
                    <th scope="col" class="num">{tr!(catalogue_stock)}</th>
                    <th scope="col">{tr!(catalogue_status)}</th>
                    <th scope="col">{tr!(catalogue_category)}</th>
                    <th scope="col">{tr!(catalogue_updated)}</th>
                </tr></thead>
                <tbody>
                    {l.items.into_iter().map(|p| view! {
                        <tr data-product=p.id.to_string()>
                            <td>
                                <A href=format!("/staff/products/{}", p.id)>{p.name}</A>
                                {(!p.missing.is_empty()).then(|| {
                                    let languages = p.missing.iter().map(|l| l.code().to_uppercase()).collect::<Vec<_>>().join(", ");
                                    view! { " "<span class="bo-badge draft" data-testid="missing-translation">{crate::platform::lang::fill(tr_now!(catalogue_missing_languages), &[("languages", &languages)])}</span> }
                                })}
                            </td>
                            <td>{p.sku.unwrap_or_default()}</td>
                            <td class="num">{money(p.price)}</td>
                            <td class="num">{p.stock}</td>
                            <td><span class=format!("bo-badge {}", p.status.as_str())>{status_words(p.status)}</span></td>
                            <td>{p.category_name}</td>
                            <td>{day(&p.updated_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="bo-pager" aria-label=tr!(catalogue_pages)>
            <button type="button" disabled={page <= 1} on:click=move |_| query.update(|q| q.page = page - 1)>{tr!(catalogue_previous)}</button>
            <span>{fill(tr_now!(catalogue_page_of), &[("page", &page), ("pages", &pages)])}</span>
            <button type="button" disabled={page >= pages} on:click=move |_| query.update(|q| q.page = page + 1)>{tr!(catalogue_next)}</button>
        </nav>
    }
    .into_any()
}
