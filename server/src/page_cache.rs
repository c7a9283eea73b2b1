//! A cache of rendered pages for anonymous visitors.
//!
//! Catalogue pages are the same for every visitor in the same cookie-choice state: the cart
//! count and everything personal live in the browser, and the CSP names the page's inline
//! scripts by hash rather than by a per-request nonce. The one thing a page shows that depends
//! on the visitor is the cookie banner (shown, or hidden with the current choice ticked), so the
//! consent state is part of the key. Rendering (and compressing) a page once per catalogue
//! version instead of once per request is what makes pages fast (see scripts/bench.sh). The rules
//! that keep it correct:
//! - only GET requests with **no cookie, or only the consent cookie**, are served from or stored
//!   in the cache, keyed by address and consent state (`ConsentState::token`, never the
//!   visitor id), so no visitor's state can reach another; any other cookie (a session, later)
//!   bypasses the cache;
//! - only complete `200 text/html` pages are stored; errors and 404s are rendered every time;
//! - every entry belongs to one `catalogue_version`; the first request after a catalogue write
//!   sees a new version and renders afresh, so a change shows at once, in every process.
//!
//! Each entry holds the page uncompressed, as brotli and as gzip, made once when it is stored;
//! a hit is a map lookup and a reference-counted copy of the bytes the client can read.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

use app::backend::{catalogue::snapshot::current_version, AppState};
use app::model::consent::{cookie_value, ConsentState, CONSENT_COOKIE};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};

/// Bounds memory when addresses vary endlessly (query strings): the cache starts over.
const MAX_ENTRIES: usize = 2048;
/// Larger pages are not kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;
/// Brotli quality for stored pages: paid once per page and version, so higher than the
/// per-response level the compression layer uses for everything else.
const BROTLI_QUALITY: u32 = 9;

struct CachedPage {
    content_type: HeaderValue,
    identity: Bytes,
    brotli: Bytes,
    gzip: Bytes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Identity,
    Brotli,
    Gzip,
}

impl CachedPage {
    fn new(content_type: HeaderValue, identity: Bytes) -> Self {
        let mut brotli = Vec::with_capacity(identity.len() / 4);
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, BROTLI_QUALITY, 22);
            writer.write_all(&identity).expect("writing to memory");
        }
        let mut gzip = flate2::write::GzEncoder::new(
            Vec::with_capacity(identity.len() / 3),
            flate2::Compression::best(),
        );
        gzip.write_all(&identity).expect("writing to memory");
        let gzip = gzip.finish().expect("writing to memory");
        Self {
            content_type,
            identity,
            brotli: brotli.into(),
            gzip: gzip.into(),
        }
    }

    fn response(&self, encoding: Encoding) -> Response {
        let (body, content_encoding) = match encoding {
            Encoding::Identity => (self.identity.clone(), None),
            Encoding::Brotli => (self.brotli.clone(), Some("br")),
            Encoding::Gzip => (self.gzip.clone(), Some("gzip")),
        };
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        // The page depends on the consent cookie too (banner shown or not).
        headers.insert(
            header::VARY,
            HeaderValue::from_static("accept-encoding, cookie"),
        );
        if let Some(content_encoding) = content_encoding {
            // The compression layer outside leaves responses that are already encoded alone.
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(content_encoding),
            );
        }
        response
    }
}

#[derive(Clone, Default)]
pub struct PageCache {
    inner: Arc<RwLock<Entries>>,
}

#[derive(Default)]
struct Entries {
    version: i64,
    pages: HashMap<String, Arc<CachedPage>>,
}

impl PageCache {
    fn get(&self, version: i64, key: &str) -> Option<Arc<CachedPage>> {
        let entries = self.inner.read().ok()?;
        (entries.version == version)
            .then(|| entries.pages.get(key).cloned())
            .flatten()
    }

    fn put(&self, version: i64, key: String, page: Arc<CachedPage>) {
        let Ok(mut entries) = self.inner.write() else {
            return;
        };
        if entries.version > version {
            return; // rendered from an older catalogue while a newer one was seen
        }
        if entries.version != version || entries.pages.len() >= MAX_ENTRIES {
            entries.pages.clear();
            entries.version = version;
        }
        entries.pages.insert(key, page);
    }
}

/// Middleware, inside the compression layer: responses it encodes itself pass through that
/// layer untouched, everything else is compressed there as usual.
pub async fn apply(
    State((cache, state)): State<(PageCache, AppState)>,
    request: Request,
    next: Next,
) -> Response {
    let Some(consent) = cacheable_variant(&request, &state.cookie_policy_version) else {
        return next.run(request).await;
    };
    let Ok(version) = current_version(&state.db).await else {
        return next.run(request).await;
    };
    let key = format!("{} {consent}", request.uri());
    let encoding = preferred_encoding(request.headers());

    if let Some(page) = cache.get(version, &key) {
        return page.response(encoding);
    }

    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if response.status() != StatusCode::OK || !is_html {
        return response;
    }
    let content_type = response.headers()[header::CONTENT_TYPE].clone();
    let Ok(body) = axum::body::to_bytes(response.into_body(), MAX_PAGE_BYTES).await else {
        // Too large to keep: render it again, uncached (rare enough not to matter).
        return server_error();
    };
    // Compressing takes a few milliseconds: keep it off the async workers.
    let Ok(page) = tokio::task::spawn_blocking(move || CachedPage::new(content_type, body)).await
    else {
        return server_error();
    };
    let page = Arc::new(page);
    cache.put(version, key, page.clone());
    page.response(encoding)
}

/// For a GET request for a page whose only cookie (if any) is the consent cookie: the consent
/// state's token, which is part of the cache key. `None`: not cacheable.
fn cacheable_variant(request: &Request, policy_version: &str) -> Option<String> {
    if request.method() != Method::GET || !is_page_path(request.uri().path()) {
        return None;
    }
    let mut cookies = request.headers().get_all(header::COOKIE).iter();
    let consent = match (cookies.next(), cookies.next()) {
        (None, _) => None,
        (Some(header), None) => {
            let header = header.to_str().ok()?;
            let only_consent = header
                .split(';')
                .filter(|pair| !pair.trim().is_empty())
                .all(|pair| pair.trim().split('=').next() == Some(CONSENT_COOKIE));
            if !only_consent {
                return None;
            }
            cookie_value(header, CONSENT_COOKIE)
        }
        _ => return None,
    };
    Some(ConsentState::of(consent, policy_version).token())
}

/// Pages, not files, health checks or server functions.
pub fn is_page_path(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path == "/healthz"
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.')))
}

/// Brotli when the client takes it, then gzip, else none; `;q=0` refuses an encoding.
fn preferred_encoding(headers: &HeaderMap) -> Encoding {
    let mut brotli = false;
    let mut gzip = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|param| {
                param
                    .trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            match name.to_ascii_lowercase().as_str() {
                "br" => brotli = true,
                "gzip" => gzip = true,
                _ => {}
            }
        }
    }
    if brotli {
        Encoding::Brotli
    } else if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn server_error() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
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

    #[test]
    fn visitors_with_a_cookie_other_than_consent_and_non_get_requests_bypass_the_cache() {
        let request = |method: Method, cookie: Option<&str>| {
            let mut builder = Request::builder()
                .method(method)
                .uri("/urun/keten-gomlek-elbise");
            if let Some(cookie) = cookie {
                builder = builder.header(header::COOKIE, cookie);
            }
            builder.body(Body::empty()).unwrap()
        };
        let version = "2026-11-26";
        let variant = |req: &Request| cacheable_variant(req, version);
        let visitor = "0123456789abcdef0123456789abcdef";
        assert_eq!(variant(&request(Method::GET, None)).as_deref(), Some("yok"));
        let chose = format!("lm_cerez={version}:100:{visitor}");
        assert_eq!(
            variant(&request(Method::GET, Some(&chose))).as_deref(),
            Some("100")
        );
        // Another visitor with the same choice shares the entry; an old policy's choice is
        // the same as none.
        let other = format!("lm_cerez={version}:100:{}", "f".repeat(32));
        assert_eq!(
            variant(&request(Method::GET, Some(&other))).as_deref(),
            Some("100")
        );
        let old = format!("lm_cerez=2020-01-01:111:{visitor}");
        assert_eq!(
            variant(&request(Method::GET, Some(&old))).as_deref(),
            Some("yok")
        );
        assert_eq!(variant(&request(Method::GET, Some("oturum=abc"))), None);
        assert_eq!(
            variant(&request(Method::GET, Some(&format!("{chose}; oturum=abc")))),
            None
        );
        assert_eq!(variant(&request(Method::POST, None)), None);
        assert_eq!(variant(&request(Method::HEAD, None)), None);
    }

    #[test]
    fn the_encoding_follows_accept_encoding() {
        assert_eq!(preferred_encoding(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(
            preferred_encoding(&accepting("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(preferred_encoding(&accepting("gzip")), Encoding::Gzip);
        assert_eq!(
            preferred_encoding(&accepting("br;q=0, gzip;q=0.5")),
            Encoding::Gzip
        );
        assert_eq!(
            preferred_encoding(&accepting("identity")),
            Encoding::Identity
        );
    }

    #[test]
    fn stored_forms_decompress_to_the_page() {
        let html = "<!DOCTYPE html><p>Keten gömlek elbise</p>".repeat(50);
        let page = CachedPage::new(
            HeaderValue::from_static("text/html; charset=utf-8"),
            Bytes::from(html.clone()),
        );
        let mut from_brotli = String::new();
        brotli::Decompressor::new(&page.brotli[..], 4096)
            .read_to_string(&mut from_brotli)
            .unwrap();
        let mut from_gzip = String::new();
        flate2::read::GzDecoder::new(&page.gzip[..])
            .read_to_string(&mut from_gzip)
            .unwrap();
        assert_eq!(from_brotli, html);
        assert_eq!(from_gzip, html);
        assert!(page.brotli.len() < html.len() / 5);
    }
}
