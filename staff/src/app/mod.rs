//! The back office's shell: the language, who is signed in, the frame (a side
//! navigation on a desk, a bar on a phone) and the routes under `/staff`.

pub mod session;
pub mod shortcuts;

use crate::{
    features::fulfilment::{page::StaffView, queue::StepQueue},
    i18n::I18nContextProvider,
    platform::{lang::LanguageSelect, shop::{use_shop_name, ShopName}},
    tr,
    ui::Loading,
};
use aisle_domain::customer::StaffShop;
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes, A},
    path,
};
use session::{use_session, SignInForm, StaffSession};
// The pages that are parts of their own in the split build (see `lazy`).
#[cfg(not(feature = "split"))]
use crate::features::{
    catalogue::{categories::CategoriesView, edit::ProductEditView, list::ProductsView},
    console::page::AgentView,
    fulfilment::slips::SlipsView,
    insight::page::InsightView,
    legal::page::LegalPagesView,
    offers::page::OffersView,
    reviews::page::ReviewsView,
};

#[component]
pub fn App() -> impl IntoView {
    provide_context(StaffSession::start());
    view! {
        <I18nContextProvider>
            <LanguageStart/>
            <Router>
                <a class="skip-link" href="#main">{tr!(skip_to_content)}</a>
                <Gate/>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn LanguageStart() -> impl IntoView {
    crate::platform::lang::start();
}

/// Staff pages for staff; a sign-in form for anyone else. Nothing of the back office
/// is fetched before the API says who this is.
#[component]
fn Gate() -> impl IntoView {
    let session = use_session();
    move || match session.state() {
        None => view! { <main id="main" class="bo-alone"><Loading/></main> }.into_any(),
        Some(Err(e)) => view! {
            <main id="main" class="bo-alone"><section class="bo-signin" role="alert"><h1>{tr!(error_offline)}</h1><p>{e.message}</p>
                <button type="button" on:click=move |_| session.reload()>{tr!(staff_try_again)}</button></section></main>
        }.into_any(),
        Some(Ok(None)) => view! { <main id="main" class="bo-alone"><SignInForm/></main> }.into_any(),
        Some(Ok(Some(c))) if !c.is_staff => view! {
            <main id="main" class="bo-alone"><section class="bo-signin"><h1>{tr!(staff_only)}</h1><p>{tr!(staff_only_text)}</p>
                <p><a href="/" rel="external">{tr!(staff_to_shop)}</a></p>
                <button type="button" on:click=move |_| session.sign_out()>{tr!(sign_out)}</button></section></main>
        }.into_any(),
        Some(Ok(Some(_))) => view! { <Frame/> }.into_any(),
    }
}

#[component]
fn Frame() -> impl IntoView {
    let session = use_session();
    shortcuts::start();
    provide_context(StepQueue::start());
    // Dates are written in the shop's time zone: the pages wait for it (one small
    // request), so no date is first shown in another zone.
    let shop = LocalResource::new(|| crate::platform::http::get::<StaffShop>(Request::get("/api/staff/shop")));
    let ready = move || {
        shop.get().map(|r| {
            if let Ok(s) = &r {
                crate::platform::clock::set_time_zone(&s.time_zone);
            }
            r.map(|s| s.name)
        })
    };
    provide_context(ShopName(Signal::derive(move || ready().and_then(Result::ok).unwrap_or_else(|| "Aisle".into()))));
    view! {
        <div class="bo">
            <header class="bo-side">
                <a class="bo-brand" href="/staff">{move || use_shop_name().get()}<span>{tr!(staff_back_office)}</span></a>
                <nav class="bo-nav" aria-label=tr!(staff_back_office)>
                    <A href="/staff" exact=true>{tr!(staff_nav_orders)}<kbd aria-hidden="true">"g o"</kbd></A>
                    <A href="/staff/products">{tr!(staff_nav_catalogue)}<kbd aria-hidden="true">"g p"</kbd></A>
                    <A href="/staff/categories">{tr!(staff_nav_categories)}<kbd aria-hidden="true">"g c"</kbd></A>
                    <A href="/staff/support">{tr!(staff_nav_support)}<kbd aria-hidden="true">"g s"</kbd></A>
                    <A href="/staff/reviews">{tr!(staff_nav_reviews)}<kbd aria-hidden="true">"g r"</kbd></A>
                    <A href="/staff/offers">{tr!(staff_nav_offers)}</A>
                    <A href="/staff/legal">{tr!(staff_nav_legal)}</A>
                    <A href="/staff/insight">{tr!(staff_nav_insight)}<kbd aria-hidden="true">"g i"</kbd></A>
                </nav>
                <div class="bo-me">
                    <span class="bo-who">{move || session.name()}</span>
                    <button type="button" class="link" on:click=move |_| session.sign_out()>{tr!(sign_out)}</button>
                    <a href="/" rel="external">{tr!(staff_to_shop)}</a>
                    <LanguageSelect/>
                </div>
            </header>
            <main id="main" tabindex="-1" class="bo-main">
                {move || match ready() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
                    Some(Ok(_)) => view! { <Pages/> }.into_any(),
                }}
            </main>
        </div>
    }
}

/// The agent console, insight, the packing slips and the catalogue's pages, each a wasm part of
/// its own in the split build (feature `split`): a packer, who lands on the order
/// list, never waits for the chat, the charts or the product form. Fulfilment stays in the main wasm, as it is where staff
/// start.
#[cfg(feature = "split")]
mod lazy {
    use leptos::prelude::*;

    /// Per page: the function `#[leptos::lazy]` cuts out into a part (with its
    /// `__preload_<load>`), and the route that awaits it.
    macro_rules! lazy_pages {
        ($($route:ident $load:ident => $component:path;)*) => {
            $(
                #[leptos::lazy]
                pub fn $load() -> AnyView {
                    $component().into_any()
                }

                pub struct $route;
                impl leptos_router::LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }
                    async fn view(_: Self) -> AnyView {
                        $load().await
                    }
                }
            )*
        };
    }

    lazy_pages! {
        AgentView console_page => crate::features::console::page::AgentView;
        InsightView insight_page => crate::features::insight::page::InsightView;
        ReviewsView reviews_page => crate::features::reviews::page::ReviewsView;
        OffersView offers_page => crate::features::offers::page::OffersView;
        LegalPagesView legal_page => crate::features::legal::page::LegalPagesView;
        SlipsView slips_page => crate::features::fulfilment::slips::SlipsView;
    }

    /// The catalogue's pages, one part: code they share stays in it rather than
    /// joining the main wasm every desk downloads.
    #[derive(Clone, Copy)]
    pub enum Catalogue {
        Products,
        Product,
        Categories,
    }

    #[leptos::lazy]
    pub fn catalogue_pages(page: Catalogue) -> AnyView {
        use crate::features::catalogue::{categories::CategoriesView, edit::ProductEditView, list::ProductsView};
        match page {
            Catalogue::Products => ProductsView().into_any(),
            Catalogue::Product => ProductEditView().into_any(),
            Catalogue::Categories => CategoriesView().into_any(),
        }
    }

    macro_rules! catalogue_routes {
        ($($route:ident => $page:ident;)*) => {
            $(
                pub struct $route;
                impl leptos_router::LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }
                    async fn view(_: Self) -> AnyView {
                        catalogue_pages(Catalogue::$page).await
                    }
                }
            )*
        };
    }

    catalogue_routes! {
        ProductsView => Products;
        ProductEditView => Product;
        CategoriesView => Categories;
    }

    /// The pages a desk switches to. Slips are not among them: they are printed now
    /// and then, and need the network for the orders anyway.
    pub async fn preload() {
        __preload_console_page().await;
        __preload_insight_page().await;
    }
}

/// A route's view: the page loaded on demand (see [`lazy`]) or the component itself.
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
fn Pages() -> impl IntoView {
    #[cfg(feature = "split")]
    preload_pages();
    view! {
                <Routes fallback=|| view! { <section><h1>{tr!(not_found_title)}</h1><p>{tr!(not_found_text)}</p></section> }>
                    <Route path=path!("/staff") view=StaffView/>
                    <Route path=path!("/staff/slips") view={page!(SlipsView)}/>
                    <Route path=path!("/staff/support") view={page!(AgentView)}/>
                    <Route path=path!("/staff/insight") view={page!(InsightView)}/>
                    <Route path=path!("/staff/reviews") view={page!(ReviewsView)}/>
                    <Route path=path!("/staff/offers") view={page!(OffersView)}/>
                    <Route path=path!("/staff/legal") view={page!(LegalPagesView)}/>
                    <Route path=path!("/staff/products") view={page!(ProductsView)}/>
                    <Route path=path!("/staff/products/:id") view={page!(ProductEditView)}/>
                    <Route path=path!("/staff/categories") view={page!(CategoriesView)}/>
                </Routes>
    }
}

/// Fetches the other pages' code a few seconds after the first page: switching to the
/// console is then instant, and still works if the connection drops later.
#[cfg(feature = "split")]
fn preload_pages() {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    let run: Closure<dyn FnMut()> = Closure::once(|| leptos::task::spawn_local(lazy::preload()));
    if window().set_timeout_with_callback_and_timeout_and_arguments_0(run.as_ref().unchecked_ref(), PRELOAD_AFTER_MS).is_ok() {
        // The browser holds the callback now and drops it once it has run.
        run.forget();
    }
}

/// Long enough for the first page's own requests to go first.
#[cfg(feature = "split")]
const PRELOAD_AFTER_MS: i32 = 2_000;
