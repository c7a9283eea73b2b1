//! `POST /cerez-tercihi`: a cookie choice from the banner or the preferences page. Records it in
//! the consent ledger, then sets the consent cookie. Without JavaScript the browser is sent back
//! where it was (303); the banner's island asks with `x-ada: 1` and gets `204` with the new
//! state in `x-cerez`, and stays on the page.

use app::backend::{
    consent::{new_visitor_id, record, ConsentRecord, PER_IP_LIMIT, PER_VISITOR_LIMIT},
    rate_limit::{self, Admission, Checks},
    AppState, RequestOrigin,
};
use app::model::consent::{
    consent_cookie_in, ConsentAction, ConsentCategory, ConsentChoice, ConsentCookie, ConsentState,
    CONSENT_COOKIE, CONSENT_MAX_AGE_SECONDS,
};
use app::model::Locale;
use app::wire::{consent, LOCALE};
use axum::{
    extract::{DefaultBodyLimit, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Router,
};

use crate::client_ip::request_origin;

use app::wire::consent::{ISLAND_HEADER, PATH, STATE_HEADER};
/// The form is a few short fields.
pub const MAX_BODY_BYTES: usize = 4 * 1024;

/// Counts the choice against its limits and adds it to the ledger, in one transaction that is
/// committed before this returns `None`; otherwise the seconds until the visitor may choose again.
async fn keep(
    state: &AppState,
    limits: &Checks<'_>,
    entry: &ConsentRecord,
    origin: &RequestOrigin,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = match state.limiter.begin_write(&state.db, limits).await? {
        Admission::Allowed(tx) => tx,
        Admission::Refused {
            retry_after_seconds,
        } => return Ok(Some(retry_after_seconds)),
    };
    record(&mut tx, entry, origin).await?;
    tx.commit().await?;
    Ok(None)
}

/// `POST /cerez-tercihi`, its body bounded.
pub fn router() -> Router<AppState> {
    Router::new().route(
        PATH,
        post(submit).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
    )
}

pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(error) if crate::forms::is_timeout(&error) => {
            return refused(Locale::Tr, StatusCode::REQUEST_TIMEOUT)
        }
        Err(_) => return refused(Locale::Tr, StatusCode::PAYLOAD_TOO_LARGE),
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
    let ip_group = rate_limit::ip_group(&origin.ip);
    let limits = [
        (PER_IP_LIMIT, ip_group.as_str()),
        (PER_VISITOR_LIMIT, cookie.visitor_id.as_str()),
    ];
    match keep(&state, &limits, &entry, &origin).await {
        Ok(None) => {}
        Ok(Some(retry_after_seconds)) => {
            tracing::info!(ip = %origin.ip, "a cookie choice was refused: too many from this visitor or IP");
            let mut response = refused(locale, StatusCode::TOO_MANY_REQUESTS);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
            return response;
        }
        Err(error) => {
            // No proof, no cookie: the visitor is asked again rather than holding an
            // unrecorded choice.
            tracing::error!(%error, "a cookie choice could not be written to the consent ledger");
            return refused(locale, StatusCode::SERVICE_UNAVAILABLE);
        }
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
            .map(|page| {
                same_page_as_referred(&parts.headers, &state.public_url, page).unwrap_or(page)
            })
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

/// The address the form was sent from (`Referer`), when it is on this host and is the address
/// `back` names with more query parameters. A public page's HTML names only the parameters the
/// page reads (so that it can be shared between visitors, `page_cache`), while the visitor should
/// land exactly where they were. A `back` the referring address does not contain (the
/// preferences page's "saved" address) is a destination of its own and stays.
fn same_page_as_referred<'a>(
    headers: &'a HeaderMap,
    public_url: &str,
    back: &str,
) -> Option<&'a str> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    // The shop's public origin (behind a proxy that rewrites Host), or the host asked.
    let from_public = referer
        .strip_prefix(public_url.trim_end_matches('/'))
        .filter(|rest| rest.starts_with('/'));
    let from_host = || {
        let host = headers.get(header::HOST)?.to_str().ok()?;
        let rest = referer
            .strip_prefix("https://")
            .or_else(|| referer.strip_prefix("http://"))?;
        rest.strip_prefix(host)
    };
    let address = from_public.or_else(from_host)?;
    let address = address.split('#').next()?;
    let pairs = |address: &str| -> Vec<(String, String)> {
        let query = address
            .split_once('?')
            .map(|(_, query)| query)
            .unwrap_or_default();
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    };
    let referred = pairs(address);
    let contains_back = pairs(back).iter().all(|pair| referred.contains(pair));
    (is_local_path(address) && path_of(address) == path_of(back) && contains_back)
        .then_some(address)
}

/// `/urun/x` of `/urun/x?renk=beyaz`.
fn path_of(address: &str) -> &str {
    address.split(['?', '#']).next().unwrap_or_default()
}

/// A path on this site (`/…`), never another site (`//evil.example`, `/\evil`) or a scheme.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path.len() <= consent::RETURN_TO_MAX_BYTES
}

fn refused(locale: Locale, status: StatusCode) -> Response {
    let key = match status {
        StatusCode::SERVICE_UNAVAILABLE => "consent.request_unavailable",
        StatusCode::TOO_MANY_REQUESTS => "consent.rate_limited",
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
    fn the_visitor_goes_back_to_the_exact_address_of_the_page_they_chose_on() {
        const PUBLIC: &str = "https://www.lesminoria.com";
        let headers = |referer: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, HeaderValue::from_static("shop.example:3000"));
            headers.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
            headers
        };
        let page = "/urun/keten-gomlek";
        let from = headers("http://shop.example:3000/urun/keten-gomlek?renk=beyaz#fiyat");
        assert_eq!(
            same_page_as_referred(&from, PUBLIC, page),
            Some("/urun/keten-gomlek?renk=beyaz")
        );
        let filtered = headers("http://shop.example:3000/kategori/kadin?beden=M&utm_source=x");
        assert_eq!(
            same_page_as_referred(&filtered, PUBLIC, "/kategori/kadin?beden=M"),
            Some("/kategori/kadin?beden=M&utm_source=x")
        );
        // A destination of its own (the preferences page's "saved"), another page, another
        // site, or a host that only starts the same: the form's own.
        let saved = headers("http://shop.example:3000/cerez-tercihleri");
        assert_eq!(
            same_page_as_referred(&saved, PUBLIC, "/cerez-tercihleri?kaydedildi=1"),
            None
        );
        for referer in [
            "http://shop.example:3000/sepet?x=1",
            "https://evil.example/urun/keten-gomlek?x=1",
            "http://shop.example:30001/urun/keten-gomlek?x=1",
            "http://shop.example:3000//evil.example/urun",
        ] {
            assert_eq!(
                same_page_as_referred(&headers(referer), PUBLIC, page),
                None,
                "{referer}"
            );
        }
        assert_eq!(same_page_as_referred(&HeaderMap::new(), PUBLIC, page), None);
        // Behind a proxy that rewrote Host: the public origin counts.
        let proxied = headers("https://www.lesminoria.com/urun/keten-gomlek?renk=beyaz");
        assert_eq!(
            same_page_as_referred(&proxied, PUBLIC, page),
            Some("/urun/keten-gomlek?renk=beyaz")
        );
        let lookalike = headers("https://www.lesminoria.com.evil.example/urun/keten-gomlek?x=1");
        assert_eq!(same_page_as_referred(&lookalike, PUBLIC, page), None);
    }

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
