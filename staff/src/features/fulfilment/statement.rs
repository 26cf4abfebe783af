//! "Bank statement": staff upload the CSV their bank exports; each incoming payment
//! that names an order or invoice awaiting exactly that amount marks it paid, and the
//! table says what every line did (see `api/src/fulfilment/statement.rs`). In the split
//! build its code is a wasm part of its own, fetched when the panel is first opened:
//! the order list every desk starts on does not carry it.

use super::api;
use crate::{
    platform::{http::ApiError, lang::{fill, money}},
    tr,
    tr_now,
};
use aisle_domain::payment::statement::{Outcome, StatementReport};
use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

/// A month of a busy account is well under this.
const MAX_FILE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

#[component]
fn StatementImport(on_imported: Callback<()>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let report = RwSignal::new(None::<Result<StatementReport, ApiError>>);
    let on_file = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
        if file.size() > MAX_FILE_BYTES {
            report.set(Some(Err(ApiError::plain(413, tr_now!(statement_too_big)))));
            return;
        }
        busy.set(true);
        report.set(None);
        spawn_local(async move {
            let answer = match wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()) {
                Some(csv) => api::import_statement(&csv).await,
                None => Err(ApiError::plain(0, tr_now!(statement_unreadable))),
            };
            let paid = matches!(&answer, Ok(r) if r.lines.iter().any(|l| l.outcome == Outcome::Paid));
            let _ = busy.try_set(false);
            let _ = report.try_set(Some(answer));
            // The same file can be chosen again (after fixing an order by hand).
            if let Some(i) = input {
                i.set_value("");
            }
            if paid {
                on_imported.run(());
            }
        });
    };
    view! {
        <div class="field">
            <label for="statement-file">{tr!(statement_file)}</label>
            <input id="statement-file" type="file" accept=".csv,text/csv,text/plain" on:change=on_file aria-describedby="statement-hint"/>
            <p class="hint" id="statement-hint">{tr!(statement_hint)}</p>
        </div>
        {move || busy.get().then(|| view! { <p class="loading" role="status">{tr!(loading)}</p> })}
        {move || report.get().map(|r| match r {
            Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            Ok(r) => view! { <Report r/> }.into_any(),
        })}
    }
}

/// The panel on the order list: its summary is always there; what it holds is drawn
/// (and in the split build, fetched) once it is opened.
#[component]
pub fn StatementPanel(#[prop(into)] on_imported: Callback<()>) -> impl IntoView {
    let opened = RwSignal::new(false);
    view! {
        <details class="panel bo-import" data-testid="statement">
            <summary on:click=move |_| opened.set(true)>{tr!(statement_import)}</summary>
            {move || opened.get().then(|| body(on_imported))}
        </details>
    }
}

#[cfg(not(feature = "split"))]
fn body(on_imported: Callback<()>) -> impl IntoView {
    view! { <StatementImport on_imported/> }
}

#[cfg(feature = "split")]
fn body(on_imported: Callback<()>) -> impl IntoView {
    view! { <Suspense fallback=|| view! { <crate::ui::Loading/> }>{Suspend::new(async move { statement_part(on_imported).await })}</Suspense> }
}

#[cfg(feature = "split")]
#[leptos::lazy]
fn statement_part(on_imported: Callback<()>) -> AnyView {
    view! { <StatementImport on_imported/> }.into_any()
}

#[component]
fn Report(r: StatementReport) -> impl IntoView {
    let count = |o: Outcome| r.lines.iter().filter(|l| l.outcome == o).count();
    let (paid, review, other) = (count(Outcome::Paid), count(Outcome::Review), count(Outcome::Unmatched) + count(Outcome::AlreadyPaid));
    let summary = tr!(statement_summary);
    view! {
        <p role="status" data-testid="statement-summary">{move || fill(summary(), &[("paid", &paid), ("review", &review), ("other", &other)])}</p>
        {(!r.lines.is_empty()).then(|| view! {
            <div class="bo-table-wrap">
            <table class="bo-table">
                <thead><tr>
                    <th scope="col">{tr!(statement_line)}</th>
                    <th scope="col">{tr!(statement_payer)}</th>
                    <th scope="col">{tr!(statement_purpose)}</th>
                    <th scope="col">{tr!(statement_amount)}</th>
                    <th scope="col">{tr!(status)}</th>
                </tr></thead>
                <tbody>
                    {r.lines.into_iter().map(|l| {
                        let (class, label) = match l.outcome {
                            Outcome::Paid => ("status status-delivered", tr!(statement_paid).into_any()),
                            Outcome::AlreadyPaid => ("status", tr!(statement_already_paid).into_any()),
                            Outcome::Review => ("status status-awaiting", tr!(statement_review).into_any()),
                            Outcome::Unmatched => ("status status-cancelled", tr!(statement_unmatched).into_any()),
                        };
                        let amount = l.amount;
                        view! {
                            <tr data-outcome=l.outcome.as_str()>
                                <td>{l.row}<br/><span class="small">{l.booked_on}</span></td>
                                <td>{l.payer}</td>
                                <td>{l.purpose}</td>
                                <td>{move || money(amount)}</td>
                                // The server's sentence names the order and what to do.
                                <td><span class=class>{label}</span><br/><span class="small">{l.message}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        })}
    }
}
