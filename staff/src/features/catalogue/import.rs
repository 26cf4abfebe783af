//! Import and export on the product list: the catalogue as a CSV in Shopify's columns
//! (a link), and a file read in two steps — what it would change, every bad row with
//! its line, then, on a click, all of it or nothing.

use super::api;
use crate::{
    platform::{http::ApiError, lang::fill},
    tr,
    tr_now,
};
use aisle_domain::catalogue::import::ImportReport;
use leptos::{prelude::*, task::spawn_local, wasm_bindgen::JsCast};

/// The most a file may be; the API refuses more.
const MAX_FILE_BYTES: f64 = 20.0 * 1024.0 * 1024.0;

#[component]
pub fn ImportExport(
    /// Called after an import was applied, to read the list again.
    on_imported: Callback<()>,
) -> impl IntoView {
    let text = StoredValue::new(None::<String>);
    let report = RwSignal::new(None::<Result<ImportReport, ApiError>>);
    let busy = RwSignal::new(false);
    let send = move |apply: bool| {
        let Some(csv) = text.get_value() else { return };
        busy.set(true);
        spawn_local(async move {
            let answer = api::import(&csv, apply).await;
            let applied = matches!(&answer, Ok(r) if r.applied);
            let _ = busy.try_set(false);
            let _ = report.try_set(Some(answer));
            if applied {
                on_imported.run(());
            }
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
        if file.size() > MAX_FILE_BYTES {
            report.set(Some(Err(ApiError::plain(413, tr_now!(catalogue_import_too_big)))));
            return;
        }
        busy.set(true);
        report.set(None);
        spawn_local(async move {
            let read = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            match read {
                Some(t) => {
                    text.set_value(Some(t));
                    send(false);
                }
                None => {
                    let _ = busy.try_set(false);
                    let _ = report.try_set(Some(Err(ApiError::plain(0, tr_now!(catalogue_import_unreadable)))));
                }
            }
        });
    };
    view! {
        <details class="panel bo-import">
            <summary>{tr!(catalogue_import_export)}</summary>
            <p><a href="/api/staff/products/export.csv" download>{tr!(catalogue_export)}</a></p>
            <div class="field">
                <label for="import-file">{tr!(catalogue_import_file)}</label>
                <input id="import-file" type="file" accept=".csv,text/csv" on:change=on_file aria-describedby="import-hint"/>
                <p class="hint" id="import-hint">{tr!(catalogue_import_hint)}</p>
            </div>
            {move || busy.get().then(|| view! { <p class="loading" role="status">{tr!(loading)}</p> })}
            {move || report.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Ok(r) => view! { <Report r send busy/> }.into_any(),
            })}
        </details>
    }
}

#[component]
fn Report<F: Fn(bool) + Copy + Send + Sync + 'static>(r: ImportReport, send: F, busy: RwSignal<bool>) -> impl IntoView {
    let summary = fill(
        if r.applied { tr_now!(catalogue_import_done) } else { tr_now!(catalogue_import_preview) },
        &[("new", &r.new), ("updated", &r.updated), ("unchanged", &r.unchanged), ("errors", &r.errors.len())],
    );
    let can_apply = !r.applied && r.errors.is_empty() && r.new + r.updated > 0;
    view! {
        <div data-testid="import-report">
            <p role="status" class=if r.errors.is_empty() { "notice" } else { "form-error" }>{summary}</p>
            {(!r.errors.is_empty()).then(|| view! {
                <p>{tr!(catalogue_import_fix)}</p>
                <ul class="bo-import-errors">{r.errors.into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
            })}
            {(!r.ignored_columns.is_empty()).then(|| view! {
                <p class="hint">{fill(tr_now!(catalogue_import_ignored), &[("columns", &r.ignored_columns.join(", "))])}</p>
            })}
            {(r.skipped_rows > 0).then(|| view! {
                <p class="hint">{fill(tr_now!(catalogue_import_skipped), &[("n", &r.skipped_rows)])}</p>
            })}
            {can_apply.then(|| view! {
                <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| send(true)>{tr!(catalogue_import_apply)}</button>
            })}
        </div>
    }
}
