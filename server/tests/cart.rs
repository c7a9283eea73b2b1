//! Pricing the cart through HTTP, as the browser calls it, on a real database (SQLite always,
//! PostgreSQL when TEST_POSTGRES_URL is set): prices come from the database, forged payloads
//! are corrected or refused plainly, never answered with a 500 or a figure from the client.

mod support;

use app::backend::{demo, testing::fresh_databases, Db};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use serde_json::{json, Value};
use support::{body_text, router_for};
use tower::ServiceExt;

const ENDPOINT: &str = "/api/sepet/fiyatla";
const ORIGIN: &str = "https://www.lesminoria.com";

async fn post(router: &Router, body: String, origin: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::post(ENDPOINT)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json");
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    (status, body_text(response).await)
}

async fn price(router: &Router, payload: Value) -> Value {
    let (status, body) = post(router, payload.to_string(), Some(ORIGIN)).await;
    assert_eq!(status, StatusCode::OK, "{payload}: {body}");
    serde_json::from_str(&body).unwrap()
}

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

fn correction_kinds(cart: &Value) -> Vec<String> {
    cart["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| match &c["kind"] {
            Value::String(kind) => kind.clone(),
            Value::Object(map) => map.keys().next().unwrap().clone(),
            other => panic!("{other}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_prices_from_the_database_and_lists_its_corrections() {
    for test in fresh_databases().await {
        let (in_stock, sold_out, unit) = prepare(&test.db).await;
        let router = router_for(test.db.clone());
        let cart = price(
            &router,
            json!({"locale": "Tr", "items": [
                {"variant_id": in_stock, "quantity": 2, "seen_price": 1},
                {"variant_id": sold_out, "quantity": 1},
            ]}),
        )
        .await;
        let lines = cart["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 1, "{}: {cart}", test.label);
        assert_eq!(lines[0]["unit_price"], unit);
        assert_eq!(lines[0]["quantity"], 2);
        assert_eq!(lines[0]["name"], "Keten Gömlek Elbise");
        assert_eq!(cart["totals"]["subtotal"], unit * 2);
        assert_eq!(
            correction_kinds(&cart),
            vec!["PriceChanged", "SoldOut"],
            "{}",
            test.label
        );

        // A price changed in the database is the next answer's price.
        sqlx::query("UPDATE variants SET price_kurus = price_kurus - 10000 WHERE id = $1")
            .bind(in_stock)
            .execute(test.db.pool())
            .await
            .unwrap();
        let cart = price(
            &router,
            json!({"locale": "En", "items": [{"variant_id": in_stock, "quantity": 1, "seen_price": unit}]}),
        )
        .await;
        assert_eq!(cart["lines"][0]["unit_price"], unit - 10_000);
        assert_eq!(cart["lines"][0]["name"], "Linen Shirt Dress");
        assert_eq!(
            cart["corrections"][0]["kind"]["PriceChanged"],
            json!({"from": unit, "to": unit - 10_000})
        );
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_payloads_are_corrected_never_trusted() {
    for test in fresh_databases().await {
        let (in_stock, _, unit) = prepare(&test.db).await;
        let router = router_for(test.db.clone());
        let forged = json!({"locale": "Tr", "items": [
            {"variant_id": in_stock, "quantity": -3},
            {"variant_id": in_stock, "quantity": 0},
            {"variant_id": in_stock, "quantity": 900000000000_i64, "unit_price": 1, "total": 1},
            {"variant_id": in_stock, "quantity": 1},
            {"variant_id": 987654321, "quantity": 1},
            {"variant_id": -1, "quantity": 1},
        ], "subtotal": 1, "customer_id": 1});
        let cart = price(&router, forged).await;
        let lines = cart["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 1, "{}: {cart}", test.label);
        assert_eq!(lines[0]["quantity"], 5, "cut to the stock");
        assert_eq!(lines[0]["unit_price"], unit);
        assert_eq!(cart["totals"]["subtotal"], unit * 5);
        assert_eq!(
            correction_kinds(&cart),
            vec!["ReducedToStock", "Unavailable", "Unavailable"]
        );
        // Ten thousand lines: answered, cut.
        let flood: Vec<Value> = (0..10_000)
            .map(|i| json!({"variant_id": i, "quantity": 1}))
            .collect();
        let cart = price(&router, json!({"locale": "Tr", "items": flood})).await;
        assert!(cart["lines"].as_array().unwrap().len() <= 50);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payloads_that_do_not_parse_are_a_400_that_names_nothing_internal() {
    for test in fresh_databases().await {
        prepare(&test.db).await;
        let router = router_for(test.db.clone());
        for body in [
            "".to_string(),
            "{".to_string(),
            json!({"locale": "Tr", "items": [{"variant_id": "bir", "quantity": 1}]}).to_string(),
            json!({"locale": "Klingon", "items": []}).to_string(),
            json!({"items": [{"variant_id": 1, "quantity": 1.5}]}).to_string(),
            json!({"locale": "Tr", "items": "'; DROP TABLE variants; --"}).to_string(),
        ] {
            let (status, text) = post(&router, body.clone(), Some(ORIGIN)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {text}");
            assert!(
                !text.contains("CartItem") && !text.contains("line "),
                "{text}"
            );
        }
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM variants")
            .fetch_one(test.db.pool())
            .await
            .unwrap();
        assert!(count > 0);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_from_other_sites_or_without_an_origin_are_refused() {
    for test in fresh_databases().await {
        let (in_stock, _, _) = prepare(&test.db).await;
        let router = router_for(test.db.clone());
        let body =
            json!({"locale": "Tr", "items": [{"variant_id": in_stock, "quantity": 1}]}).to_string();
        for origin in [Some("https://kotu.example"), Some("null"), None] {
            let (status, text) = post(&router, body.clone(), origin).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{origin:?}");
            assert!(text.contains("Les Minoria"), "{text}");
        }
        test.finish().await;
    }
}
