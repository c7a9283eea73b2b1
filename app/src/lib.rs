//! Les Minoria storefront: the application shared by the server (feature `ssr`) and the browser
//! (feature `hydrate`). The server renders every page as HTML; only the islands
//! (`#[island]` components) are hydrated in the browser.
//!
//! Where things go (see DESIGN.md): shared plain types in [`model`], pages in [`pages`],
//! reusable view pieces in [`components`], browser-only state in [`client`], and everything that
//! touches the database or the outside world in `backend` (server build only). ARCHITECTURE.md
//! at the repository's root says which door each kind of request comes through.

#![recursion_limit = "256"]

// Interface strings from `locales/` (see `i18n`).
rust_i18n::i18n!("locales", fallback = "tr");

#[cfg(feature = "ssr")]
pub mod backend;
pub mod bundle;
pub mod client;
pub mod components;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod wire;

use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos::tachys::view::iterators::StaticVec;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, MetaTags, Title};
use leptos_router::{
    any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute},
    components::{RouteChildren, Router, Routes, RoutesProps},
    NestedRoute, ParamSegment, PossibleRouteMatch, SsrMode, StaticSegment,
};
use std::sync::Arc;

use crate::components::{
    cookie_banner::consent_state_of_request, CookieBanner, SiteFooter, SiteHeader,
};
use crate::i18n::{text, use_locale};
use crate::model::legal::LegalDocument;
use crate::model::route::{PageRoute, ROUTES};
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
                <HeadScripts options=options.clone() bundle=page_bundle()/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The WASM bundle of the page being rendered (see [`bundle`]).
fn page_bundle() -> bundle::Bundle {
    #[cfg(feature = "ssr")]
    {
        bundle::of_request()
    }
    #[cfg(not(feature = "ssr"))]
    {
        bundle::Bundle::Shop
    }
}

/// The scripts in every page's head: the `js` class marker, the WASM loader (and, under
/// `cargo leptos watch`, the live-reload client). Their inline parts are the only inline scripts a page has, and they are
/// the same for every page of a build: the server allows exactly them in its
/// Content-Security-Policy by hash (see [`inline_page_scripts`]), so pages carry no per-request
/// nonce and can be cached byte for byte.
#[component]
pub fn HeadScripts(options: LeptosOptions, bundle: bundle::Bundle) -> impl IntoView {
    let scripts = bundle.options(&options);
    view! {
        // Marks the document as scripted before the first paint, so notes meant for browsers
        // without JavaScript (`.no-js-note`) never flash for everyone else.
        <script>"document.documentElement.classList.add('js')"</script>
        <AutoReload options=options.clone()/>
        <HydrationScripts options=scripts islands=true/>
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

    let mut scripts = Vec::new();
    for bundle in bundle::Bundle::ALL {
        let owner = Owner::new();
        let head = owner.with(|| view! { <HeadScripts options=options.clone() bundle/> }.to_html());
        for script in inline_script_texts(&head) {
            if !scripts.contains(&script) {
                scripts.push(script);
            }
        }
    }
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

/// Every page of the shop, in Turkish at the root and in English under `/en`. The addresses
/// and policies are the rows of [`model::route::ROUTES`]; this is where each row meets its view.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        // Every title passes here, and leptos_meta writes the result into `<title>` as it is
        // (it does not escape): a search word such as `</title><meta http-equiv=refresh …>`
        // would otherwise become markup. Titles are only rendered on the server (islands mode
        // never renders App in the browser), so the escaped text is never shown escaped twice.
        <Title formatter=|page: String| {
            let title = if page.is_empty() || page == BRAND_NAME { BRAND_NAME.to_string() } else { format!("{page} | {BRAND_NAME}") };
            model::text::escape_html(&title)
        }/>
        <Router>
            <Frame>
                {page_router()}
            </Frame>
        </Router>
    }
}

/// The view of a route row's `page` in `locale`. A new [`Page`] does not compile until it has a
/// view here.
fn page_view(page: &Page, locale: Locale) -> AnyView {
    match page {
        Page::Home => view! { <HomePage locale/> }.into_any(),
        Page::Category(_) => view! { <CategoryPage locale/> }.into_any(),
        Page::Product(_) => view! { <ProductPage locale/> }.into_any(),
        Page::Search => view! { <SearchPage locale/> }.into_any(),
        Page::Cart => view! { <CartPage locale/> }.into_any(),
        Page::Privacy => view! { <LegalPage document=LegalDocument::Privacy locale/> }.into_any(),
        Page::Kvkk => view! { <LegalPage document=LegalDocument::Kvkk locale/> }.into_any(),
        Page::DistanceSales => {
            view! { <LegalPage document=LegalDocument::DistanceSales locale/> }.into_any()
        }
        Page::PreContract => {
            view! { <LegalPage document=LegalDocument::PreContract locale/> }.into_any()
        }
        Page::Returns => view! { <LegalPage document=LegalDocument::Returns locale/> }.into_any(),
        Page::Contact => view! { <ContactPage locale/> }.into_any(),
        Page::ContactSent => view! { <ContactSentPage locale/> }.into_any(),
        Page::CookiePreferences => view! { <CookiePreferencesPage locale/> }.into_any(),
        Page::Checkout => view! { <pages::checkout::CheckoutPage locale/> }.into_any(),
        Page::Order(_) => view! { <pages::order::OrderPage locale/> }.into_any(),
        Page::Invoice(_) => view! { <pages::invoice::InvoicePage locale/> }.into_any(),
        Page::Cayma(_) => view! { <pages::cayma::CaymaPage locale/> }.into_any(),
        Page::StaffLogin => view! { <pages::admin::StaffLoginPage locale/> }.into_any(),
        Page::StaffHome => view! { <pages::admin::StaffHomePage locale/> }.into_any(),
        Page::StaffOrders => view! { <pages::admin::StaffOrdersPage locale/> }.into_any(),
        Page::StaffOrder(_) => view! { <pages::admin::StaffOrderPage locale/> }.into_any(),
        Page::StaffInbox => view! { <pages::admin_desk::InboxPage locale/> }.into_any(),
        Page::StaffMessage(_) => view! { <pages::admin_desk::MessagePage locale/> }.into_any(),
        Page::StaffKvkk => view! { <pages::admin_desk::KvkkDeskPage locale/> }.into_any(),
        Page::StaffKvkkCase(_) => view! { <pages::admin_desk::KvkkCasePage locale/> }.into_any(),
        Page::StaffConsents => view! { <pages::admin_records::ConsentsPage locale/> }.into_any(),
        Page::StaffOutbox => view! { <pages::admin_records::OutboxPage locale/> }.into_any(),
        Page::StaffPassword => view! { <pages::admin_team::PasswordPage locale/> }.into_any(),
        Page::StaffTeam => view! { <pages::admin_team::TeamPage locale/> }.into_any(),
        Page::StaffProducts => view! { <pages::admin_catalogue::ProductsPage locale/> }.into_any(),
        Page::StaffCampaigns => view! { <pages::admin_coupons::CouponsPage locale/> }.into_any(),
        Page::StaffProduct(_) => view! { <pages::admin_catalogue::ProductPage locale/> }.into_any(),
        Page::Login => view! { <pages::account::LoginPage locale/> }.into_any(),
        Page::Register => view! { <pages::account::RegisterPage locale/> }.into_any(),
        Page::ForgotPassword => view! { <pages::account::ForgotPasswordPage locale/> }.into_any(),
        Page::ResetPassword => view! { <pages::account::ResetPasswordPage locale/> }.into_any(),
        Page::Account => view! { <pages::account::AccountPage locale/> }.into_any(),
        Page::Addresses => view! { <pages::addresses::AddressesPage locale/> }.into_any(),
        Page::Orders => view! { <pages::member_orders::MemberOrdersPage locale/> }.into_any(),
        Page::PersonalData => view! { <pages::personal_data::PersonalDataPage locale/> }.into_any(),
        Page::Cards => view! { <pages::addresses::CardsPage locale/> }.into_any(),
        Page::Unsubscribe => view! { <pages::account::UnsubscribePage locale/> }.into_any(),
    }
}

/// The routed page (within `<Router>`), or the 404 page.
fn page_router() -> impl IntoView {
    let props = RoutesProps::builder()
        .fallback(|| view! { <NotFound/> })
        .children(RouteChildren::to_children(page_routes))
        .build();
    Routes(props)
}

/// One route per row of [`ROUTES`] and language, with the row's words as static segments.
/// Pages settle their meta tags and status before the first byte (`SsrMode::Async`).
fn page_routes() -> StaticVec<AnyNestedRoute> {
    ROUTES
        .iter()
        .flat_map(|route| Locale::ALL.map(move |locale| (route, locale)))
        .map(|(route, locale)| {
            NestedRoute::new(segments(route, locale), move || {
                page_view(&route.page, locale)
            })
            .ssr_mode(SsrMode::Async)
            .into_any_nested_route()
        })
        .collect::<Vec<_>>()
        .into()
}

/// The matcher for a row's address: its words, then its parameter.
fn segments(route: &PageRoute, locale: Locale) -> Arc<dyn PossibleRouteMatch + Send + Sync> {
    let words = route.segments(locale);
    let word = |index: usize| StaticSegment(words[index]);
    match (words.len(), route.param) {
        (0, None) => Arc::new(StaticSegment("")),
        (1, None) => Arc::new(word(0)),
        (2, None) => Arc::new((word(0), word(1))),
        (3, None) => Arc::new((word(0), word(1), word(2))),
        (1, Some(param)) => Arc::new((word(0), ParamSegment(param))),
        (2, Some(param)) => Arc::new((word(0), word(1), ParamSegment(param))),
        (3, Some(param)) => Arc::new((word(0), word(1), word(2), ParamSegment(param))),
        _ => unreachable!("an address of more than three words: {route:?}"),
    }
}

/// Where the cookie choice form sends the visitor back to: this page with its query, or without
/// the query when that would make the address longer than the form carries, or the home page.
fn bounded_return_address(locale: Locale, path: &str, search: &str) -> String {
    let max = wire::consent::RETURN_TO_MAX_BYTES;
    if !search.is_empty() && path.len() + 1 + search.len() <= max {
        format!("{path}?{search}")
    } else if path.len() <= max {
        path.to_string()
    } else {
        locale.path(&Page::Home)
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
    let return_to = bounded_return_address(locale, &path, &search);
    let banner = (path != locale.path(&Page::CookiePreferences))
        .then(|| view! { <CookieBanner locale state=consent.clone() return_to/> });
    view! {
        <Html {..} lang=locale.code() {..custom_attribute(wire::consent::PAGE_STATE, consent.token())}/>
        <a class="skip-link" href="#icerik">{text(locale, "nav.skip")}</a>
        {banner}
        <SiteHeader locale/>
        <main id="icerik" class="page">{children()}</main>
        <SiteFooter locale/>
        <pages::account::MemberCartMarkers/>
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
