//! `/help` (every question and answer, searchable) and `/help/:slug` (one answer).
//! Both read the FAQ kept on the device, so they work offline once it has been
//! fetched.

use crate::{
    features::support::{state::{use_support, Tab}, widget::FaqAnswer},
    ui::{feedback::{ErrorPanel, Loading}, not_found::NotFound, title::set_title},
};
use aisle_domain::support::FaqArticle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn HelpView() -> impl IntoView {
    set_title(crate::tr_now!(help_title));
    let support = use_support();
    support.load_faq();
    let query = RwSignal::new(String::new());
    view! {
        <section class="help">
            <h1>{crate::tr!(footer_help)}</h1>
            <ContactChoices/>
            <div class="field">
                <label for="help-q">{crate::tr!(search_the_answers)}</label>
                <input id="help-q" type="search" autocomplete="off" data-testid="help-search"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            {move || match (support.faq.get(), support.faq_error.get()) {
                (Some(faq), _) => {
                    let q = query.get();
                    if q.trim().is_empty() {
                        faq.categories.into_iter().map(|c| view! {
                            <section class="faq-category" aria-labelledby=format!("faq-{}", c.slug)>
                                <h2 id=format!("faq-{}", c.slug)>{c.name}</h2>
                                <ArticleList articles=c.articles/>
                            </section>
                        }).collect_view().into_any()
                    } else {
                        let found: Vec<FaqArticle> = faq.search(&q, 10).into_iter().cloned().collect();
                        if found.is_empty() {
                            view! { <p data-testid="help-none">{crate::tr!(help_none)}</p> }.into_any()
                        } else {
                            view! { <ArticleList articles=found/> }.into_any()
                        }
                    }
                }
                (None, Some(e)) => view! { <ErrorPanel error=e/> }.into_any(),
                (None, None) => view! { <Loading/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ArticleList(articles: Vec<FaqArticle>) -> impl IntoView {
    view! {
        <ul class="faq-list" data-testid="faq-list">
            {articles.into_iter().map(|a| view! { <li><a href=format!("/help/{}", a.slug)>{a.question}</a></li> }).collect_view()}
        </ul>
    }
}

/// The ways to reach a person, each opening the help panel where it is needed.
#[component]
pub fn ContactChoices(
    /// Whether to ask "Can't find it?" before the choices.
    #[prop(default = true)]
    lead: bool,
) -> impl IntoView {
    let support = use_support();
    view! {
        <p class="contact-choices">
            {lead.then(|| view! { {crate::tr!(cant_find_it)}" " })}
            <button type="button" on:click=move |_| support.show(Tab::Chat)>{crate::tr!(chat_with_us)}</button>
            " "
            <button type="button" on:click=move |_| support.show(Tab::CallMe)>{crate::tr!(ask_for_call)}</button>
            " "
            <button type="button" on:click=move |_| support.show(Tab::Message)>{crate::tr!(send_a_message)}</button>
        </p>
    }
}

#[component]
pub fn HelpArticleView() -> impl IntoView {
    let support = use_support();
    support.load_faq();
    let params = use_params_map();
    move || {
        let slug = params.read().get("slug").unwrap_or_default();
        match (support.faq.get(), support.faq_error.get()) {
            (Some(faq), _) => match faq.articles().find(|a| a.slug == slug).cloned() {
                Some(a) => {
                    set_title(&a.question);
                    view! {
                        <article class="help-article" data-testid="help-article">
                            <p><a href="/help">{crate::tr!(all_answers_back)}</a></p>
                            <h1>{a.question.clone()}</h1>
                            <p class="muted">{a.category.clone()}</p>
                            <FaqAnswer article=a/>
                            <ContactChoices/>
                        </article>
                    }
                    .into_any()
                }
                None => view! { <NotFound/> }.into_any(),
            },
            (None, Some(e)) => view! { <ErrorPanel error=e/> }.into_any(),
            (None, None) => view! { <Loading/> }.into_any(),
        }
    }
}
