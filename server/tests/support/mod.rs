//! Shared by the HTTP tests: the real router on a real, migrated database.
#![allow(dead_code)]

pub mod html;
pub mod process;
pub mod shopper;
pub mod staff;

use app::backend::{AppState, Db};
use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use leptos::config::get_configuration;
use tower::ServiceExt;

pub fn router_for(db: Db) -> Router {
    let leptos_options = get_configuration(None).unwrap().leptos_options;
    let mut state = AppState::new(leptos_options, db);
    state.configure_payments("https://www.lesminoria.com".into(), false);
    server::router::build(state)
}

pub async fn get(router: &Router, path: &str) -> axum::response::Response {
    let request = Request::get(path).body(Body::empty()).unwrap();
    router.clone().oneshot(request).await.unwrap()
}

pub async fn body_text(response: axum::response::Response) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// GET that must answer `status`; returns the body.
pub async fn page(router: &Router, path: &str, status: StatusCode) -> String {
    let response = get(router, path).await;
    assert_eq!(response.status(), status, "{path}");
    body_text(response).await
}

/// The router on `db` with the state adjusted by `adjust` (policy version, seller identity…).
pub fn router_with(db: Db, adjust: impl FnOnce(&mut AppState)) -> Router {
    let leptos_options = get_configuration(None).unwrap().leptos_options;
    let mut state = AppState::new(leptos_options, db);
    state.configure_payments("https://www.lesminoria.com".into(), false);
    adjust(&mut state);
    server::router::build(state)
}

/// The shop's own origin, as the browser sends it on a form post.
pub const ORIGIN: &str = "https://www.lesminoria.com";

/// A form post from the shop's own page, from `ip` (as the socket would give it), carrying
/// `cookie` if any and any `extra` headers.
pub async fn post_form(
    router: &Router,
    path: &str,
    form: &[(&str, &str)],
    ip: &str,
    cookie: Option<&str>,
    extra: &[(&str, &str)],
) -> axum::response::Response {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", ORIGIN)
        .header("user-agent", "Testzilla/1.0 (server test)");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::from(body)).unwrap();
    let peer = std::net::SocketAddr::new(ip.parse().unwrap(), 40000);
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    router.clone().oneshot(request).await.unwrap()
}

/// GET with a `Cookie` header.
pub async fn get_with_cookie(
    router: &Router,
    path: &str,
    cookie: &str,
) -> axum::response::Response {
    let request = Request::get(path)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    router.clone().oneshot(request).await.unwrap()
}

/// A contact message that meets every rule, as the form posts it.
pub fn good_contact_form<'a>() -> Vec<(&'a str, &'a str)> {
    vec![
        ("konu", "siparis"),
        ("ad", "Ayşe Yılmaz"),
        ("eposta", "ayse@example.com"),
        ("siparis", "lm-1042"),
        ("mesaj", "Siparişim ne zaman kargoya verilir?"),
    ]
}
