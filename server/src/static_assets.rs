//! Cache headers for static files. The JS, WASM and CSS under `/pkg/` carry a content hash in
//! their names when cargo-leptos builds with `hash-files` (release), so browsers may keep them
//! for a year; without hashes they must be revalidated. Other public files (icons, images) are
//! not hashed and are cached for a day.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

#[derive(Clone, Debug)]
pub struct CachePolicy {
    /// `/pkg/` (with the leading and trailing slash).
    pkg_prefix: String,
    hashed: bool,
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
const ONE_DAY: &str = "public, max-age=86400";

/// Public files that are not pages: recognised by extension.
const ASSET_EXTENSIONS: [&str; 10] = [
    "svg", "png", "jpg", "jpeg", "webp", "avif", "ico", "woff2", "css", "js",
];

impl CachePolicy {
    pub fn new(site_pkg_dir: &str, hashed: bool) -> Self {
        Self {
            pkg_prefix: format!("/{}/", site_pkg_dir.trim_matches('/')),
            hashed,
        }
    }

    pub fn for_path(&self, path: &str) -> Option<&'static str> {
        if path.starts_with(&self.pkg_prefix) {
            return Some(if self.hashed { IMMUTABLE } else { REVALIDATE });
        }
        let extension = path.rsplit_once('.').map(|(_, ext)| ext)?;
        ASSET_EXTENSIONS
            .iter()
            .any(|known| extension.eq_ignore_ascii_case(known))
            .then_some(ONE_DAY)
    }
}

/// Middleware: adds `Cache-Control` to successful static-file responses, and
/// `Vary: Accept-Encoding`: the same address is answered from the `.br`, the `.gz` or the plain
/// file by what the browser accepts, and a shared cache that did not know would hand brotli to
/// a client that cannot read it.
pub async fn apply(State(policy): State<CachePolicy>, request: Request, next: Next) -> Response {
    let cache = policy.for_path(request.uri().path());
    let mut response = next.run(request).await;
    if let Some(value) = cache {
        if response.status().is_success() || response.status().as_u16() == 304 {
            let headers = response.headers_mut();
            headers
                .entry(header::CACHE_CONTROL)
                .or_insert(HeaderValue::from_static(value));
            let varies = headers.get_all(header::VARY).iter().any(|vary| {
                vary.to_str()
                    .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
            });
            if !varies {
                headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_packages_are_immutable_and_unhashed_ones_revalidate() {
        let hashed = CachePolicy::new("pkg", true);
        assert_eq!(
            hashed.for_path("/pkg/lesminoria.abc123.wasm"),
            Some(IMMUTABLE)
        );
        let unhashed = CachePolicy::new("pkg", false);
        assert_eq!(unhashed.for_path("/pkg/lesminoria.wasm"), Some(REVALIDATE));
    }

    #[test]
    fn public_files_are_cached_for_a_day_and_pages_not_at_all() {
        let policy = CachePolicy::new("pkg", true);
        assert_eq!(policy.for_path("/favicon.svg"), Some(ONE_DAY));
        assert_eq!(policy.for_path("/img/urun/elbise-1.WEBP"), Some(ONE_DAY));
        assert_eq!(policy.for_path("/"), None);
        assert_eq!(policy.for_path("/urun/keten-gomlek"), None);
        assert_eq!(policy.for_path("/healthz"), None);
    }
}
