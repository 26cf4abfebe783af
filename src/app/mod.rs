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
            brand::BrandView,
        },
        checkout::page::CheckoutView,
        home::page::Home,
        legal::page::LegalView,
        orders::{
            find::FindOrderView,
            page::{OrderView, OrdersView},
        },
        personal::{activity, state::Personal},
        privacy::page::{ContactView, PrivacyView},
        wishlist::{page::WishlistView, state::Wishes},
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

/// Each page off the way to a product (home, a category, a product, search are in the
/// main wasm), by its component, in groups a shopper tends to use together.
/// With the `split` feature (the release build) each group's code is one wasm part
/// that the browser fetches the first time the shopper opens one of its pages, so the
/// first visit downloads only home and the frame; without it (`trunk serve`, the wasm
/// tests) every page is in the one binary, as a lazy page cannot start without the
/// split build's loader.
///
/// Groups rather than a part per page: code two parts share becomes a file of its
/// own, and with a part per page a cold visit to a product fetched some fifty files of
/// about 1 KB each, six at a time over HTTP/1.1, which took seconds on a slow phone
/// network. Each route is still a `LazyRoute`, so the router keeps the old page on
/// show until the new one's code has arrived.
macro_rules! page_groups {
    ($($group:ident $load:ident $preload:ident { $($view:ident),* $(,)? })*) => {
        #[cfg(feature = "split")]
        mod lazy {
            use crate::platform::idle::Busy;
            use leptos::prelude::*;
            $(
                // Named after the components they pick.
                #[allow(clippy::enum_variant_names)]
                #[derive(Clone, Copy)]
                pub enum $group {
                    $($view),*
                }

                #[leptos::lazy]
                pub fn $load(page: $group) -> AnyView {
                    match page {
                        $($group::$view => super::$view().into_any()),*
                    }
                }

                $(
                    /// Holds the page "still drawing" while its code is on its way.
                    pub struct $view(Busy);
                    impl leptos_router::LazyRoute for $view {
                        fn data() -> Self {
                            $view(Busy::new())
                        }
                        async fn view(this: Self) -> AnyView {
                            let view = $load($group::$view).await;
                            drop(this);
                            view
                        }
                        async fn preload() {
                            $preload().await
                        }
                    }
                )*
            )*
        }
    };
}

page_groups! {
    Basket basket_pages __preload_basket_pages { CartView, CheckoutView, WishlistView }
    Account account_pages __preload_account_pages { SignInView, SignUpView, ForgotPasswordView, ResetPasswordView, AccountView }
    Orders order_pages __preload_order_pages { OrdersView, OrderView, FindOrderView }
    Help help_pages __preload_help_pages { HelpView, HelpArticleView, MySupportView, TicketView }
    About about_pages __preload_about_pages { PrivacyView, ContactView, UnsubscribeView, LegalView }
}

/// The cart and checkout, fetched once the page on show has drawn: the first click
/// on the cart then draws at once instead of waiting for its code. The service worker
/// fetches the rest for offline use.
#[cfg(feature = "split")]
async fn preload_next_pages() {
    use leptos_router::LazyRoute;
    lazy::CartView::preload().await;
}

/// A route's view: the page loaded on demand (see [`page_groups!`]) or the component itself.
#[cfg(feature = "split")]
macro_rules! page {
    ($view:ident) => {
        leptos_router::Lazy::<lazy::$view>::new()
    };
}
#[cfg(not(feature = "split"))]
macro_rules! page {
    ($view:ident) => {
        $view
    };
}

#[component]
pub fn App() -> impl IntoView {
    crate::platform::scroll::start();
    let pwa = Pwa::start();
    provide_context(pwa);
    let outbox = Outbox::start(pwa);
    provide_context(outbox);
    let catalogue = LocalCatalogue::start(pwa);
    provide_context(catalogue);
    provide_context(Categories::of(catalogue));
    provide_context(crate::platform::lang::LanguageChanged(Callback::new(move |()| catalogue.resync())));
    let shop = Shop::start(outbox, pwa);
    provide_context(shop);
    provide_context(crate::features::checkout::rules::Rules::new());
    activity::start(outbox);
    provide_context(Personal::start(shop));
    provide_context(Support::start(shop));
    provide_context(Wishes::start(shop, outbox, pwa));
    #[cfg(feature = "split")]
    crate::platform::idle::when_idle(preload_next_pages);

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
                    // The way to any product in two clicks is in the main wasm: a
                    // route change along it never waits for code (see page_groups!).
                    <Route path=path!("/c/:slug") view=CategoryView/>
                    <Route path=path!("/p/:slug") view=ProductView/>
                    <Route path=path!("/search") view=SearchView/>
                    <Route path=path!("/brand/:name") view=BrandView/>
                    <Route path=path!("/signin") view={page!(SignInView)}/>
                    <Route path=path!("/signup") view={page!(SignUpView)}/>
                    <Route path=path!("/forgot-password") view={page!(ForgotPasswordView)}/>
                    <Route path=path!("/reset-password") view={page!(ResetPasswordView)}/>
                    <Route path=path!("/account") view={page!(AccountView)}/>
                    <Route path=path!("/account/orders") view={page!(OrdersView)}/>
                    <Route path=path!("/cart") view={page!(CartView)}/>
                    <Route path=path!("/wishlist") view={page!(WishlistView)}/>
                    <Route path=path!("/checkout") view={page!(CheckoutView)}/>
                    <Route path=path!("/orders/:number") view={page!(OrderView)}/>
                    <Route path=path!("/find-order") view={page!(FindOrderView)}/>
                    <Route path=path!("/alerts/unsubscribe") view={page!(UnsubscribeView)}/>
                    <Route path=path!("/privacy") view={page!(PrivacyView)}/>
                    <Route path=path!("/contact") view={page!(ContactView)}/>
                    <Route path=path!("/legal/:kind") view={page!(LegalView)}/>
                    <Route path=path!("/help") view={page!(HelpView)}/>
                    <Route path=path!("/help/:slug") view={page!(HelpArticleView)}/>
                    <Route path=path!("/account/support") view={page!(MySupportView)}/>
                    <Route path=path!("/support/tickets/:id") view={page!(TicketView)}/>
                </Routes>
            </main>
            <Footer/>
            <SupportWidget/>
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
