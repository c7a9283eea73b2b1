//! Shared by the HTTP tests: the real router on a real, migrated database.
#![allow(dead_code)]

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
    state.public_url = "https://www.lesminoria.com".into();
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
