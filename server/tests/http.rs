//! The router in-process, on a real database per test: health, pages, 404, headers, compression.

mod support;

use app::backend::testing::fresh_databases;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use std::io::Read;
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

        assert_inline_scripts_allowed(&html, &csp, "/");
        let nonces = support::html::attributes(&html, "[nonce]", "nonce");
        assert!(
            nonces.iter().all(String::is_empty),
            "no per-request nonce in pages: {nonces:?}"
        );
        test.finish().await;
    }
}

/// Every inline script of the page is one the CSP names by hash, so the browser runs it.
fn assert_inline_scripts_allowed(html: &str, csp: &str, what: &str) {
    let inline = app::inline_script_texts(html);
    assert!(
        inline.iter().any(|script| script.contains("hydrate")),
        "{what}: the WASM loader: {inline:#?}"
    );
    let allowed = csp_hashes(csp);
    for script in &inline {
        let hash = BASE64.encode(Sha256::digest(script));
        assert!(
            allowed.contains(&hash),
            "{what}: {script:?} not allowed by {csp}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_page_runs_only_scripts_the_csp_allows() {
    for test in fresh_databases().await {
        app::backend::demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        for path in [
            "/",
            "/kategori/kadin?beden=M&siralama=fiyat-artan",
            "/urun/keten-gomlek-elbise",
            "/arama?q=gomlek",
            "/arama?q=bulunmayan",
            "/sepet",
            "/iletisim",
            "/en/product/keten-gomlek-elbise",
            "/olmayan-sayfa",
        ] {
            // With a cookie too: that response is rendered, not cached.
            for cookie in [None, Some("oturum=abc")] {
                let mut headers = Vec::new();
                if let Some(cookie) = cookie {
                    headers.push(("cookie", cookie));
                }
                let response = fetch(&router, path, &headers).await;
                let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
                    .to_str()
                    .unwrap()
                    .to_string();
                let html = body_text(response).await;
                assert_inline_scripts_allowed(&html, &csp, path);
            }
        }
        test.finish().await;
    }
}

/// The `'sha256-…'` sources a CSP names.
fn csp_hashes(csp: &str) -> Vec<String> {
    csp.split("'sha256-")
        .skip(1)
        .filter_map(|rest| rest.split('\'').next())
        .map(str::to_string)
        .collect()
}

async fn fetch(
    router: &axum::Router,
    path: &str,
    headers: &[(&str, &str)],
) -> axum::response::Response {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn bytes(response: axum::response::Response) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_pages_are_the_same_page_in_every_encoding() {
    for test in fresh_databases().await {
        app::backend::demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let path = "/urun/keten-gomlek-elbise";
        // The first request renders, the others come from the page cache.
        let first = fetch(&router, path, &[]).await;
        assert_eq!(first.status(), StatusCode::OK);
        let csp = first.headers()[header::CONTENT_SECURITY_POLICY].clone();
        let rendered = bytes(first).await;
        let again = fetch(&router, path, &[]).await;
        assert_eq!(again.headers()[header::CONTENT_SECURITY_POLICY], csp);
        assert_eq!(again.headers()[header::VARY], "accept-encoding, cookie");
        assert_eq!(bytes(again).await, rendered, "{}", test.label);

        let br = fetch(&router, path, &[("accept-encoding", "gzip, deflate, br")]).await;
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert!(br.headers().contains_key(header::CONTENT_SECURITY_POLICY));
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&bytes(br).await[..], 4096)
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, rendered);

        let gz = fetch(&router, path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&bytes(gz).await[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, rendered);
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
