//! The catalogue as pages read it: read-only views of the snapshot the page's route loaded for
//! the request (`Load::Catalogue`, server/src/pages.rs), in the visitor's language.

#[cfg(feature = "ssr")]
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

/// The catalogue snapshot the server attached to the request being rendered
/// (`server/src/pages.rs`), with `f` applied.
///
/// Pages read the catalogue synchronously rather than through resources: the snapshot is
/// loaded before rendering starts, so no page waits on a future while rendering. (Resources
/// awaited during server rendering occasionally lost their wake-up under concurrent requests on
/// a multi-threaded runtime: the page never finished, or the server function missed its
/// context. Pages are never rendered in the browser, so nothing is lost by not using them.)
#[cfg(feature = "ssr")]
fn with_snapshot<T>(f: impl FnOnce(&crate::backend::catalogue::Snapshot) -> T) -> Option<T> {
    let parts = use_context::<http::request::Parts>()?;
    let snapshot = parts
        .extensions
        .get::<std::sync::Arc<crate::backend::catalogue::Snapshot>>()?;
    Some(f(snapshot))
}

#[cfg(not(feature = "ssr"))]
fn with_snapshot<T>(_f: impl FnOnce(&NoSnapshot) -> T) -> Option<T> {
    None
}

/// Stands in for the snapshot in the browser build, where pages are never rendered.
#[cfg(not(feature = "ssr"))]
pub struct NoSnapshot;

/// "LES MENÜ"'s categories, for the page being rendered.
pub fn navigation_now(locale: Locale) -> Vec<CategoryLink> {
    with_snapshot(|snapshot| {
        #[cfg(feature = "ssr")]
        return crate::backend::catalogue::views::navigation(snapshot, locale);
        #[cfg(not(feature = "ssr"))]
        {
            let _ = (snapshot, locale);
            Vec::new()
        }
    })
    .unwrap_or_default()
}

/// The home page's products and categories.
pub fn home_now(locale: Locale) -> Option<HomeData> {
    with_snapshot(|snapshot| {
        #[cfg(feature = "ssr")]
        return Some(home_data(snapshot, locale));
        #[cfg(not(feature = "ssr"))]
        {
            let _ = (snapshot, locale);
            None
        }
    })
    .flatten()
}

/// A category page, or `None` when the category does not exist.
pub fn listing_now(locale: Locale, slug: &str, query: &ListingQuery) -> Option<Listing> {
    with_snapshot(|snapshot| {
        #[cfg(feature = "ssr")]
        return crate::backend::catalogue::views::listing(snapshot, slug, query, locale);
        #[cfg(not(feature = "ssr"))]
        {
            let _ = (snapshot, locale, slug, query);
            None
        }
    })
    .flatten()
}

/// A product page, or `None` when the product does not exist (or is a draft).
pub fn product_now(locale: Locale, slug: &str) -> Option<ProductDetail> {
    with_snapshot(|snapshot| {
        #[cfg(feature = "ssr")]
        return crate::backend::catalogue::views::product(snapshot, slug, locale);
        #[cfg(not(feature = "ssr"))]
        {
            let _ = (snapshot, locale, slug);
            None
        }
    })
    .flatten()
}

/// Search results for `query`.
pub fn search_now(locale: Locale, query: &str) -> Option<SearchResults> {
    with_snapshot(|snapshot| {
        #[cfg(feature = "ssr")]
        return Some(search_results(snapshot, query, locale));
        #[cfg(not(feature = "ssr"))]
        {
            let _ = (snapshot, locale, query);
            None
        }
    })
    .flatten()
}

#[cfg(feature = "ssr")]
fn home_data(snapshot: &crate::backend::catalogue::Snapshot, locale: Locale) -> HomeData {
    use crate::backend::catalogue::views;
    let (featured, newest) = views::home(snapshot, locale);
    HomeData {
        featured,
        newest,
        categories: views::navigation(snapshot, locale),
    }
}

#[cfg(feature = "ssr")]
fn search_results(
    snapshot: &crate::backend::catalogue::Snapshot,
    query: &str,
    locale: Locale,
) -> SearchResults {
    use crate::backend::catalogue::views;
    let query: String = query.trim().chars().take(views::MAX_SEARCH_CHARS).collect();
    let products = views::search(snapshot, &query, locale);
    let suggestions = if products.is_empty() {
        views::navigation(snapshot, locale)
    } else {
        Vec::new()
    };
    SearchResults {
        query,
        products,
        suggestions,
    }
}
