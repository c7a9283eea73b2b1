//! The page cache: the layer of every public page (`Caching::Public` in
//! `app::model::route::ROUTES`), and of nothing else. Private pages never reach it.
//!
//! A public page is the same for every visitor in the same cookie-choice state: the cart count
//! and everything personal live in the browser, and the CSP names the page's inline scripts by
//! hash rather than by a per-request nonce. The one thing such a page shows that depends on the
//! visitor is the cookie banner (shown, or hidden with the current choice ticked), so the
//! consent state is part of the key; other cookies (a member's session, later) change nothing
//! and are ignored. The rules that keep it correct and cheap:
//! - only the query parameters the route declares reach the page; the others are dropped
//!   before rendering, so they neither change the page nor make new entries;
//! - only GET requests are served from or stored in the cache, keyed by path, declared query
//!   and consent state (`ConsentState::token`, never the visitor id);
//! - only complete `200 text/html` pages are stored; errors and 404s are rendered every time;
//! - every entry belongs to one catalogue version, read from the database at most once per
//!   `VERSION_CHECK_INTERVAL` (a hit costs no database read): a catalogue change shows within
//!   that bound in every process;
//! - a miss costs a render and little more: the page is stored as it is and answered with gzip at
//!   its fastest level (about 0.1 ms for a page, where brotli's encoder costs 0.35 ms even at
//!   quality 4, mostly setting up its tables: as much as the render). It is compressed well
//!   (brotli 9 and gzip 9, once) when it is asked for a second time, so a flood of one-off
//!   addresses cannot make the server compress well for each of them;
//! - memory is bounded in entries and bytes: when either bound is reached the cache starts over.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

use app::backend::AppState;
use app::model::consent::{consent_cookie_in, ConsentState};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri},
    middleware::Next,
    response::Response,
};

/// Bounds the number of pages kept when addresses vary endlessly (a search for every word).
const MAX_ENTRIES: usize = 2048;
/// Bounds the memory the cache holds (pages and their compressed forms).
const MAX_CACHE_BYTES: usize = 64 * 1024 * 1024;
/// Larger pages are not kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;
/// Brotli quality for stored pages: paid once per page and version, so higher than the
/// per-response level the compression layer uses for everything else.
const BROTLI_QUALITY: u32 = 9;
/// A declared parameter's value longer than this is cut, and pairs beyond this many are dropped:
/// nothing the shop reads is longer or more, and what the query holds is part of the cache key
/// and echoed into the page (the cookie banner's return address).
const MAX_QUERY_VALUE_CHARS: usize = 200;
const MAX_QUERY_PAIRS: usize = 32;

/// How a public page may be kept by browsers and shared caches: stored, but asked for again
/// each time, because a price or a stock figure can change at any moment.
pub const PUBLIC_CACHE_CONTROL: &str = "public, no-cache";
/// Whether the answer came from the cache (`hit`) or was rendered (`miss`, `bypass`): for
/// operators and tests.
pub const CACHE_STATUS_HEADER: HeaderName = HeaderName::from_static("x-sayfa-onbellegi");

struct CachedPage {
    content_type: HeaderValue,
    identity: Bytes,
    /// Made on the page's second request; the requests that arrive meanwhile wait for it.
    compressed: tokio::sync::OnceCell<Compressed>,
}

struct Compressed {
    brotli: Bytes,
    gzip: Bytes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Identity,
    Brotli,
    Gzip,
}

impl Compressed {
    fn of(identity: &[u8]) -> Self {
        let mut brotli = Vec::with_capacity(identity.len() / 4);
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, BROTLI_QUALITY, 22);
            writer.write_all(identity).expect("writing to memory");
        }
        let mut gzip = flate2::write::GzEncoder::new(
            Vec::with_capacity(identity.len() / 3),
            flate2::Compression::best(),
        );
        gzip.write_all(identity).expect("writing to memory");
        let gzip = gzip.finish().expect("writing to memory");
        Self {
            brotli: brotli.into(),
            gzip: gzip.into(),
        }
    }
}

impl CachedPage {
    fn new(content_type: HeaderValue, identity: Bytes) -> Self {
        Self {
            content_type,
            identity,
            compressed: tokio::sync::OnceCell::new(),
        }
    }

    /// What the entry may cost in memory once compressed (brotli and gzip together stay well
    /// under half of the page).
    fn weight(&self) -> usize {
        self.identity.len() + self.identity.len() / 2
    }

    /// The entry's weight with its key.
    fn weight_with(&self, key: &str) -> usize {
        self.weight() + key.len()
    }

    /// Compresses the page once (off the async workers); later calls wait for that or find it
    /// done. The work runs in a task of its own, so a client that hangs up cannot leave it half
    /// done for the next request to start again. Without the compressed forms (the blocking
    /// pool failed) the page goes out as it is.
    async fn compress(self: &Arc<Self>) {
        if self.compressed.initialized() {
            return;
        }
        let page = self.clone();
        let _ = tokio::spawn(async move {
            let identity = page.identity.clone();
            let _ = page
                .compressed
                .get_or_try_init(|| tokio::task::spawn_blocking(move || Compressed::of(&identity)))
                .await;
        })
        .await;
    }

    /// The answer to the request that rendered the page: gzip at its fastest level.
    fn fast_gzip_response(&self) -> Response {
        let mut gzip = flate2::write::GzEncoder::new(
            Vec::with_capacity(self.identity.len() / 3),
            flate2::Compression::fast(),
        );
        gzip.write_all(&self.identity).expect("writing to memory");
        let body = gzip.finish().expect("writing to memory");
        let mut response = self.response(Encoding::Identity, "miss");
        *response.body_mut() = Body::from(body);
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        response
    }

    fn response(&self, encoding: Encoding, status: &'static str) -> Response {
        let stored = self.compressed.get();
        let (body, content_encoding) = match (encoding, stored) {
            (Encoding::Brotli, Some(stored)) => (stored.brotli.clone(), Some("br")),
            (Encoding::Gzip, Some(stored)) => (stored.gzip.clone(), Some("gzip")),
            _ => (self.identity.clone(), None),
        };
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        // The page depends on the consent cookie too (banner shown or not).
        headers.insert(
            header::VARY,
            HeaderValue::from_static("accept-encoding, cookie"),
        );
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PUBLIC_CACHE_CONTROL),
        );
        headers.insert(CACHE_STATUS_HEADER, HeaderValue::from_static(status));
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

/// The rendered public pages of this process, shared by every public route.
#[derive(Clone, Default)]
pub struct PageCache {
    inner: Arc<RwLock<Entries>>,
}

#[derive(Default)]
struct Entries {
    version: i64,
    pages: HashMap<String, Arc<CachedPage>>,
    bytes: usize,
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
        let weight = page.weight_with(&key);
        let full = entries.pages.len() >= MAX_ENTRIES || entries.bytes + weight > MAX_CACHE_BYTES;
        if entries.version != version || full {
            entries.pages.clear();
            entries.bytes = 0;
            entries.version = version;
        }
        entries.bytes += weight;
        if let Some(replaced) = entries.pages.insert(key.clone(), page) {
            entries.bytes -= replaced.weight_with(&key);
        }
    }
}

/// The layer of one public route: the shared cache, the state (for the catalogue version and
/// the cookie policy) and the query parameters the route declares.
#[derive(Clone)]
pub struct PublicRoute {
    pub cache: PageCache,
    pub state: AppState,
    pub query: &'static [&'static str],
}

/// Middleware for a public route, inside the compression layer: responses it encodes itself
/// pass through that layer untouched, everything else is compressed there as usual.
pub async fn apply(State(route): State<PublicRoute>, mut request: Request, next: Next) -> Response {
    keep_declared_query(&mut request, route.query);
    if request.method() != Method::GET {
        return public(next.run(request).await, "bypass");
    }
    let state = &route.state;
    let consent = consent_variant(request.headers(), &state.cookie_policy_version);
    let Ok(version) = state.catalogue.recent_version(&state.db).await else {
        // The page's own loader answers for a database that cannot be read.
        return public(next.run(request).await, "bypass");
    };
    let key = format!("{} {consent}", request.uri());
    let encoding = preferred_encoding(request.headers());

    if let Some(page) = route.cache.get(version, &key) {
        if encoding != Encoding::Identity {
            page.compress().await;
        }
        return page.response(encoding, "hit");
    }

    let takes_gzip = accepts_gzip(request.headers());
    // Kept only when rendered from a snapshot at least as new as the key's version: while a
    // load runs, a page may be answered from the snapshot held, which is older, and such a page
    // kept under the new version would be served until the catalogue changed again. Before
    // the first load (version 0 held) a page waits for the load: what it renders is current.
    let held = state.catalogue.held().version;
    let renders_current = held == 0 || held >= version;
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if response.status() != StatusCode::OK || !is_html {
        return public(response, "miss");
    }
    let content_type = response.headers()[header::CONTENT_TYPE].clone();
    // The page is already rendered in full (pages settle before the first byte): one too large
    // to keep is answered all the same, and not kept.
    let Ok(body) = axum::body::to_bytes(response.into_body(), usize::MAX).await else {
        return server_error();
    };
    let page = Arc::new(CachedPage::new(content_type, body));
    if page.identity.len() <= MAX_PAGE_BYTES {
        if renders_current {
            route.cache.put(version, key, page.clone());
        }
    } else {
        tracing::warn!(
            key,
            bytes = page.identity.len(),
            "a public page too large to keep"
        );
    }
    if takes_gzip {
        page.fast_gzip_response()
    } else {
        page.response(encoding, "miss")
    }
}

/// Marks a public route's rendered answer: a complete page may be kept (and asked for again),
/// anything else (a 404, a 503) is not kept at all.
fn public(mut response: Response, status: &'static str) -> Response {
    let cache_control = if response.status() == StatusCode::OK {
        PUBLIC_CACHE_CONTROL
    } else {
        "no-store"
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    // Rendered for this visitor's cookie choice (the banner shown or not).
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept-encoding, cookie"),
    );
    headers.insert(CACHE_STATUS_HEADER, HeaderValue::from_static(status));
    response
}

/// Drops every query parameter the route does not declare, and cuts overlong values, so that
/// the page (and the cache key) sees only what the page reads.
fn keep_declared_query(request: &mut Request, declared: &[&str]) {
    let Some(query) = request.uri().query() else {
        return;
    };
    let mut kept = form_urlencoded::Serializer::new(String::new());
    let declared_pairs = form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| declared.contains(&key.as_ref()))
        .take(MAX_QUERY_PAIRS);
    for (key, value) in declared_pairs {
        let value: String = value.chars().take(MAX_QUERY_VALUE_CHARS).collect();
        kept.append_pair(&key, &value);
    }
    let kept = kept.finish();
    let path = request.uri().path();
    let address = if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{kept}")
    };
    if let Ok(uri) = address.parse::<Uri>() {
        *request.uri_mut() = uri;
    }
}

/// The consent state's token (`ConsentState::token`): the part of the key that varies by
/// visitor. Any other cookie is ignored: public pages are the same for members and guests.
fn consent_variant(headers: &HeaderMap, policy_version: &str) -> String {
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok());
    ConsentState::of(consent_cookie_in(cookies), policy_version).token()
}

/// Brotli when the client takes it, then gzip, else none; `;q=0` refuses an encoding.
fn preferred_encoding(headers: &HeaderMap) -> Encoding {
    match accepted(headers) {
        (true, _) => Encoding::Brotli,
        (false, true) => Encoding::Gzip,
        (false, false) => Encoding::Identity,
    }
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    accepted(headers).1
}

/// Whether the client takes brotli and gzip.
fn accepted(headers: &HeaderMap) -> (bool, bool) {
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
    (brotli, gzip)
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
    fn the_key_varies_by_consent_state_and_by_nothing_else_a_visitor_sends() {
        let version = "2026-11-26";
        let variant = |cookie: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(cookie) = cookie {
                headers.insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
            }
            consent_variant(&headers, version)
        };
        let visitor = "0123456789abcdef0123456789abcdef";
        assert_eq!(variant(None), "yok");
        let chose = format!("lm_cerez={version}:100:{visitor}");
        assert_eq!(variant(Some(&chose)), "100");
        // Another visitor with the same choice shares the entry; an old policy's choice is
        // the same as none.
        let other = format!("lm_cerez={version}:100:{}", "f".repeat(32));
        assert_eq!(variant(Some(&other)), "100");
        let old = format!("lm_cerez=2020-01-01:111:{visitor}");
        assert_eq!(variant(Some(&old)), "yok");
        // A session (later, a member's) does not make a public page personal.
        assert_eq!(variant(Some("oturum=abc")), "yok");
        assert_eq!(variant(Some(&format!("{chose}; oturum=abc"))), "100");
    }

    #[test]
    fn only_declared_query_parameters_reach_the_page() {
        let declared = &["beden", "sayfa"];
        let address = |uri: &str| {
            let mut request = Request::get(uri).body(Body::empty()).unwrap();
            keep_declared_query(&mut request, declared);
            request.uri().to_string()
        };
        assert_eq!(
            address("/kategori/kadin?utm_source=x&beden=M&fbclid=1&sayfa=2"),
            "/kategori/kadin?beden=M&sayfa=2"
        );
        assert_eq!(address("/kategori/kadin?utm_source=x"), "/kategori/kadin");
        assert_eq!(address("/kategori/kadin"), "/kategori/kadin");
        let long = address(&format!("/kategori/kadin?beden={}", "x".repeat(60_000)));
        assert!(long.len() < 300, "{long}");
        let many = address(&format!("/kategori/kadin?{}", "beden=M&".repeat(5_000)));
        assert_eq!(many.matches("beden=M").count(), MAX_QUERY_PAIRS);
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
        let page = Compressed::of(html.as_bytes());
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

    #[test]
    fn the_cache_starts_over_when_its_bytes_are_spent() {
        let cache = PageCache::default();
        let page = |bytes: usize| {
            Arc::new(CachedPage::new(
                HeaderValue::from_static("text/html"),
                Bytes::from(vec![b'x'; bytes]),
            ))
        };
        let big = MAX_PAGE_BYTES;
        let fits = MAX_CACHE_BYTES / page(big).weight();
        for index in 0..fits {
            cache.put(1, format!("/{index}"), page(big));
        }
        assert!(cache.get(1, "/0").is_some());
        cache.put(1, "/one-more".into(), page(big));
        assert!(cache.get(1, "/0").is_none(), "started over");
        assert!(cache.get(1, "/one-more").is_some());
        assert!(cache.inner.read().unwrap().bytes <= MAX_CACHE_BYTES);
    }
}
