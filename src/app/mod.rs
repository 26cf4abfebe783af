//! The `App` component: the page frame, the routes, and the state every page shares.

pub mod layout;
pub mod not_found;

use crate::{
    app::{layout::{Footer, Header}, not_found::NotFound},
    features::{
        account::{page::AccountView, session::Shop, sign_in::{SignInView, SignUpView}},
        cart::page::CartView,
        catalogue::{category::CategoryView, product::ProductView, search::SearchView},
        checkout::page::CheckoutView,
        console::page::AgentView,
        fulfilment::page::StaffView,
        home::page::Home,
        insight::page::InsightView,
        orders::page::{OrderView, OrdersView},
        privacy::page::{ContactView, PrivacyView},
        support::{help::{HelpArticleView, HelpView}, history::{MySupportView, TicketView}},
    },
    i18n::I18nContextProvider,
    platform::http::ApiError,
};
use aisle_domain::Category;
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The category list, fetched once and shared by the header's navigation and the home
/// page, so moving between pages never fetches it again.
#[derive(Clone, Copy)]
pub struct Categories(pub LocalResource<Result<Vec<Category>, ApiError>>);

#[component]
pub fn App() -> impl IntoView {
    let catalogue = crate::features::catalogue::local::LocalCatalogue::start();
    provide_context(catalogue);
    // Re-read when the device copy arrives or changes, so the navigation fills in offline.
    provide_context(Categories(LocalResource::new(move || {
        catalogue.data.track();
        catalogue.categories()
    })));
    let shop = Shop::new();
    provide_context(shop);
    let pwa = crate::platform::pwa::Pwa::start();
    provide_context(pwa);
    let outbox = crate::platform::outbox::Outbox::start(shop);
    provide_context(outbox);
    crate::features::personal::activity::start(outbox);
    provide_context(crate::features::personal::state::Personal::start(shop));
    let support = crate::features::support::state::Support::start();
    provide_context(support);
    // A different shopper (sign-in, sign-out) means a different chat: reconnect so the
    // server sees who it is now, and show nothing of the last one's.
    let who = Memo::new(move |_| shop.session.with(|s| s.as_ref().map(|s| s.customer.as_ref().map(|c| c.id))));
    Effect::new(move |before: Option<Option<Option<i64>>>| {
        let now = who.get();
        if let (Some(Some(was)), Some(is)) = (before, now) {
            if was != is {
                support.chat.reset();
            }
        }
        now
    });
    // The FAQ is small; fetch it once the page is up so it reads offline later.
    let faq_later = leptos::wasm_bindgen::closure::Closure::once_into_js(move || support.load_faq());
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(leptos::wasm_bindgen::JsCast::unchecked_ref(&faq_later), 3_000);
    // Back online: renew the session and catch up with the catalogue.
    Effect::new(move |was_online: Option<bool>| {
        let online = pwa.online.get();
        if was_online == Some(false) && online {
            shop.load();
            leptos::task::spawn_local(async move {
                outbox.retry_now().await;
                catalogue.sync().await;
            });
        }
        online
    });

    view! {
        <I18nContextProvider>
        <LanguageStart/>
        <Router>
            // The router would take "#main" as a navigation; focus the content directly.
            <a class="skip-link" href="#main" on:click=|ev| {
                ev.prevent_default();
                focus_main();
            }>{crate::tr!(skip_to_content)}</a>
            <FocusOnNavigate/>
            <Header/>
            <crate::platform::pwa::PwaBanners/>
            <crate::platform::outbox::OutboxStatus/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/c/:slug") view=CategoryView/>
                    <Route path=path!("/p/:slug") view=ProductView/>
                    <Route path=path!("/search") view=SearchView/>
                    <Route path=path!("/signin") view=SignInView/>
                    <Route path=path!("/signup") view=SignUpView/>
                    <Route path=path!("/account") view=AccountView/>
                    <Route path=path!("/account/orders") view=OrdersView/>
                    <Route path=path!("/cart") view=CartView/>
                    <Route path=path!("/checkout") view=CheckoutView/>
                    <Route path=path!("/orders/:number") view=OrderView/>
                    <Route path=path!("/staff") view=StaffView/>
                    <Route path=path!("/staff/support") view=AgentView/>
                    <Route path=path!("/staff/insight") view=InsightView/>
                    <Route path=path!("/privacy") view=PrivacyView/>
                    <Route path=path!("/contact") view=ContactView/>
                    <Route path=path!("/help") view=HelpView/>
                    <Route path=path!("/help/:slug") view=HelpArticleView/>
                    <Route path=path!("/account/support") view=MySupportView/>
                    <Route path=path!("/support/tickets/:id") view=TicketView/>
                </Routes>
            </main>
            <Footer/>
            <crate::features::support::widget::SupportWidget/>
        </Router>
        </I18nContextProvider>
    }
}

/// Sets the language on show before the first page draws (see [`crate::platform::lang::start`]).
#[component]
fn LanguageStart() -> impl IntoView {
    crate::platform::lang::start();
}

/// After a link or a form takes the shopper to another page, focus moves to the page's
/// main content: a screen reader starts on the new page and the next Tab is inside it.
/// Not while they type in a field: the search box follows each keystroke to `/search`.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |before: Option<String>| {
        let path = location.pathname.get();
        if before.is_some_and(|b| b != path) {
            let typing = document()
                .active_element()
                .is_some_and(|e| matches!(e.tag_name().to_ascii_lowercase().as_str(), "input" | "textarea" | "select"));
            if !typing {
                focus_main();
            }
        }
        path
    });
}

fn focus_main() {
    if let Some(main) = document().get_element_by_id("main").and_then(|e| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
        let _ = main.focus();
    }
}

/// Sets the browser tab's title for the page on show.
pub fn set_title(page: &str) {
    let title = if page.is_empty() { "Aisle".to_string() } else { format!("{page} · Aisle") };
    document().set_title(&title);
}
