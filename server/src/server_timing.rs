//! `Server-Timing: app;dur=…` on every response: how long the shop took to produce the answer's
//! head (in milliseconds), for the browser's developer tools and for the load scripts
//! (scripts/checkout_load.py), which report it next to what their own clock saw. On a
//! two-core machine the load generator competes with the server for the processors, so only
//! this figure says what the server itself spent. It tells a visitor nothing about the shop's
//! internals: a duration is all it carries.

use std::time::Instant;

use axum::{extract::Request, http::HeaderValue, middleware::Next, response::Response};

pub async fn apply(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    let took = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = HeaderValue::from_str(&format!("app;dur={took:.2}")) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::{body::Body, routing::get, Router};
    use tower::ServiceExt;

    #[tokio::test]
    async fn every_answer_says_how_long_it_took() {
        let router = Router::new()
            .route(
                "/",
                get(|| async {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    "ok"
                }),
            )
            .layer(axum::middleware::from_fn(super::apply));
        let response = router
            .oneshot(axum::http::Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let value = response.headers()["server-timing"].to_str().unwrap();
        let took: f64 = value.strip_prefix("app;dur=").unwrap().parse().unwrap();
        assert!((20.0..1000.0).contains(&took), "{value}");
    }
}
