//! `/legal/:kind`: one legal page, as the shop published it.

use crate::{
    platform::{http::{self, ApiError}, lang::{day, fill}},
    tr_now,
    ui::{feedback::{ErrorPanel, Loading}, not_found::NotFound, title::set_title},
};
use aisle_domain::legal::{LegalKind, LegalPage};
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

async fn fetch(kind: LegalKind, version: Option<String>) -> Result<LegalPage, ApiError> {
    let path = match version {
        Some(v) => format!("/api/legal/{}?version={}", kind.as_str(), aisle_domain::url::percent_encode(&v)),
        None => format!("/api/legal/{}", kind.as_str()),
    };
    http::get(Request::get(&path)).await
}

#[component]
pub fn LegalView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let kind = Memo::new(move |_| params.with(|p| p.get("kind").and_then(|k| LegalKind::parse(&k))));
    let version = Memo::new(move |_| query.with(|q| q.get("version").filter(|v| !v.is_empty())));
    let page = LocalResource::new(move || {
        let (kind, version) = (kind.get(), version.get());
        async move {
            match kind {
                Some(kind) => fetch(kind, version).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(Some(p)) => {
                        set_title(&p.title);
                        let (published, v) = (p.published_at.clone(), p.version);
                        view! {
                            <article class="legal" data-testid="legal-page">
                                <h1>{p.title.clone()}</h1>
                                <p class="muted" data-testid="legal-version">
                                    {move || fill(tr_now!(legal_version), &[("version", &v), ("day", &day(&published))])}
                                </p>
                                // Safe HTML: the server renders staff's text and keeps
                                // only harmless tags (as for product descriptions).
                                <div class="legal-text" inner_html=p.html.clone()></div>
                            </article>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
