//! The router: health check, Leptos pages and server functions, static files with the 404 page
//! as fallback, wrapped in compression, cache and security headers.

use app::{backend::AppState, shell, App};
use axum::{middleware, routing::get, Router};
use leptos::prelude::provide_context;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::{health, security_headers, static_assets};

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

    Router::new()
        .route("/healthz", get(health::healthz))
        .leptos_routes_with_context(&state, routes, context.clone(), render_shell)
        // Static files from the site root; anything else renders the 404 page.
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(cache, static_assets::apply))
        // Outermost, so that every response gets the headers, error pages included.
        .layer(middleware::from_fn_with_state(
            security,
            security_headers::apply,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
