//! What search engines and link previews read in `<head>`: title, description, canonical URL,
//! `hreflang` alternates, Open Graph, and JSON-LD.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::model::{Locale, Page};

/// The shop's public origin (`https://www.lesminoria.com`), for absolute URLs.
pub fn site_url() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::backend::AppState>()
            .map(|state| state.public_url.clone())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// Title, description, canonical and alternates for a page that exists in both languages.
/// `query` is appended to the canonical URL (e.g. a listing's page and filters).
#[component]
pub fn PageMeta(
    locale: Locale,
    page: Page,
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(optional)] query: Option<String>,
    #[prop(optional, into)] image: Option<String>,
    #[prop(default = "website")] og_type: &'static str,
) -> impl IntoView {
    let base = site_url();
    let suffix = query
        .filter(|q| !q.is_empty())
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let canonical = format!("{base}{}{suffix}", locale.path(&page));
    let alternates = Locale::ALL
        .into_iter()
        .map(|other| {
            let href = format!("{base}{}{suffix}", other.path(&page));
            view! { <Link rel="alternate" hreflang=other.code() href=href/> }
        })
        .collect_view();
    let default_href = format!("{base}{}{suffix}", Locale::Tr.path(&page));
    let image = image.map(|src| format!("{base}{src}"));
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=canonical.clone()/>
        {alternates}
        <Link rel="alternate" hreflang="x-default" href=default_href/>
        <Meta property="og:site_name" content="Les Minoria"/>
        <Meta property="og:type" content=og_type/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=canonical/>
        <Meta property="og:locale" content=locale.og_locale()/>
        {image.map(|src| view! { <Meta property="og:image" content=src/> })}
    }
}

/// A JSON-LD block. `</` is escaped so that no text in the data can close the script element.
#[component]
pub fn JsonLd(data: serde_json::Value) -> impl IntoView {
    let json = data.to_string().replace("</", "<\\/");
    view! { <script type="application/ld+json" inner_html=json></script> }
}
