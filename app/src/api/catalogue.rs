//! The catalogue's server functions: read-only views of the in-memory snapshot, in the
//! visitor's language.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::catalogue::{CategoryLink, Listing, ListingQuery, ProductCard, ProductDetail};
use crate::model::Locale;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub featured: Vec<ProductCard>,
    pub newest: Vec<ProductCard>,
    pub categories: Vec<CategoryLink>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as it was searched (trimmed and cut to a sane length).
    pub query: String,
    pub products: Vec<ProductCard>,
    /// Offered when nothing matched.
    pub suggestions: Vec<CategoryLink>,
}

#[cfg(feature = "ssr")]
async fn snapshot() -> Result<std::sync::Arc<crate::backend::catalogue::Snapshot>, ServerFnError> {
    let state = expect_context::<crate::backend::AppState>();
    state.catalogue.get(&state.db).await.map_err(|error| {
        tracing::error!(%error, "catalogue could not be loaded");
        ServerFnError::new("catalogue unavailable")
    })
}

#[server]
pub async fn get_navigation(locale: Locale) -> Result<Vec<CategoryLink>, ServerFnError> {
    use crate::backend::catalogue::views;
    Ok(views::navigation(&*snapshot().await?, locale))
}

#[server]
pub async fn get_home(locale: Locale) -> Result<HomeData, ServerFnError> {
    use crate::backend::catalogue::views;
    let snapshot = snapshot().await?;
    let (featured, newest) = views::home(&snapshot, locale);
    Ok(HomeData {
        featured,
        newest,
        categories: views::navigation(&snapshot, locale),
    })
}

#[server]
pub async fn get_listing(
    locale: Locale,
    slug: String,
    query: ListingQuery,
) -> Result<Option<Listing>, ServerFnError> {
    use crate::backend::catalogue::views;
    Ok(views::listing(&*snapshot().await?, &slug, &query, locale))
}

#[server]
pub async fn get_product(
    locale: Locale,
    slug: String,
) -> Result<Option<ProductDetail>, ServerFnError> {
    use crate::backend::catalogue::views;
    Ok(views::product(&*snapshot().await?, &slug, locale))
}

#[server]
pub async fn search_catalogue(
    locale: Locale,
    query: String,
) -> Result<SearchResults, ServerFnError> {
    use crate::backend::catalogue::views;
    let snapshot = snapshot().await?;
    let query: String = query.trim().chars().take(views::MAX_SEARCH_CHARS).collect();
    let products = views::search(&snapshot, &query, locale);
    let suggestions = if products.is_empty() {
        views::navigation(&snapshot, locale)
    } else {
        Vec::new()
    };
    Ok(SearchResults {
        query,
        products,
        suggestions,
    })
}
