//! Security headers on every response: pages, static files, server functions and error pages.
//!
//! The Content-Security-Policy allows scripts from our own origin only, plus the one inline
//! module script Leptos writes to start the WASM; that script carries a nonce that is fresh for
//! each request. `'wasm-unsafe-eval'` lets the browser compile our WASM and nothing else.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::{config::LeptosOptions, nonce::Nonce};

#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    /// Extra `connect-src` for `cargo leptos watch`'s live-reload websocket; empty otherwise.
    live_reload_source: Arc<str>,
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
        Self {
            live_reload_source: live_reload_source.into(),
        }
    }

    pub fn content_security_policy(&self, nonce: &str) -> String {
        format!(
            "default-src 'self'; \
             script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; \
             img-src 'self' data:; \
             font-src 'self'; \
             connect-src 'self'{live}; \
             object-src 'none'; \
             base-uri 'self'; \
             form-action 'self'; \
             frame-ancestors 'none'",
            live = self.live_reload_source
        )
    }
}

const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
     magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()";

/// Middleware: gives the request a fresh nonce (read by the page shell), then sets the headers
/// on whatever response comes back. A handler that sets one of these headers itself keeps its
/// own value.
pub async fn apply(
    State(policy): State<SecurityHeaders>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    let csp = policy.content_security_policy(&nonce);
    request.extensions_mut().insert(nonce);

    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: HeaderValue| {
        headers.entry(name).or_insert(value);
    };
    if let Ok(csp) = HeaderValue::from_str(&csp) {
        set(header::CONTENT_SECURITY_POLICY, csp);
    }
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
