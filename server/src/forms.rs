//! The server side of the form kit (`app::model::form`): every form handler reads the posted
//! body into its area's `Draft`, tries to accept it, and answers with [`accepted`] (303 to where
//! the shopper goes next, so a reload does not send it twice) or [`refused`] (the form's page
//! again, with what was typed, each problem beside its field and a message for the whole form).
//!
//! Each area says why it refuses in one error type implementing [`Refusal`]: the status, the
//! message key the shopper reads (Turkish or English, from `app/locales`), and the log line
//! staff read. Internals (a database error's text) reach the log, never the page.

use app::backend::AppState;
use app::i18n::text;
use app::model::form::{Draft, Feedback, FieldProblem};
use app::model::{Locale, Page};
use axum::{
    body::Body,
    extract::Request,
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use leptos::prelude::provide_context;

use crate::pages;

/// Why an area refuses a form.
pub trait Refusal<D: Draft>: std::fmt::Display {
    fn status(&self) -> StatusCode;
    /// The key of the message about the form as a whole.
    fn message_key(&self) -> &'static str;
    /// The problems to show beside their fields (none when the form as a whole was refused).
    fn field_problems(self) -> Vec<FieldProblem<D::Field>>;
    /// A fault of ours (the database), logged as an error; otherwise the shopper's input.
    fn is_fault(&self) -> bool {
        self.status().is_server_error()
    }
    /// For a rate limit: seconds until the form may be sent again (`Retry-After`).
    fn retry_after_seconds(&self) -> Option<i64> {
        None
    }
}

/// Reads a posted `application/x-www-form-urlencoded` body of at most `max_bytes` into a draft;
/// a larger one is answered 413 in the page's language.
pub async fn read<D: Draft>(body: Body, max_bytes: usize, locale: Locale) -> Result<D, Response> {
    let fields = read_fields(body, max_bytes, locale).await?;
    Ok(D::from_fields(
        fields.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ))
}

/// The posted fields of a form body of at most `max_bytes`, in order; a larger body is answered
/// 413, a stalled one 408, in the page's language.
pub async fn read_fields(
    body: Body,
    max_bytes: usize,
    locale: Locale,
) -> Result<Vec<(String, String)>, Response> {
    let body = match axum::body::to_bytes(body, max_bytes).await {
        Ok(body) => body,
        Err(error) => {
            // The body stalled (connections::BODY_TIMEOUT) or the client went away; anything
            // else is the size limit.
            let (status, key) = if is_timeout(&error) {
                (StatusCode::REQUEST_TIMEOUT, "form.too_slow")
            } else {
                (StatusCode::PAYLOAD_TOO_LARGE, "form.too_large")
            };
            return Err((
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("{}\n", text(locale, key)),
            )
                .into_response());
        }
    };
    Ok(form_urlencoded::parse(&body).into_owned().collect())
}

/// Whether reading a body failed because it stalled (connections::BODY_TIMEOUT).
pub fn is_timeout(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// The form was stored: on to `to`.
pub fn accepted(to: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// The form's page (`page`, at the address that was posted to) again, with `draft` and the
/// refusal's problems and message; logged for staff; never kept by any cache.
pub async fn refused<D: Draft, R: Refusal<D>>(
    state: AppState,
    parts: Parts,
    page: Page,
    draft: D,
    refusal: R,
) -> Response {
    if refusal.is_fault() {
        tracing::error!(error = %refusal, form = ?page, "a form could not be accepted");
    } else {
        tracing::info!(reason = %refusal, form = ?page, "a form was refused");
    }
    let status = refusal.status();
    let retry_after = refusal.retry_after_seconds();
    let feedback = Feedback {
        draft,
        general: Some(refusal.message_key()),
        problems: refusal.field_problems(),
    };

    let mut page_request = Request::builder()
        .method("GET")
        .uri(parts.uri.clone())
        .body(Body::empty())
        .expect("a GET request for a path that was just parsed");
    // What the layers put in (a member's session) is read by the page as on a GET.
    *page_request.extensions_mut() = parts.extensions.clone();
    for name in [header::COOKIE, header::HOST, header::ACCEPT_LANGUAGE] {
        if let Some(value) = parts.headers.get(&name) {
            page_request.headers_mut().insert(name, value.clone());
        }
    }
    // Without the catalogue the header's menu is empty, but what was typed is still shown.
    let _ = pages::load(&state, page.route().loads, &mut page_request).await;
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
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    }
    response
}
