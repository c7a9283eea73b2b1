//! `POST /api/sepet/gorunum`: the cart islands' view. The body is the browser's cart in
//! `encode_items` form; the answer is HTML the server rendered from prices and stock in the
//! database (the cart page's lines and totals, or the mini-cart after "Sepete ekle"), with the
//! corrected items in the `x-sepet` header for the browser to keep. Like the `price_cart`
//! server function, it never trusts a figure the browser sends.

use app::backend::{cart::price_now, AppState};
use app::components::cart::views::{added_html, page_html};
use app::model::cart::{decode_items, encode_items};
use app::model::Locale;
use app::wire::cart_view::{
    ADDED, ENDPOINT, ITEMS_HEADER, OUTCOME_HEADER, REFUSED, VARIANT, VIEW, VIEW_ADDED,
};
use app::wire::LOCALE;
use axum::{
    extract::{DefaultBodyLimit, RawQuery, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Router,
};

/// The largest cart text read: far beyond any real cart (50 lines of a few bytes each).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// `POST /api/sepet/gorunum`, its body bounded.
pub fn router() -> Router<AppState> {
    Router::new().route(
        ENDPOINT,
        post(render).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
    )
}

pub async fn render(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    body: String,
) -> Response {
    let param = |name| crate::query::value(query.as_deref(), name);
    let locale = Locale::from_code(param(LOCALE).as_deref());
    let Some(items) = decode_items(&body) else {
        return plain(StatusCode::BAD_REQUEST, locale, "cart.request_unreadable");
    };
    let priced = match price_now(&state, &items, locale).await {
        Ok(priced) => priced,
        Err(error) => {
            tracing::error!(%error, "catalogue could not be loaded to show a cart");
            return plain(
                StatusCode::SERVICE_UNAVAILABLE,
                locale,
                "cart.request_unavailable",
            );
        }
    };
    let variant = param(VARIANT).and_then(|id| id.parse::<i64>().ok());
    let (html, outcome) = match (param(VIEW).as_deref(), variant) {
        (Some(VIEW_ADDED), Some(variant)) => {
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

/// A refusal the island shows as it is: the interface string `key`, as plain text.
fn plain(status: StatusCode, locale: Locale, key: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{}\n", app::i18n::text(locale, key)),
    )
        .into_response()
}
