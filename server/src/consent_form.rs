//! `POST /cerez-tercihi`: a cookie choice from the banner or the preferences page. Records it in
//! the consent ledger, then sets the consent cookie. Without JavaScript the browser is sent back
//! where it was (303); the banner's island asks with `x-ada: 1` and gets `204` with the new
//! state in `x-cerez`, and stays on the page.

use app::backend::{
    consent::{new_visitor_id, record, ConsentRecord},
    AppState,
};
use app::model::consent::{
    consent_cookie_in, ConsentAction, ConsentCategory, ConsentChoice, ConsentCookie, ConsentState,
    CONSENT_COOKIE, CONSENT_MAX_AGE_SECONDS,
};
use app::model::Locale;
use app::wire::{consent, LOCALE};
use axum::{
    extract::{DefaultBodyLimit, Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Router,
};

use crate::client_ip::request_origin;

pub use app::wire::consent::{ISLAND_HEADER, PATH, STATE_HEADER};
/// The form is a few short fields.
pub const MAX_BODY_BYTES: usize = 4 * 1024;

/// `POST /cerez-tercihi`, its body bounded.
pub fn router() -> Router<AppState> {
    Router::new().route(
        PATH,
        post(submit).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
    )
}

pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return refused(Locale::Tr, StatusCode::PAYLOAD_TOO_LARGE);
    };
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let locale = Locale::from_code(field(LOCALE));
    let Some(action) = field(consent::CHOICE).and_then(ConsentAction::from_code) else {
        return refused(locale, StatusCode::BAD_REQUEST);
    };
    let switches = ConsentChoice {
        functional: field(ConsentCategory::Functional.field()).is_some(),
        analytics: field(ConsentCategory::Analytics.field()).is_some(),
        marketing: field(ConsentCategory::Marketing.field()).is_some(),
    };
    let choice = action.choice(switches);

    // The same visitor keeps their id across choices and policy versions.
    let cookie_headers = parts.headers.get_all(header::COOKIE);
    let previous = consent_cookie_in(cookie_headers.iter().filter_map(|v| v.to_str().ok()))
        .and_then(ConsentCookie::decode);
    let cookie = ConsentCookie {
        policy_version: state.cookie_policy_version.clone(),
        choice,
        visitor_id: previous
            .map(|cookie| cookie.visitor_id)
            .unwrap_or_else(new_visitor_id),
    };
    let entry = ConsentRecord {
        visitor_id: cookie.visitor_id.clone(),
        customer_id: None,
        action,
        choice,
        policy_version: cookie.policy_version.clone(),
        locale,
    };
    let origin = request_origin(&parts, &state.trusted_proxies);
    if let Err(error) = record(&state.db, &entry, &origin).await {
        // No proof, no cookie: the visitor is asked again rather than holding an unrecorded choice.
        tracing::error!(%error, "a cookie choice could not be written to the consent ledger");
        return refused(locale, StatusCode::SERVICE_UNAVAILABLE);
    }

    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let set_cookie = format!(
        "{CONSENT_COOKIE}={}; Path=/; Max-Age={CONSENT_MAX_AGE_SECONDS}; SameSite=Lax; HttpOnly{secure}",
        cookie.encode()
    );
    let from_island = parts.headers.contains_key(ISLAND_HEADER);
    let mut response = if from_island {
        StatusCode::NO_CONTENT.into_response()
    } else {
        let back = field(consent::RETURN_TO).filter(|path| is_local_path(path));
        let back = back
            .map(str::to_string)
            .unwrap_or_else(|| locale.path(&app::model::Page::Home));
        (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&set_cookie) {
        headers.insert(header::SET_COOKIE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&ConsentState::Chosen(choice).token()) {
        headers.insert(STATE_HEADER, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A path on this site (`/…`), never another site (`//evil.example`, `/\evil`) or a scheme.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path.len() <= 2048
}

fn refused(locale: Locale, status: StatusCode) -> Response {
    let key = match status {
        StatusCode::SERVICE_UNAVAILABLE => "consent.request_unavailable",
        _ => "consent.request_unreadable",
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{}\n", app::i18n::text(locale, key)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_returned_to() {
        assert!(is_local_path("/urun/keten-gomlek?renk=mavi"));
        assert!(is_local_path("/"));
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            "evil",
        ] {
            assert!(!is_local_path(bad), "{bad}");
        }
    }
}
