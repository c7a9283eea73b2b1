//! A cache of rendered pages for anonymous visitors.
//!
//! Catalogue pages are the same for every visitor without a cookie: the cart count and
//! everything personal live in the browser. Rendering them once per catalogue version instead
//! of once per request is what makes them fast (see scripts/bench.sh). Three rules keep it
//! correct:
//! - only GET requests **without any cookie** are served from or stored in the cache, so no
//!   visitor's state can reach another (later issues that set cookies bypass it by design);
//! - every entry belongs to one `catalogue_version`; the first request after a catalogue write
//!   sees a new version and renders afresh, so a change shows at once, in every process;
//! - the page's CSP nonce must stay fresh per request: pages are rendered with a placeholder
//!   nonce, and each response gets the request's own nonce written in its place.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use app::backend::{catalogue::snapshot::current_version, AppState};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};
use leptos::nonce::Nonce;

/// Rendered into cached pages where the nonce goes; never sent to a browser.
const PLACEHOLDER_NONCE: &str = "lesminoria-page-cache-nonce-placeholder";
/// Bounds memory when addresses vary endlessly (query strings): the cache starts over.
const MAX_ENTRIES: usize = 2048;
/// Larger pages are not kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;

#[derive(Clone)]
struct CachedPage {
    content_type: HeaderValue,
    body: Bytes,
}

#[derive(Clone, Default)]
pub struct PageCache {
    inner: Arc<RwLock<Entries>>,
}

#[derive(Default)]
struct Entries {
    version: i64,
    pages: HashMap<String, CachedPage>,
}

impl PageCache {
    fn get(&self, version: i64, key: &str) -> Option<CachedPage> {
        let entries = self.inner.read().ok()?;
        (entries.version == version)
            .then(|| entries.pages.get(key).cloned())
            .flatten()
    }

    fn put(&self, version: i64, key: String, page: CachedPage) {
        let Ok(mut entries) = self.inner.write() else {
            return;
        };
        if entries.version != version || entries.pages.len() >= MAX_ENTRIES {
            entries.pages.clear();
            entries.version = version;
        }
        entries.pages.insert(key, page);
    }
}

/// Middleware (inside the security headers, which choose the nonce).
pub async fn apply(
    State((cache, state)): State<(PageCache, AppState)>,
    mut request: Request,
    next: Next,
) -> Response {
    let cacheable = request.method() == Method::GET
        && !request.headers().contains_key(header::COOKIE)
        && is_page_path(request.uri().path());
    if !cacheable {
        return next.run(request).await;
    }
    let Ok(version) = current_version(&state.db).await else {
        return next.run(request).await;
    };
    let key = request.uri().to_string();
    let nonce = request
        .extensions()
        .get::<Nonce>()
        .map(|n| n.to_string())
        .unwrap_or_default();

    if let Some(page) = cache.get(version, &key) {
        return respond(&page, &nonce);
    }

    request
        .extensions_mut()
        .insert(Nonce::from_value(PLACEHOLDER_NONCE));
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if response.status() != StatusCode::OK || !is_html {
        return with_nonce(response, &nonce).await;
    }
    let content_type = response.headers()[header::CONTENT_TYPE].clone();
    let Ok(body) = axum::body::to_bytes(response.into_body(), MAX_PAGE_BYTES).await else {
        return server_error();
    };
    let page = CachedPage { content_type, body };
    let reply = respond(&page, &nonce);
    cache.put(version, key, page);
    reply
}

/// Pages, not files, health checks or server functions.
fn is_page_path(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path == "/healthz"
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.')))
}

fn respond(page: &CachedPage, nonce: &str) -> Response {
    let body = replace_placeholder(&page.body, nonce);
    let mut response = Response::new(Body::from(body));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, page.content_type.clone());
    response
}

/// A response that was rendered with the placeholder but is not cached (an error page) still
/// needs the request's nonce.
async fn with_nonce(response: Response, nonce: &str) -> Response {
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE_BYTES * 4).await {
        Ok(bytes) => Response::from_parts(parts, Body::from(replace_placeholder(&bytes, nonce))),
        Err(_) => server_error(),
    }
}

fn server_error() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}

fn replace_placeholder(body: &[u8], nonce: &str) -> Vec<u8> {
    let placeholder = PLACEHOLDER_NONCE.as_bytes();
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = find(rest, placeholder) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(nonce.as_bytes());
        rest = &rest[at + placeholder.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_is_replaced_everywhere() {
        let body = format!(
            r#"<script nonce="{PLACEHOLDER_NONCE}">a</script><link nonce="{PLACEHOLDER_NONCE}">"#
        );
        let out = replace_placeholder(body.as_bytes(), "abc123");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"<script nonce="abc123">a</script><link nonce="abc123">"#
        );
    }

    #[test]
    fn only_pages_are_cached() {
        assert!(is_page_path("/"));
        assert!(is_page_path("/kategori/kadin"));
        assert!(!is_page_path("/pkg/lesminoria.abc.wasm"));
        assert!(!is_page_path("/sitemap.xml"));
        assert!(!is_page_path("/api/get_product123"));
        assert!(!is_page_path("/healthz"));
    }
}
