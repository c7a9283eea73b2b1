//! Security headers on every response: pages, static files, server functions and error pages.
//!
//! The Content-Security-Policy allows scripts from our own origin only, plus the inline scripts
//! Leptos writes into every page (the module script that starts the WASM and the empty resource
//! tables), each named by its SHA-256. They are the same on every page of a build, so a hash pins it exactly while pages stay byte-identical between
//! visitors (a per-request nonce would make every response unique and uncacheable).
//! `'wasm-unsafe-eval'` lets the browser compile our WASM and nothing else.

use axum::{
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use leptos::config::LeptosOptions;
use sha2::{Digest, Sha256};

#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    content_security_policy: HeaderValue,
    /// Under `cargo leptos watch`: the live-reload port, and the policy with a `{reload}` slot
    /// for the websocket source of the address the developer opened.
    live_reload: Option<(u32, String)>,
    /// Whether the shop is served over TLS (its public URL is https): browsers are then told to
    /// use nothing else.
    strict_transport: bool,
}

/// One year, the shop's own host only: `includeSubDomains` would force TLS on hosts the shop
/// does not run, and `preload` is a decision for whoever owns the domain.
const STRICT_TRANSPORT: &str = "max-age=31536000";

impl SecurityHeaders {
    pub fn new(options: &LeptosOptions) -> Self {
        // cargo-leptos sets LEPTOS_WATCH only for `cargo leptos watch`, whose pages open a
        // websocket to the reload port.
        let watching = std::env::var("LEPTOS_WATCH").is_ok_and(|value| value == "true");
        Self::with_live_reload(options, watching)
    }

    pub fn with_live_reload(options: &LeptosOptions, watching: bool) -> Self {
        let script_hashes: String = app::inline_page_scripts(options)
            .iter()
            .map(|script| format!(" 'sha256-{}'", BASE64.encode(Sha256::digest(script))))
            .collect();
        let policy = |connect_extra: &str| {
            format!(
                "default-src 'self'; \
                 script-src 'self'{script_hashes} 'wasm-unsafe-eval'; \
                 style-src 'self'; \
                 img-src 'self' data:; \
                 font-src 'self'; \
                 connect-src 'self'{connect_extra}; \
                 object-src 'none'; \
                 base-uri 'self'; \
                 form-action 'self'; \
                 frame-ancestors 'none'"
            )
        };
        let live_reload = watching.then(|| {
            let port = options.reload_external_port.unwrap_or(options.reload_port);
            (port, policy(" {reload}"))
        });
        Self {
            content_security_policy: HeaderValue::from_str(&policy(""))
                .expect("the CSP is plain ASCII"),
            live_reload,
            strict_transport: false,
        }
    }

    /// Adds `Strict-Transport-Security` to every response when `https` (the public URL is one).
    pub fn with_strict_transport(mut self, https: bool) -> Self {
        self.strict_transport = https;
        self
    }

    /// The policy for a request to `host` (its `Host` header). Leptos's live-reload script
    /// connects to the reload port on the host name the page was opened with (`localhost`,
    /// `127.0.0.1`, a LAN address), so under watch the policy names that one.
    pub fn content_security_policy(&self, host: Option<&str>) -> HeaderValue {
        let Some((port, template)) = &self.live_reload else {
            return self.content_security_policy.clone();
        };
        let name = host
            .map(host_name)
            .filter(|name| is_plain_host(name))
            .unwrap_or("localhost");
        let source = format!("ws://{name}:{port} wss://{name}:{port}");
        HeaderValue::from_str(&template.replace("{reload}", &source))
            .unwrap_or_else(|_| self.content_security_policy.clone())
    }
}

/// `localhost` from `localhost:3000`, `[::1]` from `[::1]:3000`.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    }
}

/// Letters, digits, dots, dashes, and the brackets and colons of an IPv6 address: nothing that
/// could end a CSP source or start a new directive.
fn is_plain_host(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'))
}

const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
     magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()";

/// Middleware: sets the headers on whatever response comes back. A handler that sets one of
/// these headers itself keeps its own value.
pub async fn apply(
    State(policy): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: HeaderValue| {
        headers.entry(name).or_insert(value);
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        policy.content_security_policy(host.as_deref()),
    );
    set(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    set(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    set(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    set(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if policy.strict_transport {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_watch_the_live_reload_socket_of_the_opened_address_is_allowed() {
        let options = LeptosOptions::builder().output_name("lesminoria").build();
        let released = SecurityHeaders::with_live_reload(&options, false);
        let policy = released.content_security_policy(Some("localhost:3000"));
        assert!(!policy.to_str().unwrap().contains("ws://"), "{policy:?}");

        let watching = SecurityHeaders::with_live_reload(&options, true);
        for (host, source) in [
            ("localhost:3000", "ws://localhost:3001"),
            ("127.0.0.1:3000", "ws://127.0.0.1:3001"),
            ("[::1]:3000", "ws://[::1]:3001"),
        ] {
            let policy = watching.content_security_policy(Some(host));
            let policy = policy.to_str().unwrap();
            assert!(
                policy.contains(&format!("connect-src 'self' {source} ")),
                "{host}: {policy}"
            );
        }
        // A forged host cannot add to the policy.
        let forged = watching.content_security_policy(Some("evil; script-src *"));
        assert!(!forged.to_str().unwrap().contains("script-src *"));
    }
}
