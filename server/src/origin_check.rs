//! Cross-site request forgery guard: a state-changing request (anything but GET, HEAD and
//! OPTIONS) must say, through `Origin` (or, failing that, `Referer`), that it comes from one of
//! the shop's own pages, and a browser's `Sec-Fetch-Site`, when sent, must say `same-origin`.
//! Browsers always send `Origin` on such requests; a page on another site cannot forge it.
//! SameSite=Lax cookies are the second line of defence.
//!
//! "The shop's own" is a fixed list of addresses (the public origin and the listening address),
//! not whatever `Host` a request names: a site that points its own name at the shop's address
//! (DNS rebinding) sends matching `Host` and `Origin` headers of its own.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The shop's public origin (`https://www.lesminoria.com`) and the hosts it answers on directly.
#[derive(Clone, Debug)]
pub struct OriginCheck {
    public_origin: String,
    /// `host[:port]` forms a browser may reach the server by without the public URL: the
    /// listening address and, on a loopback address, `localhost` with the same port (what a
    /// developer opens under `cargo leptos watch`).
    own_hosts: Vec<String>,
    /// Paths posted to from elsewhere: a payment provider's (the browser's return, the
    /// webhook), believed only after a signed, server-side retrieve, and a mail client's
    /// one-click unsubscribe, whose link is signed. They change nothing another site could forge.
    signed_elsewhere: Vec<String>,
}

impl OriginCheck {
    pub fn new(public_url: &str, site_addr: std::net::SocketAddr) -> Self {
        let port = site_addr.port();
        let mut own_hosts = vec![site_addr.to_string()];
        if site_addr.ip().is_loopback() || site_addr.ip().is_unspecified() {
            // Listening on every address (0.0.0.0, [::]): no browser names that address, so
            // only the public URL and this machine's own names can be trusted (server::run
            // warns when no public URL is set).
            own_hosts.extend([
                format!("localhost:{port}"),
                format!("127.0.0.1:{port}"),
                format!("[::1]:{port}"),
            ]);
        }
        Self {
            public_origin: origin_of(public_url).unwrap_or_default().to_string(),
            own_hosts,
            signed_elsewhere: std::iter::once(app::wire::checkout::WEBHOOK_PATH.to_string())
                .chain(app::model::Locale::ALL.map(app::wire::checkout::result_path))
                // Mail clients post a one-click unsubscribe from their own servers (RFC 8058);
                // the link's signature names the member and channel it may withdraw.
                .chain(
                    app::model::Locale::ALL
                        .map(|locale| locale.path(&app::model::Page::Unsubscribe)),
                )
                .collect(),
        }
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
        let fetch_site = headers
            .get("sec-fetch-site")
            .and_then(|value| value.to_str().ok());
        if fetch_site.is_some_and(|site| site != "same-origin") {
            return false;
        }
        let claimed = headers
            .get(header::ORIGIN)
            .or_else(|| headers.get(header::REFERER))
            .and_then(|value| value.to_str().ok())
            .and_then(origin_of);
        let Some(claimed) = claimed else {
            return false;
        };
        if claimed == self.public_origin {
            return true;
        }
        // One of the shop's own addresses, reached directly, over either scheme; and the request
        // was sent to that same address.
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let claimed_host = claimed.split_once("://").map(|(_, host)| host);
        claimed_host.is_some_and(|claimed| {
            host == Some(claimed) && self.own_hosts.iter().any(|own| own == claimed)
        })
    }
}

/// `scheme://host[:port]` of a URL, or `None` when it is not an http(s) URL.
fn origin_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    (host_len > 0).then(|| &url[..url.len() - rest.len() + host_len])
}

pub async fn apply(State(check): State<OriginCheck>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let provider_path = check
        .signed_elsewhere
        .iter()
        .any(|path| path == request.uri().path());
    if safe || provider_path || check.allows(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = request.uri().path(),
        origin = ?request.headers().get(header::ORIGIN),
        "refused a state-changing request from another origin"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Bu istek reddedildi: işlem yalnızca Les Minoria sayfalarından yapılabilir.\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn origins_are_read_from_urls() {
        assert_eq!(
            origin_of("https://www.lesminoria.com"),
            Some("https://www.lesminoria.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000/sepet?x=1"),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("https://"), None);
    }

    #[test]
    fn own_pages_pass_and_other_sites_do_not() {
        let check = OriginCheck::new(
            "https://www.lesminoria.com",
            "127.0.0.1:3000".parse().unwrap(),
        );
        let public = headers(&[(header::ORIGIN, "https://www.lesminoria.com")]);
        assert!(check.allows(&public));
        let same_host = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "http://127.0.0.1:3000"),
        ]);
        assert!(check.allows(&same_host));
        let by_referer = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::REFERER, "http://127.0.0.1:3000/urun/x"),
        ]);
        assert!(check.allows(&by_referer));
        let evil = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "https://kotu.example"),
        ]);
        assert!(!check.allows(&evil));
        let lookalike = headers(&[(header::ORIGIN, "https://www.lesminoria.com.kotu.example")]);
        assert!(!check.allows(&lookalike));
        assert!(!check.allows(&headers(&[(header::HOST, "127.0.0.1:3000")])));
        let opaque = headers(&[(header::HOST, "127.0.0.1:3000"), (header::ORIGIN, "null")]);
        assert!(!check.allows(&opaque));
        let developer = headers(&[
            (header::HOST, "localhost:3000"),
            (header::ORIGIN, "http://localhost:3000"),
        ]);
        assert!(check.allows(&developer));
    }

    #[test]
    fn a_shop_listening_on_every_address_trusts_its_public_url_and_this_machine() {
        let check = OriginCheck::new(
            "https://www.lesminoria.com",
            "0.0.0.0:3000".parse().unwrap(),
        );
        let local = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "http://127.0.0.1:3000"),
        ]);
        assert!(check.allows(&local));
        let public = headers(&[(header::ORIGIN, "https://www.lesminoria.com")]);
        assert!(check.allows(&public));
        let lan = headers(&[
            (header::HOST, "192.168.1.20:3000"),
            (header::ORIGIN, "http://192.168.1.20:3000"),
        ]);
        assert!(
            !check.allows(&lan),
            "a LAN name must be the public URL to be trusted"
        );
    }

    #[test]
    fn a_foreign_host_is_not_trusted_even_when_origin_matches_it() {
        // DNS rebinding: rebind.kotu.example resolves to the shop's address; the browser sends
        // that name as Host and as Origin.
        let check = OriginCheck::new(
            "https://www.lesminoria.com",
            "127.0.0.1:3000".parse().unwrap(),
        );
        let rebound = headers(&[
            (header::HOST, "rebind.kotu.example:3000"),
            (header::ORIGIN, "http://rebind.kotu.example:3000"),
        ]);
        assert!(!check.allows(&rebound));
    }

    #[test]
    fn a_browser_saying_cross_site_is_refused_whatever_origin_says() {
        let check = OriginCheck::new(
            "https://www.lesminoria.com",
            "127.0.0.1:3000".parse().unwrap(),
        );
        let own = (header::ORIGIN, "https://www.lesminoria.com");
        let site = header::HeaderName::from_static("sec-fetch-site");
        assert!(check.allows(&headers(&[own.clone(), (site.clone(), "same-origin")])));
        assert!(!check.allows(&headers(&[own.clone(), (site.clone(), "cross-site")])));
        assert!(!check.allows(&headers(&[own, (site, "same-site")])));
    }
}
