//! Les Minoria storefront: the application shared by the server (feature `ssr`) and the browser
//! (feature `hydrate`). The server renders every page as HTML; only the islands
//! (`#[island]` components) are hydrated in the browser.
//!
//! Where things go (see DESIGN.md): shared plain types in [`model`], pages in [`pages`],
//! reusable view pieces in [`components`], browser-only state in [`client`], server functions in
//! [`api`], and everything that touches the database or the outside world in `backend`
//! (server build only).

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod client;
pub mod components;
pub mod model;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::components::{SiteFooter, SiteHeader};
use crate::model::brand::BRAND_NAME;
use crate::pages::{
    cart::CartPage,
    home::HomePage,
    legal::{LegalPage, LegalPageKind},
    not_found::NotFound,
};

/// The HTML document around every page. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    provide_request_nonce();

    view! {
        <!DOCTYPE html>
        <html lang="tr">
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

/// The route table: every page of the shop, in one place.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { BRAND_NAME.to_string() } else { format!("{page} | {BRAND_NAME}") }
        }/>
        <Router>
            <a class="skip-link" href="#icerik">"İçeriğe geç"</a>
            <SiteHeader/>
            <main id="icerik" class="page">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("sepet") view=CartPage ssr=SsrMode::Async/>
                    <Route
                        path=path!("gizlilik-ve-cerez-politikasi")
                        view=|| view! { <LegalPage kind=LegalPageKind::Privacy/> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("kvkk-aydinlatma-metni")
                        view=|| view! { <LegalPage kind=LegalPageKind::Kvkk/> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("mesafeli-satis-sozlesmesi")
                        view=|| view! { <LegalPage kind=LegalPageKind::DistanceSales/> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("iade-ve-cayma")
                        view=|| view! { <LegalPage kind=LegalPageKind::Returns/> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("iletisim")
                        view=|| view! { <LegalPage kind=LegalPageKind::Contact/> }
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}
