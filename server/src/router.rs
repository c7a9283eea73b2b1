//! The router: health check, Leptos pages and server functions, static files with the 404 page
//! as fallback, wrapped in compression, cache and security headers.

use app::{
    backend::AppState,
    client::cart_view_request,
    model::{Locale, Page},
    shell, App,
};
use axum::{
    extract::DefaultBodyLimit,
    http::{header, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use leptos::prelude::provide_context;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{CompressionLayer, CompressionLevel},
    trace::TraceLayer,
};

use crate::{
    cart_view, consent_form, contact_form, crawlers, health, origin_check, page_cache, page_data,
    recently_viewed, security_headers, server_fn_errors, static_assets,
};

pub fn build(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = generate_route_list(App);

    // Pages and server functions reach the state through context.
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let render_shell = {
        let options = options.clone();
        move || shell(options.clone())
    };

    let security = security_headers::SecurityHeaders::new(&options);
    let cache = static_assets::CachePolicy::new(&options.site_pkg_dir, options.hash_files);
    let origin = origin_check::OriginCheck::new(&state.public_url);

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/robots.txt", get(crawlers::robots))
        .route("/sitemap.xml", get(crawlers::sitemap))
        .route(
            cart_view_request::ENDPOINT,
            post(cart_view::render).layer(DefaultBodyLimit::max(cart_view::MAX_BODY_BYTES)),
        )
        .route(
            consent_form::PATH,
            post(consent_form::submit).layer(DefaultBodyLimit::max(consent_form::MAX_BODY_BYTES)),
        )
        .route(recently_viewed::ENDPOINT, get(recently_viewed::render))
        .leptos_routes_with_context(&state, routes, context.clone(), render_shell)
        // The contact form posts to its own page; Leptos answers the GET.
        .route(&Locale::Tr.path(&Page::Contact), post(contact_form::submit))
        .route(&Locale::En.path(&Page::Contact), post(contact_form::submit))
        // Static files from the site root; anything else renders the 404 page.
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(server_fn_errors::apply))
        // The catalogue (and what else a page needs from the database), loaded before
        // rendering; inside the page cache, so a cached page costs nothing.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page_data::attach,
        ))
        // Rendered pages, per catalogue version, for visitors without cookies.
        .layer(middleware::from_fn_with_state(
            (page_cache::PageCache::default(), state.clone()),
            page_cache::apply,
        ))
        // Brotli's default quality (11) costs milliseconds per page; 4 compresses HTML nearly
        // as well for a fraction of the time. Static files are precompressed at build time.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        // Only the shop's own pages may change anything.
        .layer(middleware::from_fn_with_state(origin, origin_check::apply))
        // A bug must not drop the connection or show internals: log it, answer a plain 500.
        .layer(CatchPanicLayer::custom(internal_error_page))
        .layer(middleware::from_fn_with_state(cache, static_assets::apply))
        // Outermost, so that every response gets the headers, error pages included.
        .layer(middleware::from_fn_with_state(
            security,
            security_headers::apply,
        ))
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
        INTERNAL_ERROR_HTML,
    )
        .into_response()
}

const INTERNAL_ERROR_HTML: &str = "<!DOCTYPE html><html lang=\"tr\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Bir sorun oluştu | Les Minoria</title></head><body><main>\
<h1>Bir sorun oluştu</h1><p>İsteğiniz şu anda tamamlanamadı. Lütfen biraz sonra tekrar deneyin.</p>\
<p><a href=\"/\">Ana sayfaya dön</a></p></main></body></html>";

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
