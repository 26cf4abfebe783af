//! The shell: the `App` component with the page frame (layout) and the routes, and
//! the start of every feature's shared state. Features keep themselves in step by
//! listening (the outbox's sent changes, the connection coming back, who is signed
//! in), so the shell only starts them, in the order they need each other.

pub mod layout;

use crate::{
    app::layout::{Footer, Header},
    features::{
        account::{
            page::AccountView,
            reset::{ForgotPasswordView, ResetPasswordView},
            session::Shop,
            sign_in::{SignInView, SignUpView},
        },
        cart::page::CartView,
        catalogue::{
            alerts::UnsubscribeView,
            category::CategoryView,
            local::{Categories, LocalCatalogue},
            product::ProductView,
            search::SearchView,
        },
        checkout::page::CheckoutView,
        console::page::AgentView,
        fulfilment::page::StaffView,
        home::page::Home,
        insight::page::InsightView,
        orders::{
            find::FindOrderView,
            page::{OrderView, OrdersView},
        },
        personal::{activity, state::Personal},
        privacy::page::{ContactView, PrivacyView},
        support::{
            help::{HelpArticleView, HelpView},
            history::{MySupportView, TicketView},
            state::Support,
            widget::SupportWidget,
        },
    },
    i18n::I18nContextProvider,
    platform::{outbox::{Outbox, OutboxStatus}, pwa::{Pwa, PwaBanners}},
    ui::not_found::NotFound,
};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

#[component]
pub fn App() -> impl IntoView {
    let pwa = Pwa::start();
    provide_context(pwa);
    let outbox = Outbox::start(pwa);
    provide_context(outbox);
    let catalogue = LocalCatalogue::start(pwa);
    provide_context(catalogue);
    provide_context(Categories::of(catalogue));
    let shop = Shop::start(outbox, pwa);
    provide_context(shop);
    activity::start(outbox);
    provide_context(Personal::start(shop));
    provide_context(Support::start(shop));

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
            <PwaBanners/>
            <OutboxStatus/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/c/:slug") view=CategoryView/>
                    <Route path=path!("/p/:slug") view=ProductView/>
                    <Route path=path!("/search") view=SearchView/>
                    <Route path=path!("/signin") view=SignInView/>
                    <Route path=path!("/signup") view=SignUpView/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordView/>
                    <Route path=path!("/reset-password") view=ResetPasswordView/>
                    <Route path=path!("/account") view=AccountView/>
                    <Route path=path!("/account/orders") view=OrdersView/>
                    <Route path=path!("/cart") view=CartView/>
                    <Route path=path!("/checkout") view=CheckoutView/>
                    <Route path=path!("/orders/:number") view=OrderView/>
                    <Route path=path!("/find-order") view=FindOrderView/>
                    <Route path=path!("/alerts/unsubscribe") view=UnsubscribeView/>
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
            <ShopperHelp/>
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

/// The shopper's help widget, on every page but staff's: on the agent console its
/// floating button covered the agent's own buttons ("Close chat"), and staff answer
/// chats there rather than start them.
#[component]
fn ShopperHelp() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let staff_page = Memo::new(move |_| location.pathname.with(|p| p == "/staff" || p.starts_with("/staff/")));
    move || (!staff_page.get()).then(|| view! { <SupportWidget/> })
}
