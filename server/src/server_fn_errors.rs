//! Server functions answer every error with 500 and the error's text. A request the browser
//! could never have sent (arguments that do not parse: a forged or truncated payload) is the
//! client's fault, not ours: it becomes a 400 with a plain message, and the parser's own words
//! (which name our types) stay in the log.

use axum::{
    body::{to_bytes, Body},
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};

/// server_fn's error text for unparseable arguments starts with one of these.
const CLIENT_ERROR_PREFIXES: [&[u8]; 2] = [b"Args|", b"Deserialization|"];
const ERROR_BODY_LIMIT: usize = 64 * 1024;

pub async fn apply(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    if !path.starts_with("/api/") || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, ERROR_BODY_LIMIT).await else {
        return Response::from_parts(parts, Body::from("ServerError|internal error"));
    };
    if !CLIENT_ERROR_PREFIXES.iter().any(|p| bytes.starts_with(p)) {
        return Response::from_parts(parts, Body::from(bytes));
    }
    tracing::info!(path, detail = %String::from_utf8_lossy(&bytes), "refused unparseable server-function arguments");
    parts.status = StatusCode::BAD_REQUEST;
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Response::from_parts(parts, Body::from("Args|invalid request"))
}
