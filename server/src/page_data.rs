//! What a page needs from the database, loaded before Leptos renders it: the catalogue snapshot
//! (every page's header, and the catalogue pages), and on the contact confirmation page whether
//! its reference exists. Pages then render synchronously from request extensions
//! (`app::api::catalogue::with_snapshot`), without awaiting anything: resources awaited during
//! server rendering occasionally never woke up under concurrent requests (see there).

use std::sync::Arc;

use app::backend::{contact, AppState};
use app::model::contact::ConfirmedReference;
use app::model::{Locale, Page};
use axum::{
    extract::{Request, State},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::page_cache::is_page_path;

pub async fn attach(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.method() != Method::GET || !is_page_path(request.uri().path()) {
        return next.run(request).await;
    }
    if let Err(response) = load_into(&state, &mut request).await {
        return response;
    }
    next.run(request).await
}

/// Puts the page's data into `request`'s extensions; `Err` is the answer when the database
/// cannot be read.
pub async fn load_into(state: &AppState, request: &mut Request) -> Result<(), Response> {
    let snapshot = state.catalogue.get(&state.db).await.map_err(|error| {
        tracing::error!(%error, "the catalogue could not be loaded to render a page");
        unavailable()
    })?;
    request.extensions_mut().insert::<Arc<_>>(snapshot);

    let path = request.uri().path();
    let is_confirmation = Locale::ALL
        .iter()
        .any(|locale| locale.path(&Page::ContactSent) == path);
    if is_confirmation {
        let reference = request.uri().query().and_then(|query| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "ref")
                .map(|(_, value)| value.into_owned())
        });
        if let Some(reference) = reference.filter(|r| is_reference(r)) {
            let exists = contact::exists(&state.db, &reference)
                .await
                .map_err(|error| {
                    tracing::error!(%error, "a contact reference could not be looked up");
                    unavailable()
                })?;
            if exists {
                request
                    .extensions_mut()
                    .insert(ConfirmedReference(reference));
            }
        }
    }
    Ok(())
}

/// `ILT-` and eight hex digits, as `backend::contact::store` makes them.
fn is_reference(reference: &str) -> bool {
    reference.len() <= 16
        && reference
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::RETRY_AFTER, "5"),
        ],
        "<!DOCTYPE html><html lang=\"tr\"><head><meta charset=\"utf-8\"><title>Les Minoria</title></head>\
         <body><main><h1>Kısa bir ara</h1><p>Sayfa şu anda gösterilemiyor. Lütfen biraz sonra tekrar deneyin.</p></main></body></html>",
    )
        .into_response()
}
