//! `POST /iletisim` (and `/en/contact`): the contact form, on the form kit (`forms`). A valid
//! message is stored with the sender's IP and time and the browser is sent to a confirmation
//! page with its reference number (303, so a reload does not send it twice). Otherwise the
//! contact page is rendered again with each problem next to its field and everything typed
//! kept: 422 for problems, 429 (with `Retry-After`) when the IP has sent too many messages lately, 503 when the
//! database cannot take it.

use app::backend::rate_limit::{self, Admission};
use app::backend::{contact, AppState, RequestOrigin};
use app::model::consent::{consent_cookie_in, ConsentCookie};
use app::model::contact::{ContactDraft, FieldProblem};
use app::model::form::Draft;
use app::model::{Locale, Page};
use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    response::Response,
    routing::post,
    Router,
};

use crate::client_ip::request_origin;
use crate::forms::{self, Refusal};

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

/// Why a message was not taken.
#[derive(Debug, thiserror::Error)]
enum ContactRefusal {
    #[error("{} field(s) need fixing", .0.len())]
    Invalid(Vec<FieldProblem>),
    #[error("too many messages from this IP lately")]
    RateLimited { retry_after_seconds: i64 },
    #[error("the database could not take the message: {0}")]
    Unavailable(#[from] sqlx::Error),
}

impl Refusal<ContactDraft> for ContactRefusal {
    fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn message_key(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "contact.problems",
            Self::RateLimited { .. } => "contact.rate_limited",
            Self::Unavailable(_) => "contact.unavailable",
        }
    }

    fn retry_after_seconds(&self) -> Option<i64> {
        match self {
            Self::RateLimited {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            _ => None,
        }
    }

    fn field_problems(self) -> Vec<FieldProblem> {
        match self {
            Self::Invalid(problems) => problems,
            _ => Vec::new(),
        }
    }
}

pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let locale = app::i18n::locale_of_path(parts.uri.path());
    let draft: ContactDraft = match forms::read(body, MAX_BODY_BYTES, locale).await {
        Ok(draft) => draft,
        Err(response) => return response,
    };
    let origin = request_origin(&parts, &state.trusted_proxies);
    // The anonymous visitor id of the cookie choice, when there is one.
    let visitor = consent_cookie_in(
        parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok()),
    )
    .and_then(ConsentCookie::decode)
    .map(|cookie| cookie.visitor_id);
    match accept(&state, &draft, locale, &origin, visitor.as_deref()).await {
        Ok(reference) => forms::accepted(format!(
            "{}?{}={reference}",
            locale.path(&Page::ContactSent),
            app::model::route::REFERENCE_QUERY
        )),
        Err(refusal) => forms::refused(state, parts, Page::Contact, draft, refusal).await,
    }
}

/// Stores the message once it meets every rule and the sender's IP has messages left; its
/// reference number.
async fn accept(
    state: &AppState,
    draft: &ContactDraft,
    locale: Locale,
    origin: &RequestOrigin,
    visitor: Option<&str>,
) -> Result<String, ContactRefusal> {
    let message = draft.validate().map_err(ContactRefusal::Invalid)?;
    let ip_group = rate_limit::ip_group(&origin.ip);
    let mut limits = vec![(contact::PER_IP_LIMIT, ip_group.as_str())];
    if let Some(visitor) = visitor {
        limits.push((contact::PER_VISITOR_LIMIT, visitor));
    }
    // The hits and the message are kept together: a message the database could not take costs
    // the sender none of their messages for the hour.
    let mut tx = match state.limiter.begin_write(&state.db, &limits).await? {
        Admission::Allowed(tx) => tx,
        Admission::Refused {
            retry_after_seconds,
        } => {
            return Err(ContactRefusal::RateLimited {
                retry_after_seconds,
            })
        }
    };
    let reference = contact::store(&mut tx, &message, locale, origin).await?;
    tx.commit().await?;
    Ok(reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::contact::ContactField;

    #[test]
    fn each_refusal_has_its_status_and_message() {
        let invalid = ContactRefusal::Invalid(vec![FieldProblem {
            field: ContactField::Email,
            message_key: "contact.error.email",
        }]);
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!invalid.is_fault());
        assert_eq!(invalid.field_problems().len(), 1);
        let gone = ContactRefusal::Unavailable(sqlx::Error::PoolClosed);
        assert_eq!(gone.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(gone.is_fault());
        let limited = ContactRefusal::RateLimited {
            retry_after_seconds: 60,
        };
        assert_eq!(limited.retry_after_seconds(), Some(60));
        for refusal in [limited, gone] {
            let key = refusal.message_key();
            for locale in Locale::ALL {
                assert_ne!(app::i18n::text(locale, key), key, "{key} is in the locales");
            }
        }
    }
}
