//! `/robots.txt` and `/sitemap.xml`: what search engines read first. The sitemap lists every
//! published product and every category in both languages, with `lastmod` and the `hreflang`
//! alternates, from the same catalogue snapshot the pages use.

use app::backend::{catalogue::Snapshot, AppState};
use app::model::{Locale, Page};
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

/// `GET /robots.txt` and `GET /sitemap.xml`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: {}\nDisallow: {}\n\nSitemap: {}/sitemap.xml\n",
        Locale::Tr.path(&Page::Search),
        Locale::En.path(&Page::Search),
        state.public_url
    );
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn sitemap(State(state): State<AppState>) -> Response {
    match state.catalogue.get_recent(&state.db).await {
        Ok(snapshot) => (
            [
                (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=600"),
            ],
            sitemap_xml(&snapshot, &state.public_url),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "sitemap: catalogue unavailable");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

pub fn sitemap_xml(snapshot: &Snapshot, base: &str) -> String {
    let mut entries: Vec<(Page, &str)> = vec![(Page::Home, "")];
    let newest = snapshot
        .published()
        .map(|p| p.updated_at.as_str())
        .max()
        .unwrap_or_default();
    entries[0].1 = newest;
    for category in &snapshot.categories {
        entries.push((Page::Category(category.slug.clone()), &category.updated_at));
    }
    for product in snapshot.published() {
        entries.push((Page::Product(product.slug.clone()), &product.updated_at));
    }
    // The legal pages and İletişim change with the code, not the catalogue: no lastmod.
    for page in [
        Page::Privacy,
        Page::Kvkk,
        Page::DistanceSales,
        Page::PreContract,
        Page::Returns,
        Page::Contact,
    ] {
        entries.push((page, ""));
    }

    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (page, updated) in &entries {
        for locale in Locale::ALL {
            xml.push_str("  <url>\n");
            xml.push_str(&format!(
                "    <loc>{}</loc>\n",
                escape(&format!("{base}{}", locale.path(page)))
            ));
            if let Some(date) = updated.get(..10) {
                xml.push_str(&format!("    <lastmod>{date}</lastmod>\n"));
            }
            for alternate in Locale::ALL {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    alternate.code(),
                    escape(&format!("{base}{}", alternate.path(page)))
                ));
            }
            xml.push_str("  </url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
