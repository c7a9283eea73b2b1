//! The router in-process, on a real database per test: health, pages, 404, headers, compression.

mod support;

use app::backend::testing::fresh_databases;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use support::{body_text, get, router_for};
use tower::ServiceExt;

fn assert_security_headers(response: &axum::response::Response, what: &str) {
    let headers = response.headers();
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(
        headers[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin",
        "{what}"
    );
    assert!(headers.contains_key("permissions-policy"), "{what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_ok_while_the_database_answers_and_503_once_it_is_gone() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let response = get(&router, "/healthz").await;
        assert_eq!(response.status(), StatusCode::OK, "{}", test.label);
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        assert_security_headers(&response, "healthz");
        assert_eq!(body_text(response).await, "ok\n");

        test.db.close().await;
        let response = get(&router, "/healthz").await;
        assert_eq!(
            response.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            test.label
        );
        assert_eq!(body_text(response).await, "database unavailable\n");
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_is_complete_turkish_html_with_the_shell() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let response = get(&router, "/").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_security_headers(&response, "home");
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        let html = body_text(response).await;
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(html.contains(r#"<html lang="tr""#), "{html}");
        assert!(html.contains("<title>Les Minoria</title>"), "{html}");
        assert!(html.contains("LES MENÜ"));
        assert!(html.contains("Alışveriş Sepetim"));
        assert!(html.contains("hello@lesminoria.com"));
        assert!(html.contains(r#"href="/gizlilik-ve-cerez-politikasi""#));
        assert!(
            html.contains("<leptos-island"),
            "the menu island is rendered"
        );

        // The inline hydration script carries the nonce the CSP header names.
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("CSP names a nonce");
        assert!(nonce.len() >= 16, "{nonce}");
        assert!(html.contains(&format!(r#"nonce="{nonce}""#)), "{html}");
        test.finish().await;
    }
}

/// The nonce the CSP header names, and the nonces the page's tags carry.
async fn nonces(response: axum::response::Response) -> (String, Vec<String>) {
    let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    let in_header = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap()
        .to_string();
    let html = body_text(response).await;
    let in_page = html
        .split(r#"nonce=""#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect();
    (in_header, in_page)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_gets_a_fresh_nonce_even_from_the_page_cache() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        // The second and third requests are served from the page cache.
        let mut seen = Vec::new();
        for _ in 0..3 {
            let (in_header, in_page) = nonces(get(&router, "/").await).await;
            assert!(!in_page.is_empty());
            assert!(
                in_page.iter().all(|n| *n == in_header),
                "{in_header} vs {in_page:?}"
            );
            assert!(!seen.contains(&in_header), "nonce reused");
            seen.push(in_header);
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitors_with_cookies_are_never_served_from_the_page_cache() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        get(&router, "/").await; // fills the cache
        let request = Request::get("/")
            .header(header::COOKIE, "oturum=abc")
            .body(Body::empty())
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        let (in_header, in_page) = nonces(response).await;
        assert!(in_page.iter().all(|n| *n == in_header));
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_addresses_get_the_404_page_with_status_404() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        for path in ["/boyle-bir-sayfa-yok", "/urun/olmayan/derin/adres"] {
            let response = get(&router, path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert_security_headers(&response, path);
            let html = body_text(response).await;
            assert!(
                html.contains("Aradığınız sayfa bulunamadı"),
                "{path}: {html}"
            );
            assert!(
                html.contains(r#"<meta name="robots" content="noindex""#),
                "{html}"
            );
            assert!(html.contains("LES MENÜ"), "the 404 page keeps the shell");
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legal_pages_are_linked_and_exist() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        for (path, title) in [
            (
                "/gizlilik-ve-cerez-politikasi",
                "Gizlilik ve Çerez Politikası",
            ),
            ("/kvkk-aydinlatma-metni", "KVKK Aydınlatma Metni"),
            ("/mesafeli-satis-sozlesmesi", "Mesafeli Satış Sözleşmesi"),
            ("/iade-ve-cayma", "İade ve Cayma"),
            ("/iletisim", "İletişim"),
        ] {
            let response = get(&router, path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let html = body_text(response).await;
            assert!(
                html.contains(&format!("<title>{title} | Les Minoria</title>")),
                "{path}: {html}"
            );
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_for_browsers_that_ask() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        for (accept, expected) in [("br", "br"), ("gzip", "gzip")] {
            let request = Request::get("/")
                .header(header::ACCEPT_ENCODING, accept)
                .body(Body::empty())
                .unwrap();
            let response = router.clone().oneshot(request).await.unwrap();
            assert_eq!(response.headers()[header::CONTENT_ENCODING], expected);
        }
        test.finish().await;
    }
}
