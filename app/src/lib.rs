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

use crate::components::{
    cookie_banner::consent_state_of_request, CookieBanner, SiteFooter, SiteHeader,
};
use crate::i18n::{text, use_locale};
use crate::model::legal::LegalDocument;
use crate::model::{brand::BRAND_NAME, Locale, Page};
use crate::pages::{
    cart::CartPage,
    category::CategoryPage,
    contact::{ContactPage, ContactSentPage},
    home::HomePage,
    legal::{CookiePreferencesPage, LegalPage},
    not_found::NotFound,
    product::ProductPage,
    search::SearchPage,
};

/// The HTML document around every page. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // leptos_axum gives every request a random nonce, which Leptos writes onto its inline
    // scripts. Our CSP allows those scripts by hash instead (see `inline_page_scripts`), so a
    // blank nonce keeps every visitor's copy of a page byte-identical and cacheable.
    #[cfg(feature = "ssr")]
    provide_context(leptos::nonce::Nonce::from_value(""));

    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#111111"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HeadScripts options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The scripts in every page's head: the `js` class marker, the WASM loader (and, under
/// `cargo leptos watch`, the live-reload client). Their inline parts are the only inline scripts a page has, and they are
/// the same for every page of a build: the server allows exactly them in its
/// Content-Security-Policy by hash (see [`inline_page_scripts`]), so pages carry no per-request
/// nonce and can be cached byte for byte.
#[component]
pub fn HeadScripts(options: LeptosOptions) -> impl IntoView {
    view! {
        // Marks the document as scripted before the first paint, so notes meant for browsers
        // without JavaScript (`.no-js-note`) never flash for everyone else.
        <script>"document.documentElement.classList.add('js')"</script>
        <AutoReload options=options.clone()/>
        <HydrationScripts options islands=true/>
    }
}

/// The text of every inline `<script>` a page of this shop carries, exactly as a browser hashes
/// it for the CSP: the loader [`HeadScripts`] writes, and the (empty) resource tables Leptos's
/// server rendering writes at the end of every page. Both are produced by the real Leptos code
/// rather than re-typed, so a Leptos upgrade cannot drift from them; the HTTP tests check that
/// every page's inline scripts are among them.
#[cfg(feature = "ssr")]
pub fn inline_page_scripts(options: &LeptosOptions) -> Vec<String> {
    use futures::StreamExt;
    use hydration_context::{SharedContext, SsrSharedContext};

    let owner = Owner::new();
    let head = owner.with(|| view! { <HeadScripts options=options.clone()/> }.to_html());
    let mut scripts = inline_script_texts(&head);
    // Islands serialise no resource outside an island, so these tables stay empty.
    if let Some(chunks) = SsrSharedContext::new().pending_data() {
        scripts.extend(futures::executor::block_on(chunks.collect::<Vec<_>>()));
    }
    scripts
}

/// The bodies of the `<script>` elements in `html` that the browser runs inline: no `src`, and
/// not a JSON-LD data block (which the CSP does not govern). Also what the HTTP tests use to
/// check every page against the CSP.
#[cfg(feature = "ssr")]
pub fn inline_script_texts(html: &str) -> Vec<String> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_and_more = &after[tag_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") && !tag.contains("application/ld+json") {
            scripts.push(body_and_more[..close].to_string());
        }
        rest = &body_and_more[close..];
    }
    scripts
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
                    <Route path=path!("gizlilik-ve-cerez-politikasi") view=|| view! { <LegalPage document=LegalDocument::Privacy locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/privacy-and-cookie-policy") view=|| view! { <LegalPage document=LegalDocument::Privacy locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("kvkk-aydinlatma-metni") view=|| view! { <LegalPage document=LegalDocument::Kvkk locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/kvkk-privacy-notice") view=|| view! { <LegalPage document=LegalDocument::Kvkk locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("mesafeli-satis-sozlesmesi") view=|| view! { <LegalPage document=LegalDocument::DistanceSales locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/distance-sales-contract") view=|| view! { <LegalPage document=LegalDocument::DistanceSales locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("on-bilgilendirme-formu") view=|| view! { <LegalPage document=LegalDocument::PreContract locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/pre-contractual-information") view=|| view! { <LegalPage document=LegalDocument::PreContract locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("iade-ve-cayma") view=|| view! { <LegalPage document=LegalDocument::Returns locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/returns-and-withdrawal") view=|| view! { <LegalPage document=LegalDocument::Returns locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("iletisim") view=|| view! { <ContactPage locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/contact") view=|| view! { <ContactPage locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("iletisim/gonderildi") view=|| view! { <ContactSentPage locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/contact/sent") view=|| view! { <ContactSentPage locale=Locale::En/> } ssr=SsrMode::Async/>
                    <Route path=path!("cerez-tercihleri") view=|| view! { <CookiePreferencesPage locale=Locale::Tr/> } ssr=SsrMode::Async/>
                    <Route path=path!("en/cookie-preferences") view=|| view! { <CookiePreferencesPage locale=Locale::En/> } ssr=SsrMode::Async/>
                </Routes>
            </Frame>
        </Router>
    }
}

/// Header, main and footer around the routed page, in the page's language; the cookie banner
/// first (for screen readers; it sits at the bottom of the screen), except on the cookie
/// preferences page, which is the same form.
#[component]
fn Frame(children: Children) -> impl IntoView {
    let locale = use_locale();
    let consent = consent_state_of_request();
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let return_to = if search.is_empty() {
        path.clone()
    } else {
        format!("{path}?{search}")
    };
    let banner = (path != locale.path(&Page::CookiePreferences))
        .then(|| view! { <CookieBanner locale state=consent.clone() return_to/> });
    view! {
        <Html {..} lang=locale.code() data-cerez=consent.token()/>
        <a class="skip-link" href="#icerik">{text(locale, "nav.skip")}</a>
        {banner}
        <SiteHeader locale/>
        <main id="icerik" class="page">{children()}</main>
        <SiteFooter locale/>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = r#"<link rel="x"><script type="module">go("a", "b");</script><script src="/x.js"></script><script type="application/ld+json">{"@type":"Product"}</script><script>two</script>"#;
        assert_eq!(inline_script_texts(html), vec![r#"go("a", "b");"#, "two"]);
    }

    #[test]
    fn the_inline_scripts_are_the_js_marker_the_wasm_loader_and_empty_resource_tables() {
        let options = LeptosOptions::builder().output_name("lesminoria").build();
        let scripts = inline_page_scripts(&options);
        assert_eq!(scripts.len(), 4, "{scripts:?}");
        assert!(scripts[0].contains("classList.add('js')"), "{scripts:?}");
        assert!(scripts[1].contains("lesminoria"), "{scripts:?}");
        assert!(scripts[1].contains("hydrate"), "{scripts:?}");
        assert!(
            scripts[2].starts_with("__RESOLVED_RESOURCES=[];"),
            "{scripts:?}"
        );
        assert_eq!(scripts[3], "__INCOMPLETE_CHUNKS=[];");
    }
}
