//! `POST /api/sepet/gorunum`: the cart islands' view. The body is the browser's cart in
//! `encode_items` form; the answer is HTML the server rendered from prices and stock in the
//! database (the cart page's lines and totals, or the mini-cart after "Sepete ekle"), with the
//! corrected items in the `x-sepet` header for the browser to keep. Like the `price_cart`
//! server function, it never trusts a figure the browser sends.

use app::backend::{cart::price_now, AppState};
use app::client::cart_view_request::{ADDED, ENDPOINT, ITEMS_HEADER, OUTCOME_HEADER, REFUSED};
use app::components::cart::views::{added_html, page_html};
use app::model::cart::{decode_items, encode_items};
use app::model::Locale;
use axum::{
    extract::{DefaultBodyLimit, Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Router,
};
use serde::Deserialize;

/// The largest cart text read: far beyond any real cart (50 lines of a few bytes each).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

#[derive(Debug, Deserialize)]
pub struct ViewQuery {
    dil: Option<String>,
    gorunum: Option<String>,
    varyant: Option<i64>,
}

/// `POST /api/sepet/gorunum`, its body bounded.
pub fn router() -> Router<AppState> {
    Router::new().route(
        ENDPOINT,
        post(render).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
    )
}

pub async fn render(
    State(state): State<AppState>,
    Query(query): Query<ViewQuery>,
    body: String,
) -> Response {
    let locale = Locale::from_code(query.dil.as_deref());
    let Some(items) = decode_items(&body) else {
        return plain(
            StatusCode::BAD_REQUEST,
            locale.pick("Sepet okunamadı.\n", "The cart could not be read.\n"),
        );
    };
    let priced = match price_now(&state, &items, locale).await {
        Ok(priced) => priced,
        Err(error) => {
            tracing::error!(%error, "catalogue could not be loaded to show a cart");
            return plain(
                StatusCode::SERVICE_UNAVAILABLE,
                locale.pick(
                    "Sepet şu anda gösterilemiyor.\n",
                    "The cart cannot be shown just now.\n",
                ),
            );
        }
    };
    let (html, outcome) = match (query.gorunum.as_deref(), query.varyant) {
        (Some("ekle"), Some(variant)) => {
            let (html, refused) = added_html(&priced, variant, locale);
            (html, Some(if refused { REFUSED } else { ADDED }))
        }
        _ => (page_html(&priced, locale), None),
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response();
    let headers = response.headers_mut();
    if let Ok(items) = HeaderValue::from_str(&encode_items(&priced.items())) {
        headers.insert(ITEMS_HEADER, items);
    }
    if let Some(outcome) = outcome {
        headers.insert(OUTCOME_HEADER, HeaderValue::from_static(outcome));
    }
    response
}

fn plain(status: StatusCode, message: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}
