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
}

impl SecurityHeaders {
    pub fn new(options: &LeptosOptions) -> Self {
        // cargo-leptos sets LEPTOS_WATCH only for `cargo leptos watch`, whose pages open a
        // websocket to the reload port.
        let watching = std::env::var("LEPTOS_WATCH").is_ok_and(|value| value == "true");
        let live_reload_source = if watching {
            let port = options.reload_external_port.unwrap_or(options.reload_port);
            format!(" ws://{}:{port}", options.site_addr.ip())
        } else {
            String::new()
        };
        let script_hashes: String = app::inline_page_scripts(options)
            .iter()
            .map(|script| format!(" 'sha256-{}'", BASE64.encode(Sha256::digest(script))))
            .collect();
        let policy = format!(
            "default-src 'self'; \
             script-src 'self'{script_hashes} 'wasm-unsafe-eval'; \
             style-src 'self'; \
             img-src 'self' data:; \
             font-src 'self'; \
             connect-src 'self'{live_reload_source}; \
             object-src 'none'; \
             base-uri 'self'; \
             form-action 'self'; \
             frame-ancestors 'none'"
        );
        Self {
            content_security_policy: HeaderValue::from_str(&policy)
                .expect("the CSP is plain ASCII"),
        }
    }

    pub fn content_security_policy(&self) -> &HeaderValue {
        &self.content_security_policy
    }
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
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: HeaderValue| {
        headers.entry(name).or_insert(value);
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        policy.content_security_policy.clone(),
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
    response
}
