//! Membership's doors (issue 14), on the form kit (`forms`): `POST` to Üye ol, Giriş, Şifremi
//! unuttum and the new-password page, `GET` of the e-mailed links (confirming an address, a new
//! address), the one-click unsubscribe; Hesabım's forms (`account_page`) and its lists
//! (`account_lists`) are routed here too. All of them sit behind the members' session layer
//! (`app::backend::accounts::auth`), which [`router`] is given.
//!
//! A form that fails comes back with each problem beside its field and what was typed, except
//! passwords, which are never written into a page. A form that succeeds answers `303` to a
//! page that says what happened (`?durum=`), after the transaction that did it committed.

use app::backend::accounts::auth::{self, AuthSession};
use app::backend::accounts::{self, carts, AccountError, LoginOutcome, MailFor};
use app::backend::{password, AppState, RequestOrigin};
use app::model::account::{
    safe_next, AccountMail, Channel, ForgotDraft, ForgotField, LoginDraft, MemberView,
    RegisterDraft, RegisterField, ResetDraft, ResetField, CART_FIELD,
};
use app::model::cart::{decode_items, encode_items};
use app::model::form::{Draft, FieldProblem};
use app::model::route::{STATE_QUERY, TOKEN_QUERY};
use app::model::{Locale, Page};
use app::pages::account_mail::account_mail;
use app::pages::order_mail::Composed;
use app::wire::account::{EMAIL_CONFIRM_SEGMENT, EXPORT_SEGMENT, VERIFY_SEGMENT};
use axum::{
    extract::{Request, State},
    http::{request::Parts, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};

use crate::client_ip::request_origin;
use crate::forms::{self, Refusal};

/// The account forms are short; a password is at most a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Every door in both languages, behind `sessions` (the members' session layer).
pub fn router(sessions: auth::Layer) -> Router<AppState> {
    Locale::ALL
        .into_iter()
        .fold(Router::new(), |router, locale| {
            router
                .route(&locale.path(&Page::Register), post(register))
                .route(&verify_path(locale), get(verify))
                .route(&locale.path(&Page::Login), post(log_in))
                .route(&locale.path(&Page::ForgotPassword), post(forgot))
                .route(&locale.path(&Page::ResetPassword), post(reset))
                .route(
                    &locale.path(&Page::Account),
                    post(crate::account_page::submit),
                )
                .route(&email_confirm_path(locale), get(confirm_email))
                .route(&locale.path(&Page::Unsubscribe), post(unsubscribe))
                .route(
                    &locale.path(&Page::Addresses),
                    post(crate::account_lists::submit),
                )
                .route(
                    &locale.path(&Page::Orders),
                    post(crate::account_lists::claim_orders),
                )
                .route(
                    &locale.path(&Page::Cards),
                    post(crate::account_lists::delete_card),
                )
                .route(
                    &locale.path(&Page::PersonalData),
                    post(crate::account_lists::apply_kvkk),
                )
                .route(
                    &format!("{}/{EXPORT_SEGMENT}", locale.path(&Page::PersonalData)),
                    get(crate::account_lists::export_personal_data),
                )
        })
        .route(app::wire::member_cart::ENDPOINT, post(keep_member_cart))
        .layer(sessions)
}

pub(crate) fn email_confirm_path(locale: Locale) -> String {
    format!("{}/{EMAIL_CONFIRM_SEGMENT}", locale.path(&Page::Account))
}

/// The link e-mailed to a new address: the address becomes the member's.
async fn confirm_email(State(state): State<AppState>, request: Request) -> Response {
    let token = link_token(&request);
    let followed = accounts::confirm_email_change(&state.db, &token).await;
    after_link(&request, followed, "eposta-degisti", "eposta-gecersiz")
}

/// The token of an e-mailed link in the request's address.
fn link_token(request: &Request) -> String {
    crate::query::value(request.uri().query(), TOKEN_QUERY).unwrap_or_default()
}

/// To Giriş, saying whether the e-mailed link `followed` did its work (`done`) or was no longer
/// good (`stale`).
fn after_link(
    request: &Request,
    followed: Result<bool, sqlx::Error>,
    done: &str,
    stale: &str,
) -> Response {
    let locale = app::i18n::locale_of_path(request.uri().path());
    let login = locale.path(&Page::Login);
    match followed {
        Ok(good) => forms::accepted(format!(
            "{login}?{STATE_QUERY}={}",
            if good { done } else { stale }
        )),
        Err(error) => {
            tracing::error!(%error, "an e-mailed link could not be followed");
            crate::pages::unavailable(locale)
        }
    }
}

fn verify_path(locale: Locale) -> String {
    format!("{}/{VERIFY_SEGMENT}", locale.path(&Page::Register))
}

/// Why an account form was refused, for the form with fields `F`.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AccountRefusal<F: std::fmt::Debug> {
    #[error("{} field(s) need fixing", .0.len())]
    Invalid(Vec<FieldProblem<F>>),
    /// Refused as a whole, with this message (a wrong password, an expired link).
    #[error("refused: {0}")]
    Said(&'static str),
    #[error("too many attempts lately")]
    RateLimited { retry_after_seconds: i64 },
    /// What the form names is not the member's (or does not exist: the same answer).
    #[error("not the member's, or missing")]
    Missing,
    #[error("the database could not take it: {0}")]
    Unavailable(String),
}

impl<F: std::fmt::Debug> From<sqlx::Error> for AccountRefusal<F> {
    fn from(error: sqlx::Error) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl<F: std::fmt::Debug> From<AccountError> for AccountRefusal<F> {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::RateLimited {
                retry_after_seconds,
            } => Self::RateLimited {
                retry_after_seconds,
            },
            AccountError::Database(error) => error.into(),
        }
    }
}

impl<D: Draft> Refusal<D> for AccountRefusal<D::Field> {
    fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(_) | Self::Said(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Missing => StatusCode::NOT_FOUND,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn message_key(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "account.problems",
            Self::Said(key) => key,
            Self::Missing => "account.not_found",
            Self::RateLimited { .. } => "account.rate_limited",
            Self::Unavailable(_) => "account.unavailable",
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

    fn field_problems(self) -> Vec<FieldProblem<D::Field>> {
        match self {
            Self::Invalid(problems) => problems,
            _ => Vec::new(),
        }
    }
}

/// A posted form: the request's parts, its language, the fields and who sent it.
pub(crate) struct Posted {
    pub parts: Parts,
    pub locale: Locale,
    fields: Vec<(String, String)>,
    pub origin: RequestOrigin,
}

impl Posted {
    pub async fn read(state: &AppState, request: Request) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let locale = app::i18n::locale_of_path(parts.uri.path());
        let fields = forms::read_fields(body, MAX_BODY_BYTES, locale).await?;
        let origin = request_origin(&parts, &state.trusted_proxies);
        Ok(Self {
            parts,
            locale,
            fields,
            origin,
        })
    }

    pub fn draft<D: Draft>(&self) -> D {
        D::from_fields(self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The value posted under `name`, trimmed, at most `max_chars` characters.
    pub fn text(&self, name: &str, max_chars: usize) -> String {
        self.field(name).trim().chars().take(max_chars).collect()
    }

    /// Every value posted under `name` (checkboxes that share it).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// The positive whole numbers posted under `prefix` + an id (a quantity per order line):
    /// (id, quantity), at most 200.
    pub fn quantities(&self, prefix: &str) -> Vec<(i64, i64)> {
        self.fields
            .iter()
            .filter_map(|(key, value)| {
                let id = key.strip_prefix(prefix)?.parse::<i64>().ok()?;
                let quantity = value.trim().parse::<i64>().ok()?;
                (quantity > 0).then_some((id, quantity))
            })
            .take(200)
            .collect()
    }

    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    pub fn session(&self) -> Option<AuthSession> {
        self.parts.extensions.get::<AuthSession>().cloned()
    }

    /// Answers with `page` again for `draft` (passwords emptied) and the refusal.
    pub async fn refused<D: Draft, R: Refusal<D>>(
        self,
        state: AppState,
        page: Page,
        draft: D,
        refusal: R,
    ) -> Response {
        forms::refused(state, self.parts, page, draft, refusal).await
    }

    /// The member who posted, with their session; otherwise the answer: to Giriş and back to
    /// `page`, or 503 when the session cannot be read.
    pub async fn member(
        &self,
        state: &AppState,
        page: &Page,
    ) -> Result<(AuthSession, MemberView), Response> {
        let Some(mut session) = self.session() else {
            return Err(crate::pages::unavailable(self.locale));
        };
        match auth::current_member(&state.db, &mut session).await {
            Ok(Some(member)) => Ok((session, member)),
            Ok(None) => Err(crate::pages::to_login(self.locale, page)),
            Err(error) => {
                tracing::error!(%error, "a member's session could not be read");
                Err(crate::pages::unavailable(self.locale))
            }
        }
    }

    /// The address of `page` with `?durum=state`.
    pub fn to(&self, page: &Page, state: &str) -> Response {
        forms::accepted(format!("{}?{STATE_QUERY}={state}", self.locale.path(page)))
    }
}

/// A fresh token for an e-mailed link, and the link: the shop's address, `path`, the token.
pub(crate) fn emailed_link(state: &AppState, path: &str) -> (String, String) {
    let token = accounts::new_token();
    let link = format!("{}{path}?{TOKEN_QUERY}={token}", state.public_url);
    (token, link)
}

/// Writes a membership e-mail whose link is `link`.
pub(crate) fn composer<'a>(
    state: &'a AppState,
    locale: Locale,
    link: &'a str,
) -> impl Fn(MailFor<'_>) -> Composed + 'a {
    move |mail: MailFor<'_>| {
        let link = match mail.mail {
            AccountMail::Verify | AccountMail::Reset | AccountMail::EmailChange => link.to_string(),
            AccountMail::Exists | AccountMail::PasswordChanged => {
                format!("{}{}", state.public_url, locale.path(&Page::ForgotPassword))
            }
            AccountMail::Closed => format!("{}{}", state.public_url, locale.path(&Page::Register)),
        };
        account_mail(mail.mail, mail.name, &link, &state.seller, locale)
    }
}

/// The new-password check (`password::check_new`) as a field problem.
pub(crate) fn password_problem<F>(
    field: F,
    password: &str,
    email: &str,
) -> Option<FieldProblem<F>> {
    password::check_new(password, email)
        .err()
        .map(|problem| FieldProblem {
            field,
            message_key: problem.message_key(),
        })
}

async fn register(State(state): State<AppState>, request: Request) -> Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let mut draft: RegisterDraft = posted.draft();
    let outcome = async {
        let member = draft.validate().map_err(AccountRefusal::Invalid)?;
        if let Some(problem) =
            password_problem(RegisterField::Password, &member.password, &member.email)
        {
            return Err(AccountRefusal::Invalid(vec![problem]));
        }
        let (token, link) = emailed_link(&state, &verify_path(posted.locale));
        accounts::register(
            &state.db,
            &state.limiter,
            &member,
            posted.locale.code(),
            &posted.origin,
            &token,
            composer(&state, posted.locale, &link),
        )
        .await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => posted.to(&Page::Register, "gonderildi"),
        Err(refusal) => {
            draft.password.clear();
            posted
                .refused(state.clone(), Page::Register, draft, refusal)
                .await
        }
    }
}

async fn verify(State(state): State<AppState>, request: Request) -> Response {
    let token = link_token(&request);
    let followed = accounts::verify_email(&state.db, &token).await;
    after_link(&request, followed, "dogrulandi", "gecersiz")
}

async fn log_in(State(state): State<AppState>, request: Request) -> Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let mut draft: LoginDraft = posted.draft();
    let outcome = async {
        let credentials = draft.validate().map_err(AccountRefusal::Invalid)?;
        let mut session = posted
            .session()
            .ok_or_else(|| AccountRefusal::Unavailable("no session layer".into()))?;
        let (token, link) = emailed_link(&state, &verify_path(posted.locale));
        let outcome = accounts::log_in(
            &state.db,
            &state.limiter,
            &credentials,
            &posted.origin,
            &token,
            composer(&state, posted.locale, &link),
        )
        .await?;
        match outcome {
            LoginOutcome::LoggedIn(member) => {
                auth::log_in(&mut session, &member)
                    .await
                    .map_err(AccountRefusal::Unavailable)?;
                // The browser's cart and the saved one become one; the next private page
                // hands it to the browser (`Load::Member`).
                let browser = decode_items(posted.field(CART_FIELD)).unwrap_or_default();
                let merged = carts::merge_at_login(&state.db, member.id, &browser).await?;
                session
                    .session
                    .insert(auth::CART_HANDOFF, encode_items(&merged))
                    .await
                    .map_err(|error| AccountRefusal::Unavailable(error.to_string()))
            }
            LoginOutcome::Refused => Err(AccountRefusal::Said("account.login_refused")),
            LoginOutcome::Unconfirmed => Err(AccountRefusal::Said("account.unconfirmed")),
            LoginOutcome::RateLimited {
                retry_after_seconds,
            } => Err(AccountRefusal::RateLimited {
                retry_after_seconds,
            }),
        }
    }
    .await;
    match outcome {
        Ok(()) => {
            let next = safe_next(&draft.next)
                .map(str::to_string)
                .unwrap_or_else(|| posted.locale.path(&Page::Account));
            forms::accepted(next)
        }
        Err(refusal) => {
            draft.password.clear();
            posted
                .refused(state.clone(), Page::Login, draft, refusal)
                .await
        }
    }
}

async fn forgot(State(state): State<AppState>, request: Request) -> Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let draft: ForgotDraft = posted.draft();
    let outcome: Result<(), AccountRefusal<ForgotField>> = async {
        let email = draft.validate().map_err(AccountRefusal::Invalid)?;
        let (token, link) = emailed_link(&state, &posted.locale.path(&Page::ResetPassword));
        accounts::request_reset(
            &state.db,
            &state.limiter,
            &email,
            &posted.origin,
            &token,
            composer(&state, posted.locale, &link),
        )
        .await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => posted.to(&Page::ForgotPassword, "gonderildi"),
        Err(refusal) => {
            posted
                .refused(state.clone(), Page::ForgotPassword, draft, refusal)
                .await
        }
    }
}

async fn reset(State(state): State<AppState>, request: Request) -> Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let mut draft: ResetDraft = posted.draft();
    let outcome = async {
        let new = draft.validate().map_err(AccountRefusal::Invalid)?;
        let Some((_, email)) = accounts::reset_target(&state.db, &new.token).await? else {
            return Err(AccountRefusal::Said("account.link_invalid"));
        };
        if let Some(problem) = password_problem(ResetField::Password, &new.password, &email) {
            return Err(AccountRefusal::Invalid(vec![problem]));
        }
        let password_hash = accounts::hash_password(new.password.clone()).await;
        let notice = composer(&state, posted.locale, "")(MailFor {
            name: "",
            mail: AccountMail::PasswordChanged,
        });
        if accounts::reset_password(&state.db, &new.token, &password_hash, &notice).await? {
            Ok(())
        } else {
            Err(AccountRefusal::Said("account.link_invalid"))
        }
    }
    .await;
    match outcome {
        Ok(()) => posted.to(&Page::Login, "yenilendi"),
        Err(refusal) => {
            draft.password.clear();
            posted
                .refused(state.clone(), Page::ResetPassword, draft, refusal)
                .await
        }
    }
}

/// The member and channel of a signed unsubscribe link in `uri`'s query, when the signature is
/// the shop's for them.
pub fn unsubscribe_link(state: &AppState, uri: &axum::http::Uri) -> Option<(i64, Channel)> {
    use app::backend::accounts::unsubscribe::{self, CHANNEL_QUERY, MEMBER_QUERY, SIGNATURE_QUERY};
    let value = |name| crate::query::value(uri.query(), name);
    let customer = value(MEMBER_QUERY)?.parse().ok()?;
    let channel = Channel::from_code(&value(CHANNEL_QUERY)?)?;
    let signature = value(SIGNATURE_QUERY)?;
    unsubscribe::verify(&state.order_link_secret, customer, channel, &signature)
        .then_some((customer, channel))
}

/// One-click unsubscribe (RFC 8058): the page's button, or the mail client's own POST, withdraws
/// the consent the signed link names. No login: the signature is the authority.
async fn unsubscribe(State(state): State<AppState>, request: Request) -> Response {
    let locale = app::i18n::locale_of_path(request.uri().path());
    let uri = request.uri().clone();
    let (parts, _) = request.into_parts();
    let origin = request_origin(&parts, &state.trusted_proxies);
    let Some((customer, channel)) = unsubscribe_link(&state, &uri) else {
        return (StatusCode::NOT_FOUND, "").into_response();
    };
    match accounts::withdraw(&state.db, customer, channel, &origin).await {
        Ok(_) => forms::accepted(format!(
            "{}?{}&{STATE_QUERY}=iptal",
            locale.path(&Page::Unsubscribe),
            uri.query().unwrap_or_default()
        )),
        Err(error) => {
            tracing::error!(%error, "an unsubscribe could not be saved");
            crate::pages::unavailable(locale)
        }
    }
}

/// A logged-in member's browser sends its cart whenever it changes: kept, so that another
/// device has it at its next login. 401 for a browser whose session is gone (it stops sending).
async fn keep_member_cart(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(mut session) = parts.extensions.get::<AuthSession>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let member = match auth::current_member(&state.db, &mut session).await {
        Ok(Some(member)) => member,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => {
            tracing::error!(%error, "a member's session could not be read");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let Ok(body) = axum::body::to_bytes(body, 8 * 1024).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let Some(items) = std::str::from_utf8(&body).ok().and_then(decode_items) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    match carts::replace(&state.db, member.id, &items).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => {
            tracing::error!(%error, "a member's cart could not be kept");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
