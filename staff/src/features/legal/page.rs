//! `/staff/legal`: each legal page with its newest version, and a form to publish the
//! next. Saving never changes a version: orders keep pointing at the terms they were
//! placed under.

use super::api;
use crate::{
    platform::{http::ApiError, lang::{day, fill}},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::legal::{LegalInput, LegalPage};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn LegalPagesView() -> impl IntoView {
    set_title(tr_now!(legal_title));
    let list = RwSignal::new(None::<Result<Vec<LegalPage>, ApiError>>);
    spawn_local(async move { list.try_set(Some(api::pages().await)); });
    view! {
        <h1>{tr!(legal_title)}</h1>
        <p class="hint">{tr!(legal_intro)}</p>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(pages)) => pages.into_iter().map(|p| view! { <PageForm page=p/> }).collect_view().into_any(),
        }}
    }
}

#[component]
fn PageForm(page: LegalPage) -> impl IntoView {
    let kind = page.kind;
    let current = RwSignal::new(page.clone());
    let title = RwSignal::new(page.title.clone());
    let body = RwSignal::new(page.body.clone());
    let problem = RwSignal::new(None::<(String, String)>);
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = |field: &str| format!("legal-{}-{field}", kind.as_str());
    let error_of = move |field: &'static str| move || problem.with(|p| p.as_ref().filter(|(f, _)| f == field).map(|(_, m)| m.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = LegalInput { title: title.get_untracked(), body: body.get_untracked() };
        // The server's own check, here first: the message shows at once, by its field.
        let input = match input.validate() {
            Ok(valid) => valid,
            Err(e) => {
                problem.set(Some((e.field.to_string(), e.message)));
                return;
            }
        };
        problem.set(None);
        saved.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::publish(kind, &input).await {
                Ok(p) => {
                    let same = p.version == current.get_untracked().version;
                    saved.set(Some(if same { tr_now!(legal_unchanged).to_string() } else { fill(tr_now!(legal_published), &[("version", &p.version)]) }));
                    current.set(p);
                }
                Err(e) => problem.set(Some((e.field.clone().unwrap_or_else(|| "body".into()), e.message))),
            }
            busy.set(false);
        });
    };
    let version_line = tr!(legal_version_line);
    view! {
        <form class="bo-form legal-form" on:submit=submit novalidate data-kind=kind.as_str()>
            <h2 class="wide">{move || current.with(|p| p.title.clone())}</h2>
            <p class="wide hint" data-testid="legal-version">
                {move || current.with(|p| fill(version_line(), &[("version", &p.version), ("day", &day(&p.published_at))]))}
                " · "<a href=kind.href(None) rel="external" target="_blank">{tr!(legal_open)}</a>
            </p>
            <div class="field wide">
                <label for=id("title")>{tr!(legal_page_title)}</label>
                <input id=id("title") name="title" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))
                    aria-invalid=move || error_of("title")().is_some().to_string()/>
                <p class="field-error" aria-live="polite">{error_of("title")}</p>
            </div>
            <div class="field wide">
                <label for=id("body")>{tr!(legal_text)}</label>
                <textarea id=id("body") name="body" rows="14" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))
                    aria-invalid=move || error_of("body")().is_some().to_string()></textarea>
                <p class="hint">{tr!(legal_text_hint)}</p>
                <p class="field-error" aria-live="polite">{error_of("body")}</p>
            </div>
            <div class="wide"><button type="submit" class="primary" disabled=move || busy.get()>{tr!(legal_publish)}</button></div>
            <p class="wide" role="status" data-testid="legal-saved">{move || saved.get()}</p>
        </form>
    }
}
