//! Les Minoria storefront: the application shared by the server (feature `ssr`) and the browser
//! (feature `hydrate`). The server renders every page as HTML; only the islands
//! (`#[island]` components) are hydrated in the browser.
//!
//! Where things go (see DESIGN.md): shared plain types in [`model`], pages in [`pages`],
//! reusable view pieces in [`components`], browser-only state in [`client`], server functions in
//! [`api`], and everything that touches the database or the outside world in `backend`
//! (server build only).

#![recursion_limit = "256"]

// Interface strings from `locales/` (see `i18n`).
rust_i18n::i18n!("locales", fallback = "tr");

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod client;
pub mod components;
pub mod i18n;
pub mod model;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::components::{SiteFooter, SiteHeader};
use crate::i18n::{text, use_locale};
use crate::model::{brand::BRAND_NAME, Locale, Page};
use crate::pages::{
    cart::CartPage, category::CategoryPage, home::HomePage, legal::LegalPage, not_found::NotFound,
    product::ProductPage, search::SearchPage,
};

/// The HTML document around every page. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    provide_request_nonce();

    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#111111"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone() islands=true/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The server's security middleware puts a fresh CSP nonce into each request's extensions and
/// names it in the `Content-Security-Policy` header; handing the same nonce to Leptos puts it on
/// the inline hydration script, the only inline script a page has.
#[cfg(feature = "ssr")]
fn provide_request_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<leptos::nonce::Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// The route table: every page of the shop, in Turkish at the root and in English under `/en`.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() || page == BRAND_NAME { BRAND_NAME.to_string() } else { format!("{page} | {BRAND_NAME}") }
        }/>
        <Router>
            <Frame>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=|| view! { <HomePage locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en") view=|| view! { <HomePage locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("kategori/:slug") view=|| view! { <CategoryPage locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/category/:slug") view=|| view! { <CategoryPage locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("urun/:slug") view=|| view! { <ProductPage locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/product/:slug") view=|| view! { <ProductPage locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("arama") view=|| view! { <SearchPage locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/search") view=|| view! { <SearchPage locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("sepet") view=|| view! { <CartPage locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/cart") view=|| view! { <CartPage locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("gizlilik-ve-cerez-politikasi") view=|| view! { <LegalPage page=Page::Privacy locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/privacy-and-cookie-policy") view=|| view! { <LegalPage page=Page::Privacy locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("kvkk-aydinlatma-metni") view=|| view! { <LegalPage page=Page::Kvkk locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/kvkk-privacy-notice") view=|| view! { <LegalPage page=Page::Kvkk locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("mesafeli-satis-sozlesmesi") view=|| view! { <LegalPage page=Page::DistanceSales locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/distance-sales-contract") view=|| view! { <LegalPage page=Page::DistanceSales locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("iade-ve-cayma") view=|| view! { <LegalPage page=Page::Returns locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/returns-and-withdrawal") view=|| view! { <LegalPage page=Page::Returns locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("iletisim") view=|| view! { <LegalPage page=Page::Contact locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/contact") view=|| view! { <LegalPage page=Page::Contact locale=Locale::En/> } ssr=SsrMode::Async/>
                </Routes>
            </Frame>
        </Router>
    }
}

/// Header, main and footer around the routed page, in the page's language.
#[component]
fn Frame(children: Children) -> impl IntoView {
    let locale = use_locale();
    view! {
        <Html {..} lang=locale.code()/>
        <a class="skip-link" href="#icerik">{text(locale, "nav.skip")}</a>
        <SiteHeader locale/>
        <main id="icerik" class="page">{children()}</main>
        <SiteFooter locale/>
    }
}
