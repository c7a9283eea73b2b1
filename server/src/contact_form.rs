//! `POST /iletisim` (and `/en/contact`): the contact form. A valid message is stored with the
//! sender's IP and time and the browser is sent to a confirmation page with its reference number
//! (303, so a reload does not send it twice). Otherwise the contact page is rendered again with
//! each problem next to its field and everything typed kept: 422 for problems, 429 when the IP
//! has sent too many messages lately, 503 when the database cannot take it.

use app::backend::{contact, AppState};
use app::model::contact::{ContactDraft, ContactFeedback};
use app::model::route::PageKind;
use app::model::{Locale, Page};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Router,
};
use leptos::prelude::provide_context;

use crate::client_ip::request_origin;
use crate::pages;

/// A message is at most 5000 characters; the rest of the form is short.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// `POST` to the contact page, in both languages (its GET is the page's own route).
pub fn router() -> Router<AppState> {
    Locale::ALL
        .into_iter()
        .fold(Router::new(), |router, locale| {
            router.route(&locale.path(&Page::Contact), post(submit))
        })
}

pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let locale = app::i18n::locale_of_path(parts.uri.path());
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            locale.pick("Mesaj çok uzun.\n", "The message is too long.\n"),
        )
            .into_response();
    };
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let draft = ContactDraft::from_fields(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let origin = request_origin(&parts, &state.trusted_proxies);

    let feedback = |problems, general| ContactFeedback {
        draft: draft.clone(),
        problems,
        general,
    };
    let (status, feedback) = match draft.validate() {
        Err(problems) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            feedback(problems, Some("contact.problems")),
        ),
        Ok(message) => match contact::rate_limited(&state.db, &origin).await {
            Ok(true) => (
                StatusCode::TOO_MANY_REQUESTS,
                feedback(Vec::new(), Some("contact.rate_limited")),
            ),
            Ok(false) => match contact::store(&state.db, &message, locale, &origin).await {
                Ok(reference) => {
                    let to = format!("{}?ref={reference}", locale.path(&Page::ContactSent));
                    return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
                }
                Err(error) => {
                    tracing::error!(%error, "a contact message could not be stored");
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        feedback(Vec::new(), Some("contact.unavailable")),
                    )
                }
            },
            Err(error) => {
                tracing::error!(%error, "the contact rate limit could not be checked");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    feedback(Vec::new(), Some("contact.unavailable")),
                )
            }
        },
    };
    render_with_feedback(state, parts, feedback, status).await
}

/// The contact page as a GET would render it, with `feedback` in its context, never kept.
async fn render_with_feedback(
    state: AppState,
    parts: axum::http::request::Parts,
    feedback: ContactFeedback,
    status: StatusCode,
) -> Response {
    let mut page_request = Request::builder()
        .method("GET")
        .uri(parts.uri.clone())
        .body(Body::empty())
        .expect("a GET request for a path that was just parsed");
    for name in [header::COOKIE, header::HOST, header::ACCEPT_LANGUAGE] {
        if let Some(value) = parts.headers.get(&name) {
            page_request.headers_mut().insert(name, value.clone());
        }
    }
    // Without the catalogue the header's menu is empty, but what was typed is still shown.
    let loads = PageKind::Contact.route().loads;
    let _ = pages::load(&state, loads, &mut page_request).await;
    let mut response = pages::render_loaded(state, page_request, move || {
        provide_context(feedback.clone())
    })
    .await;
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
