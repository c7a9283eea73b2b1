//! The small pages the server answers with when it cannot render the shop's own: the database
//! is unreachable (503), a handler panicked (500), or a layer below the shop refused the request
//! (axum's extractors, body limits and timeouts write English plain text or nothing). Plain HTML
//! from the interface strings, in the page's language, with nothing from the failure in it.

use app::i18n::{locale_of_path, text, text_with};
use app::model::{Locale, Page};
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// A complete page with `title_key` as its title and heading and `text_key` as its text.
pub fn html(locale: Locale, title_key: &str, text_key: &str) -> String {
    page(locale, title_key, &text(locale, text_key))
}

/// A complete page with `title_key` as its title and heading and `body` (already in the
/// page's language, with no markup) as its text.
pub fn page(locale: Locale, title_key: &str, body: &str) -> String {
    let title = text(locale, title_key);
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} | Les Minoria</title></head><body><main>\
         <h1>{title}</h1><p>{body}</p><p><a href=\"{home}\">{back}</a></p></main></body></html>",
        lang = locale.code(),
        body = app::model::text::escape_html(body),
        home = locale.path(&Page::Home),
        back = text(locale, "error.back_home"),
    )
}

/// The longest address the shop reads: far above any of its own (filters, search words), far
/// below the request head's bound.
pub const MAX_ADDRESS_BYTES: usize = 8 * 1024;

/// Gives a browser that navigated (it asks for HTML) the shop's own page for an error answer that
/// is not one: a rejection axum wrote in English, an empty 408 or 503 from a timeout, a 413 from
/// a body limit. Island fetches (which do not ask for HTML) keep the plain-text messages they
/// show as they are. Status and headers such as `Retry-After` stay.
///
/// Addresses longer than [`MAX_ADDRESS_BYTES`] are answered 414 here, with the page, before any
/// handler reads them (hyper's own limit, the 16 kB request head, answers with no page at all).
pub async fn apply(request: Request, next: Next) -> Response {
    let navigating = asks_for_html(request.headers());
    let locale = locale_of_path(request.uri().path());
    let response = if address_len(request.uri()) > MAX_ADDRESS_BYTES {
        StatusCode::URI_TOO_LONG.into_response()
    } else {
        next.run(request).await
    };
    if !navigating || !response.status().is_client_error() && !response.status().is_server_error() {
        return response;
    }
    if is_html(response.headers()) {
        return response;
    }
    let Some((title_key, text)) = explanation(response.status(), response.headers(), locale) else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(page(locale, title_key, &text)))
}

/// The length of `uri` as written (`scheme://authority/path?query`), without writing it out: this
/// runs on every request.
fn address_len(uri: &axum::http::Uri) -> usize {
    uri.scheme_str().map_or(0, |scheme| scheme.len() + 3)
        + uri
            .authority()
            .map_or(0, |authority| authority.as_str().len())
        + uri.path_and_query().map_or(0, |rest| rest.as_str().len())
}

fn asks_for_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"))
}

/// The title key and text for an error status, or `None` to leave the answer alone.
fn explanation(
    status: StatusCode,
    headers: &HeaderMap,
    locale: Locale,
) -> Option<(&'static str, String)> {
    let plain = |title, text_key| Some((title, text(locale, text_key)));
    match status {
        StatusCode::BAD_REQUEST
        | StatusCode::METHOD_NOT_ALLOWED
        | StatusCode::UNSUPPORTED_MEDIA_TYPE
        | StatusCode::UNPROCESSABLE_ENTITY => {
            plain("error.bad_request_title", "error.bad_request_text")
        }
        StatusCode::FORBIDDEN => plain("error.forbidden_title", "error.forbidden_text"),
        StatusCode::REQUEST_TIMEOUT => plain("error.too_slow_title", "error.too_slow_text"),
        StatusCode::PAYLOAD_TOO_LARGE
        | StatusCode::URI_TOO_LONG
        | StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            plain("error.too_large_title", "error.too_large_text")
        }
        StatusCode::TOO_MANY_REQUESTS => {
            let minutes = retry_after_minutes(headers).to_string();
            Some((
                "error.rate_limited_title",
                text_with(locale, "error.rate_limited_text", &[("minutes", &minutes)]),
            ))
        }
        StatusCode::INTERNAL_SERVER_ERROR => plain("error.internal_title", "error.internal_text"),
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => {
            plain("error.unavailable_title", "error.unavailable_text")
        }
        _ => None,
    }
}

/// `Retry-After` (seconds) in whole minutes, at least one.
pub fn retry_after_minutes(headers: &HeaderMap) -> u64 {
    let seconds = headers
        .get(header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .unwrap_or(60);
    seconds.div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_measured_as_written() {
        for address in [
            "/arama?q=elbise",
            "/",
            "https://www.lesminoria.com/urun/x?renk=mavi",
        ] {
            let uri: axum::http::Uri = address.parse().unwrap();
            assert_eq!(address_len(&uri), uri.to_string().len(), "{address}");
        }
    }

    #[test]
    fn both_languages_have_their_words() {
        let tr = html(
            Locale::Tr,
            "error.unavailable_title",
            "error.unavailable_text",
        );
        assert!(
            tr.contains("<title>Kısa bir ara | Les Minoria</title>"),
            "{tr}"
        );
        assert!(tr.contains(r#"<html lang="tr">"#));
        let en = html(Locale::En, "error.internal_title", "error.internal_text");
        assert!(en.contains("<h1>Something went wrong</h1>"), "{en}");
        assert!(en.contains(r#"href="/en""#));
    }
}
