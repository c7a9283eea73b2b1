//! What a hostile address or request can make the shop write: input never becomes markup (titles,
//! meta tags, the cookie banner's return field), framework refusals reach a browser as the
//! shop's own page, and the deployment headers hold.

mod support;

use app::backend::{demo, testing::fresh_databases};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use support::html::{attributes, count, texts};
use support::{body_text, get, router_for, ORIGIN};
use tower::ServiceExt;

const INJECTION: &str =
    r#"</title><meta http-equiv="refresh" content="0;url=//elsewhere.example">"#;

fn encoded(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn request(
    router: &axum::Router,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> axum::response::Response {
    let mut builder = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    router
        .clone()
        .oneshot(builder.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap()
}

/// No element the input could have opened: no refresh, no script, nothing from elsewhere.
fn assert_no_injected_markup(html: &str, what: &str) {
    assert_eq!(
        count(html, "meta[http-equiv]"),
        0,
        "{what}: a meta refresh got in"
    );
    assert_eq!(count(html, "title"), 1, "{what}: one title");
    assert!(
        !attributes(html, "meta", "content")
            .iter()
            .any(|content| content.starts_with("0;url")),
        "{what}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_words_stay_text_in_the_title_and_meta_tags() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        for (path, words) in [("/arama", "Arama"), ("/en/search", "Search")] {
            let address = format!("{path}?q={}", encoded(INJECTION));
            let response = get(&router, &address).await;
            assert_eq!(response.status(), StatusCode::OK, "{address}");
            let html = body_text(response).await;
            assert_no_injected_markup(&html, &address);
            let title = texts(&html, "title").remove(0);
            assert!(
                title.starts_with(&format!("{words}: </title><meta")),
                "{title}"
            );
            let og_title = attributes(&html, r#"meta[property="og:title"]"#, "content");
            assert!(og_title[0].contains(INJECTION), "{og_title:?}");
            // The search box shows what was typed, as typed.
            let typed = attributes(&html, "input[type=search][name=q]", "value");
            assert!(typed.iter().any(|value| value == INJECTION), "{typed:?}");
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn category_filters_stay_text_in_links_and_meta_tags() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let address = format!(
            "/kategori/kadin?renk={0}&beden={0}&sirala={0}&sayfa={0}",
            encoded(INJECTION)
        );
        let response = get(&router, &address).await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = body_text(response).await;
        assert_no_injected_markup(&html, &address);
        for canonical in attributes(&html, r#"link[rel="canonical"]"#, "href") {
            assert!(
                canonical.starts_with("https://www.lesminoria.com/kategori/kadin"),
                "{canonical}"
            );
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cookie_banner_does_not_echo_a_long_query_string() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        // A private page (rendered for each request, every parameter kept) and the 404 page.
        let long = "x".repeat(7_000);
        for path in ["/iletisim/gonderildi", "/yok-boyle-bir-sayfa"] {
            let address = format!("{path}?ref={long}");
            let html = body_text(get(&router, &address).await).await;
            let back = attributes(&html, "input[name=geri]", "value");
            assert_eq!(back, vec![path.to_string()], "{path}");
            assert!(!html.contains(&long), "{path}: the query is echoed");
        }
        // A short query is kept, so the visitor returns to the same page.
        let html = body_text(get(&router, "/arama?q=elbise").await).await;
        assert_eq!(
            attributes(&html, "input[name=geri]", "value"),
            vec!["/arama?q=elbise"]
        );
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_written_below_the_shop_reach_a_browser_as_the_shops_page() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let browser = [("accept", "text/html,application/xhtml+xml,*/*;q=0.8")];
        let form = [
            ("accept", "text/html"),
            ("origin", ORIGIN),
            ("content-type", "application/x-www-form-urlencoded"),
        ];
        let too_long = "mesaj=".to_string() + &"a".repeat(70 * 1024);
        let cases = [
            // A method the address does not take (axum: 405, empty).
            (
                "DELETE",
                "/iletisim",
                &form[..],
                String::new(),
                405,
                "İstek anlaşılamadı",
            ),
            // A body over the limit (axum: 413 "Failed to buffer the request body").
            (
                "POST",
                "/cerez-tercihi",
                &form[..],
                too_long.clone(),
                413,
                "İstek çok uzun",
            ),
            (
                "POST",
                "/en/contact",
                &form[..],
                too_long,
                413,
                "Request too long",
            ),
            // Another site's form (403).
            (
                "POST",
                "/iletisim",
                &browser[..],
                "konu=soru".to_string(),
                403,
                "İstek reddedildi",
            ),
        ];
        for (method, path, headers, body, status, words) in cases {
            let response = request(&router, method, path, headers, &body).await;
            assert_eq!(response.status().as_u16(), status, "{method} {path}");
            assert!(
                response.headers()[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html"),
                "{method} {path}"
            );
            let html = body_text(response).await;
            assert_eq!(
                texts(&html, "h1"),
                vec![words.to_string()],
                "{method} {path}: {html}"
            );
            assert!(!html.to_lowercase().contains("failed to"), "{html}");
        }
        // An address longer than any the shop makes.
        let long = format!("/arama?q={}", "a".repeat(10_000));
        let response = request(&router, "GET", &long, &browser[..], "").await;
        assert_eq!(response.status(), StatusCode::URI_TOO_LONG);
        assert_eq!(
            texts(&body_text(response).await, "h1"),
            vec!["İstek çok uzun"]
        );
        // Bytes that are not UTF-8 in the address, and a query that is not even that.
        for path in [
            "/urun/%FF%FE",
            "/kategori/%C0%AF?sayfa=%FF",
            "/arama?q=%FF%FE%FD",
        ] {
            let response = request(&router, "GET", path, &browser[..], "").await;
            let status = response.status();
            assert!(
                status == StatusCode::OK
                    || status == StatusCode::NOT_FOUND
                    || status == StatusCode::BAD_REQUEST,
                "{path}: {status}"
            );
            assert!(
                response.headers()[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html"),
                "{path}"
            );
            let html = body_text(response).await;
            assert_eq!(count(&html, "h1"), 1, "{path}: {html}");
            assert!(!html.contains("Invalid"), "{path}: {html}");
        }
        // An island's fetch (no HTML asked for) keeps the plain text it shows as it is.
        let response = request(
            &router,
            "POST",
            "/api/sepet/gorunum",
            &[("origin", ORIGIN)],
            "not a cart",
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_from_a_foreign_host_or_a_cross_site_fetch_are_refused() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let choice = "secim=red&dil=tr&geri=%2F";
        let form = ("content-type", "application/x-www-form-urlencoded");
        // DNS rebinding: another name pointed at the shop's address, Host and Origin agreeing.
        let rebound = request(
            &router,
            "POST",
            "/cerez-tercihi",
            &[
                form,
                ("host", "rebind.example:3000"),
                ("origin", "http://rebind.example:3000"),
            ],
            choice,
        )
        .await;
        assert_eq!(rebound.status(), StatusCode::FORBIDDEN);
        // A browser that says the request comes from another site.
        let cross = request(
            &router,
            "POST",
            "/cerez-tercihi",
            &[form, ("origin", ORIGIN), ("sec-fetch-site", "cross-site")],
            choice,
        )
        .await;
        assert_eq!(cross.status(), StatusCode::FORBIDDEN);
        let own = request(
            &router,
            "POST",
            "/cerez-tercihi",
            &[form, ("origin", ORIGIN), ("sec-fetch-site", "same-origin")],
            choice,
        )
        .await;
        assert_eq!(own.status(), StatusCode::SEE_OTHER);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_shops_send_hsts_and_static_files_vary_by_encoding() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let page = get(&router, "/").await;
        assert_eq!(
            page.headers()[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000"
        );
        let plain = support::router_with(test.db.clone(), |state| {
            state.public_url = "http://127.0.0.1:3000".into()
        });
        let page = get(&plain, "/").await;
        assert!(!page
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY));

        // A site root with a file and its brotli copy, as build.sh leaves them.
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("favicon.svg"), "<svg/>".repeat(100)).unwrap();
        std::fs::write(site.path().join("favicon.svg.br"), b"\x1b\x00").unwrap();
        let root = site.path().display().to_string();
        let router = support::router_with(test.db.clone(), |state| {
            state.public_url = "https://www.lesminoria.com".into();
            state.leptos_options.site_root = root.as_str().into();
        });
        let icon = request(
            &router,
            "GET",
            "/favicon.svg",
            &[("accept-encoding", "br, gzip")],
            "",
        )
        .await;
        assert_eq!(icon.status(), StatusCode::OK);
        let vary: Vec<_> = icon.headers().get_all(header::VARY).iter().collect();
        assert!(
            vary.iter().any(|v| v
                .to_str()
                .unwrap()
                .to_lowercase()
                .contains("accept-encoding")),
            "{vary:?}"
        );
        test.finish().await;
    }
}
