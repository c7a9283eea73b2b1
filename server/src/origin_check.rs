//! Cross-site request forgery guard: a state-changing request (anything but GET, HEAD and
//! OPTIONS) must say, through `Origin` (or, failing that, `Referer`), that it comes from one of
//! the shop's own pages. Browsers always send `Origin` on such requests; a page on another site
//! cannot forge it. SameSite=Lax cookies are the second line of defence.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The shop's public origin (`https://www.lesminoria.com`), besides the request's own host.
#[derive(Clone, Debug)]
pub struct OriginCheck {
    public_origin: String,
}

impl OriginCheck {
    pub fn new(public_url: &str) -> Self {
        Self {
            public_origin: origin_of(public_url).unwrap_or_default().to_string(),
        }
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
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
        // The address the browser used to reach us: the same host, over either scheme.
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let claimed_host = claimed.split_once("://").map(|(_, host)| host);
        host.is_some() && claimed_host == host
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
    if safe || check.allows(request.headers()) {
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
        let check = OriginCheck::new("https://www.lesminoria.com");
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
    }
}
