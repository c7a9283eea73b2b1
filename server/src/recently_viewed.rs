//! `GET /api/son-bakilanlar?dil=tr&urunler=slug,slug`: the cards of the products a visitor viewed
//! recently, for the product page's island (which asks only with İşlevsel consent). Unknown and
//! unpublished products are left out; the list is bounded.

use app::backend::{catalogue::views::card, AppState};
use app::components::recently_viewed::{cards_html, is_slug, REMEMBERED};
use app::model::Locale;
use axum::{
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use serde::Deserialize;

pub use app::components::recently_viewed::ENDPOINT;

#[derive(Debug, Deserialize)]
pub struct RecentQuery {
    dil: Option<String>,
    urunler: Option<String>,
}

/// `GET /api/son-bakilanlar`.
pub fn router() -> Router<AppState> {
    Router::new().route(ENDPOINT, get(render))
}

pub async fn render(State(state): State<AppState>, Query(query): Query<RecentQuery>) -> Response {
    let locale = Locale::from_code(query.dil.as_deref());
    let snapshot = match state.catalogue.get_recent(&state.db).await {
        Ok(snapshot) => snapshot,
        Err(error) => {
            tracing::error!(%error, "catalogue could not be loaded for recently viewed products");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let slugs = query.urunler.unwrap_or_default();
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
