//! `GET /api/son-bakilanlar?dil=tr&urunler=slug,slug`: the cards of the products a visitor viewed
//! recently, for the product page's island (which asks only with İşlevsel consent). Unknown and
//! unpublished products are left out; the list is bounded.

use app::backend::{catalogue::views::card, AppState};
use app::components::recently_viewed::{cards_html, is_slug, REMEMBERED};
use app::model::Locale;
use axum::{
    extract::{RawQuery, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

use app::wire::recently_viewed::{ENDPOINT, PRODUCTS};
use app::wire::LOCALE;

/// `GET /api/son-bakilanlar`.
pub fn router() -> Router<AppState> {
    Router::new().route(ENDPOINT, get(render))
}

pub async fn render(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let param = |name| crate::query::value(query.as_deref(), name);
    let locale = Locale::from_code(param(LOCALE).as_deref());
    let snapshot = match state.catalogue.get_recent(&state.db).await {
        Ok(snapshot) => snapshot,
        Err(error) => {
            tracing::error!(%error, "catalogue could not be loaded for recently viewed products");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let slugs = param(PRODUCTS).unwrap_or_default();
    let cards = slugs
        .split(',')
        .filter(|slug| is_slug(slug))
        .take(REMEMBERED)
        .filter_map(|slug| snapshot.product(slug))
        .map(|product| card(&snapshot, product, locale))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Personal: never kept by a shared cache.
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        cards_html(cards, locale),
    )
        .into_response()
}
