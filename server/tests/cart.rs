//! Pricing the cart through HTTP, as the islands call it (`POST /api/sepet/gorunum`), on a real database (SQLite always,
//! PostgreSQL when TEST_POSTGRES_URL is set): prices come from the database, forged payloads
//! are corrected or refused plainly, never answered with a 500 or a figure from the client.

mod support;

use app::backend::{demo, testing::fresh_databases, Db};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use support::html::count;
use support::{body_text, router_for};
use tower::ServiceExt;

const ORIGIN: &str = "https://www.lesminoria.com";

/// Two variants of the linen dress: one with 5 in stock, one sold out; and the price of both.
async fn prepare(db: &Db) -> (i64, i64, i64) {
    demo::seed_if_empty(db).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id \
         WHERE p.slug = 'keten-gomlek-elbise' ORDER BY v.id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let (in_stock, sold_out) = (ids[0], ids[1]);
    for (id, stock) in [(in_stock, 5_i64), (sold_out, 0)] {
        sqlx::query("UPDATE variants SET stock = $1 WHERE id = $2")
            .bind(stock)
            .bind(id)
            .execute(db.pool())
            .await
            .unwrap();
    }
    let price: i64 = sqlx::query_scalar("SELECT price_kurus FROM variants WHERE id = $1")
        .bind(in_stock)
        .fetch_one(db.pool())
        .await
        .unwrap();
    (in_stock, sold_out, price)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_prices_from_the_database_and_lists_its_corrections() {
    for test in fresh_databases().await {
        let (in_stock, sold_out, unit) = prepare(&test.db).await;
        let router = router_for(test.db.clone());
        let body = format!("1|{in_stock}x2@1,{sold_out}x1");
        let response = view(&router, "?dil=tr&gorunum=sayfa", &body, Some(ORIGIN)).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", test.label);
        assert_eq!(
            response.headers()["x-sepet"],
            format!("1|{in_stock}x2@{unit}").as_str(),
            "{}: the sold-out line dropped, the database's price kept",
            test.label
        );
        let html = body_text(response).await;
        assert_eq!(count(&html, ".cart-line"), 1, "{html}");
        assert!(html.contains("Keten Gömlek Elbise"), "{html}");
        assert!(html.contains(&lira(unit * 2)), "the subtotal: {html}");
        assert!(html.contains("fiyatı 0,01 TL iken"), "{html}");
        assert!(html.contains("tükendi ve sepetinizden çıkarıldı"), "{html}");

        // A price changed in the database is the next answer's price.
        sqlx::query("UPDATE variants SET price_kurus = price_kurus - 10000 WHERE id = $1")
            .bind(in_stock)
            .execute(test.db.pool())
            .await
            .unwrap();
        let body = format!("1|{in_stock}x1@{unit}");
        let response = view(&router, "?dil=en&gorunum=sayfa", &body, Some(ORIGIN)).await;
        assert_eq!(
            response.headers()["x-sepet"],
            format!("1|{in_stock}x1@{}", unit - 10_000).as_str()
        );
        let html = body_text(response).await;
        assert!(html.contains("Linen Shirt Dress"), "{html}");
        let english_price = app::model::Money(unit - 10_000).format(app::model::Locale::En);
        assert!(html.contains(&english_price), "{html}");
        test.finish().await;
    }
}

/// An amount as the Turkish cart shows it (`1.299,90 TL`).
fn lira(kurus: i64) -> String {
    app::model::Money(kurus).format(app::model::Locale::Tr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_payloads_are_corrected_never_trusted() {
    for test in fresh_databases().await {
        let (in_stock, _, unit) = prepare(&test.db).await;
        let router = router_for(test.db.clone());
        let forged =
            format!("1|{in_stock}x0,{in_stock}x900000000000@1,{in_stock}x1,987654321x1,-1x1");
        let response = view(&router, "?dil=tr&gorunum=sayfa", &forged, Some(ORIGIN)).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", test.label);
        assert_eq!(
            response.headers()["x-sepet"],
            format!("1|{in_stock}x5@{unit}").as_str(),
            "{}: one line, cut to the stock, at the database's price",
            test.label
        );
        let html = body_text(response).await;
        assert_eq!(count(&html, ".cart-line"), 1, "{html}");
        assert!(html.contains(&lira(unit * 5)), "{html}");
        // A thousand lines: answered, cut.
        let flood: Vec<String> = (0..1_000).map(|i| format!("{i}x1")).collect();
        let response = view(
            &router,
            "?dil=tr&gorunum=sayfa",
            &format!("1|{}", flood.join(",")),
            Some(ORIGIN),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        let items = response.headers()["x-sepet"].to_str().unwrap().to_string();
        assert!(items.split(',').count() <= 50, "{items}");
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_from_other_sites_or_without_an_origin_are_refused() {
    for test in fresh_databases().await {
        let (in_stock, _, _) = prepare(&test.db).await;
        let router = router_for(test.db.clone());
        let body = format!("1|{in_stock}x1");
        for origin in [Some("https://kotu.example"), Some("null"), None] {
            let response = view(&router, "?gorunum=sayfa", &body, origin).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin:?}");
            assert!(body_text(response).await.contains("Les Minoria"));
        }
        test.finish().await;
    }
}

/// The islands' view of the cart: `POST /api/sepet/gorunum` with the cart as one line of text.
async fn view(
    router: &Router,
    query: &str,
    body: &str,
    origin: Option<&str>,
) -> axum::response::Response {
    let mut request = Request::post(format!("/api/sepet/gorunum{query}"))
        .header(header::CONTENT_TYPE, "text/plain;charset=utf-8");
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    router
        .clone()
        .oneshot(request.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cart_page_view_is_html_priced_by_the_server() {
    for test in fresh_databases().await {
        let (in_stock, sold_out, unit) = prepare(&test.db).await;
        let router = router_for(test.db.clone());
        let body = format!("1|{in_stock}x9@1,{sold_out}x1");
        let response = view(&router, "?dil=tr&gorunum=sayfa", &body, Some(ORIGIN)).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", test.label);
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        assert_eq!(
            response.headers()["x-sepet"],
            format!("1|{in_stock}x5@{unit}").as_str(),
            "cut to the stock, at the database's price"
        );
        let html = body_text(response).await;
        assert!(html.contains("Sepetinizde değişiklik var"), "{html}");
        assert!(html.contains("stokta yalnızca 5 adet var"), "{html}");
        assert!(html.contains("fiyatı 0,01 TL iken"), "{html}");
        assert!(html.contains("tükendi ve sepetinizden çıkarıldı"), "{html}");
        assert_eq!(count(&html, ".cart-line"), 1);

        let english = view(&router, "?dil=en&gorunum=sayfa", "1|", Some(ORIGIN)).await;
        assert_eq!(english.headers()["x-sepet"], "1|");
        assert!(body_text(english).await.contains("Your cart is empty."));
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_a_sold_out_variant_is_refused_with_its_reason() {
    for test in fresh_databases().await {
        let (in_stock, sold_out, _) = prepare(&test.db).await;
        let router = router_for(test.db.clone());
        let refused = view(
            &router,
            &format!("?dil=tr&gorunum=ekle&varyant={sold_out}"),
            &format!("1|{sold_out}x1"),
            Some(ORIGIN),
        )
        .await;
        assert_eq!(
            refused.headers()["x-sepet-durum"],
            "reddedildi",
            "{}",
            test.label
        );
        assert_eq!(refused.headers()["x-sepet"], "1|");
        assert!(body_text(refused).await.contains("tükendi"));

        let added = view(
            &router,
            &format!("?dil=tr&gorunum=ekle&varyant={in_stock}"),
            &format!("1|{in_stock}x1"),
            Some(ORIGIN),
        )
        .await;
        assert_eq!(added.headers()["x-sepet-durum"], "eklendi");
        let html = body_text(added).await;
        assert!(html.contains("Sepete eklendi"), "{html}");
        assert!(html.contains("Keten Gömlek Elbise"), "{html}");
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cart_view_request_that_does_not_parse_is_refused_plainly() {
    for test in fresh_databases().await {
        prepare(&test.db).await;
        let router = router_for(test.db.clone());
        for body in ["", "{\"v\":1}", "1|bir x iki", "2|5x1", "1|5x1,"] {
            let response = view(&router, "?gorunum=sayfa", body, Some(ORIGIN)).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body:?}");
            assert_eq!(body_text(response).await, "Sepet okunamadı.\n");
        }
        let huge = format!("1|{}", vec!["1x1"; 10_000].join(","));
        let response = view(&router, "?gorunum=sayfa", &huge, Some(ORIGIN)).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let response = view(&router, "?gorunum=sayfa", "1|", None).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        test.finish().await;
    }
}
