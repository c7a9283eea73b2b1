//! The router: the areas' routes (pages, forms, island fragments, health, crawlers), static files
//! with the 404 page as fallback, wrapped in compression, origin check, cache and security headers.

use app::backend::AppState;
use axum::{
    http::{header, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    Router,
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{CompressionLayer, CompressionLevel},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::page_cache::PageCache;
use crate::{
    account_forms, cart_view, cayma_form, checkout_form, connections, consent_form, contact_form,
    crawlers, error_pages, health, image_upload, origin_check, pages, recently_viewed,
    sandbox_page, security_headers, server_timing, staff_forms, static_assets,
};

pub fn build(state: AppState) -> Router {
    // Leptos spawns the work of rendering on the runtime it is given (leptos_axum's own route
    // registration does this; pages here are plain axum routes). A second call is a no-op.
    let _ = any_spawner::Executor::init_tokio();
    let options = state.leptos_options.clone();
    let security = security_headers::SecurityHeaders::new(&options)
        .with_strict_transport(state.public_url.starts_with("https://"));
    let cache = static_assets::CachePolicy::new(&options.site_pkg_dir, options.hash_files);
    let origin = origin_check::OriginCheck::new(&state.public_url, options.site_addr);
    let members =
        app::backend::accounts::auth::layer(&state.db, state.public_url.starts_with("https://"));
    let staff =
        app::backend::staff::auth::layer(&state.db, state.public_url.starts_with("https://"), "/");

    // Each area brings its own routes (the door rule in ARCHITECTURE.md): pages from the route
    // table, and the handlers forms post to and islands fetch from.
    Router::new()
        .merge(health::router())
        .merge(image_upload::router())
        .merge(crawlers::router())
        .merge(cart_view::router())
        .merge(recently_viewed::router())
        .merge(consent_form::router())
        .merge(contact_form::router())
        .merge(checkout_form::router(members.clone()))
        .merge(cayma_form::router())
        .merge(sandbox_page::router())
        .merge(account_forms::router(members.clone()))
        .merge(staff_forms::router(&state, staff.clone()))
        .merge(pages::router(&state, PageCache::default(), members, staff))
        // Static files from the site root; anything else renders the 404 page.
        .fallback(pages::file_or_not_found)
        // Brotli's default quality (11) costs milliseconds per page; 4 compresses HTML nearly
        // as well for a fraction of the time. Static files are precompressed at build time,
        // and pages the cache has compressed pass through untouched.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        // Only the shop's own pages may change anything.
        .layer(middleware::from_fn_with_state(origin, origin_check::apply))
        // A bug must not drop the connection or show internals: log it, answer a plain 500.
        .layer(CatchPanicLayer::custom(internal_error_page))
        .layer(middleware::from_fn_with_state(cache, static_assets::apply))
        // No request holds a connection and a handler forever (connections.rs says why 30 s).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            connections::REQUEST_TIMEOUT,
        ))
        // What axum and the layers above refuse in English or with no words at all reaches a
        // browser as the shop's own page.
        .layer(middleware::from_fn(error_pages::apply))
        // Outermost, so that every response gets the headers, error pages included.
        .layer(middleware::from_fn_with_state(
            security,
            security_headers::apply,
        ))
        // How long the answer took, error pages and headers included.
        .layer(middleware::from_fn(server_timing::apply))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// What the browser sees when a handler panics: a short Turkish page, never the panic message.
fn internal_error_page(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        // The panic carries no request: the shop's default language.
        crate::error_pages::html(
            app::model::Locale::Tr,
            "error.internal_title",
            "error.internal_text",
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_a_plain_500_without_the_panic_message() {
        let response = internal_error_page(Box::new("secret internals: db password".to_string()));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(html.contains("Bir sorun oluştu"));
        assert!(!html.contains("secret"));
    }
}
