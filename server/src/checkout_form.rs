//! Checkout's doors (`/odeme`, English `/en/checkout`): starting a checkout from the cart,
//! each step's form, and the address the payment provider sends the browser back to.
//!
//! Every step is a plain HTML form on the form kit (`forms`): a valid step is stored and
//! answered 303 to the next step; an invalid one renders the same step again with what was
//! typed and each problem beside its field. Confirming the review places the order
//! (`app::backend::orders::place`, one transaction that takes the stock) and only then starts
//! the hosted card payment or shows the order. Nothing the browser sends about prices, stock or
//! totals is read: the review is recomputed here, and its documents' hash must be the one the
//! shopper read.

use app::backend::checkout::{self, Checkout, COOKIE, COOKIE_MAX_AGE_SECONDS, START_LIMIT};
use app::backend::orders::{self, Placed, Settled, StartError};
use app::backend::payment::ProviderError;
use app::backend::rate_limit::{self, Admission};
use app::backend::{order_link, time, AppState};
use app::model::cart::decode_items;
use app::model::checkout::{
    CheckoutStep, DetailsDraft, MethodsDraft, MethodsField, PaymentMethod, ReviewDraft, STEP_QUERY,
};
use app::model::consent::cookie_value;
use app::model::coupon::{normalise_code, CouponDraft, CouponField, CouponRefusal};
use app::model::form::{Draft, FieldProblem};
use app::model::{Locale, Page};
use app::wire::checkout::{
    coupon_path, result_path, start_path, COUPON_CODE, COUPON_REMOVE, DISTRICTS_PATH, ITEMS,
    PLACED_QUERY, PROVINCE_QUERY, STEP, TOKEN, WEBHOOK_PATH, WEBHOOK_SIGNATURE,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};

use crate::client_ip::request_origin;
use crate::forms::{self, Refusal};

/// The details step is the longest form: two addresses and an invoice party.
const MAX_BODY_BYTES: usize = 32 * 1024;

pub fn router(sessions: app::backend::accounts::auth::Layer) -> Router<AppState> {
    let router = Router::new()
        .route(WEBHOOK_PATH, post(webhook))
        .route(DISTRICTS_PATH, get(districts));
    Locale::ALL
        .into_iter()
        .fold(router, |router, locale| {
            router
                .route(&start_path(locale), post(start))
                .route(&locale.path(&Page::Checkout), post(submit))
                .route(&result_path(locale), post(result).get(result))
                .route(&coupon_path(locale), post(coupon))
        })
        // A member's confirmation makes the order theirs.
        .layer(sessions)
}

/// The districts of a province (`?il=` its plate code) as a JSON array of names: the checkout
/// island's suggestions once a province is chosen. The list is bundled with the server and
/// the same for everyone, so browsers and proxies may keep it for a day.
async fn districts(uri: axum::http::Uri) -> Response {
    let code = crate::query::value(uri.query(), PROVINCE_QUERY);
    let Some(province) = code.as_deref().and_then(app::model::address::province) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let names = serde_json::to_string(&province.districts).unwrap_or_else(|_| "[]".into());
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        names,
    )
        .into_response()
}

/// The checkout named by the request's cookie.
pub fn checkout_id(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|header| cookie_value(header, COOKIE))
        .filter(|id| checkout::is_id(id))
        .map(str::to_string)
}

fn see_other(to: String) -> Response {
    forms::accepted(to)
}

/// The link to an order that opens it (the e-mail's, long-lived).
pub fn order_address(state: &AppState, locale: Locale, number: &str) -> String {
    order_address_for(state, locale, number, order_link::LINK_LIFETIME_SECONDS)
}

/// The link the browser is sent to right after ordering or paying (short-lived).
fn return_address(state: &AppState, locale: Locale, number: &str) -> String {
    order_address_for(state, locale, number, RETURN_LINK_LIFETIME_SECONDS)
}

/// Where the shopper goes right after an order was placed: its page, marked as just placed (the
/// browser's cart store empties the cart), with the finished checkout's cookie cleared.
fn to_placed_order(state: &AppState, locale: Locale, number: &str) -> Response {
    let mut response = see_other(format!(
        "{}&{PLACED_QUERY}=1",
        return_address(state, locale, number)
    ));
    let cleared = format!("{COOKIE}=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly");
    if let Ok(value) = HeaderValue::from_str(&cleared) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// How long the link the browser is sent to after ordering or paying opens the order. The
/// provider's return carries a payment token in an address (history, logs, Referer), so what it
/// leads to does not last: the long-lived link is the e-mail's ([`order_address`]).
const RETURN_LINK_LIFETIME_SECONDS: i64 = 60 * 60;

/// The link to an order that opens it for `lifetime` seconds.
fn order_address_for(state: &AppState, locale: Locale, number: &str, lifetime: i64) -> String {
    let expires_at = time::now_seconds() + lifetime;
    let token = order_link::sign(&state.order_link_secret, number, expires_at);
    format!(
        "{}?{}={token}",
        locale.path(&Page::Order(number.to_string())),
        order_link::ACCESS_QUERY
    )
}

/// "Ödemeye geç": a new checkout for the cart the form carries, named by an HttpOnly cookie.
async fn start(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let locale = app::i18n::locale_of_path(parts.uri.path());
    let fields = match read_fields(body, locale).await {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let items = field(&fields, ITEMS)
        .and_then(decode_items)
        .filter(|items| !items.is_empty());
    let Some(items) = items else {
        return see_other(locale.path(&Page::Cart));
    };
    // A code typed in the cart goes with the checkout; the checkout's summary says whether it
    // applies (a shape no code can have is not kept).
    let coupon = field(&fields, COUPON_CODE).and_then(normalise_code);
    let origin = request_origin(&parts, &state.trusted_proxies);
    let ip_group = rate_limit::ip_group(&origin.ip);
    let started = async {
        let mut tx = match state
            .limiter
            .begin_write(&state.db, &[(START_LIMIT, ip_group.as_str())])
            .await?
        {
            Admission::Allowed(tx) => tx,
            Admission::Refused {
                retry_after_seconds,
            } => return Ok(Err(retry_after_seconds)),
        };
        let id = checkout::start(&mut tx, &items, coupon.as_deref(), locale, &origin).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Ok(id))
    }
    .await;
    match started {
        Ok(Ok(id)) => {
            let secure = if state.public_url.starts_with("https://") {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{COOKIE}={id}; Path=/; Max-Age={COOKIE_MAX_AGE_SECONDS}; SameSite=Lax; HttpOnly{secure}"
            );
            let mut response = see_other(locale.path(&Page::Checkout));
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Ok(Err(retry_after)) => plain(
            StatusCode::TOO_MANY_REQUESTS,
            locale,
            "checkout.rate_limited",
            Some(retry_after),
        ),
        Err(error) => {
            tracing::error!(%error, "a checkout could not be started");
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                locale,
                "checkout.unavailable",
                Some(5),
            )
        }
    }
}

/// A short page in the shopper's language (the cart stays in their browser either way).
fn plain(status: StatusCode, locale: Locale, key: &str, retry_after: Option<i64>) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        crate::error_pages::html(locale, key, "checkout.back_to_cart_text"),
    )
        .into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    }
    response
}

async fn read_fields(body: Body, locale: Locale) -> Result<Vec<(String, String)>, Response> {
    forms::read_fields(body, MAX_BODY_BYTES, locale).await
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn draft<D: Draft>(fields: &[(String, String)]) -> D {
    D::from_fields(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// Why a step was not taken.
#[derive(Debug, thiserror::Error)]
enum StepRefusal<F: std::fmt::Debug> {
    #[error("{} field(s) need fixing", .0.len())]
    Invalid(Vec<FieldProblem<F>>),
    #[error("the documents changed since the shopper read them")]
    DocumentsChanged,
    #[error("sold out while checking out: {0:?}")]
    SoldOut(Vec<String>),
    #[error("the payment provider could not start a payment: {0}")]
    Provider(ProviderError),
    #[error("the payment method is not offered for this total")]
    PaymentUnavailable,
    #[error("too many orders from this IP lately")]
    RateLimited { retry_after_seconds: i64 },
    #[error("the discount code no longer applies: {0}")]
    Coupon(CouponRefusal),
    #[error("this order started too many payments")]
    TooManyAttempts,
    #[error("the database could not take the step: {0}")]
    Unavailable(#[from] sqlx::Error),
}

impl<D: Draft> Refusal<D> for StepRefusal<D::Field> {
    fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::DocumentsChanged
            | Self::SoldOut(_)
            | Self::PaymentUnavailable
            | Self::Coupon(_) => StatusCode::CONFLICT,
            Self::RateLimited { .. } | Self::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Self::Provider(_) => StatusCode::BAD_GATEWAY,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn message_key(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "checkout.problems",
            Self::DocumentsChanged => "checkout.documents_changed",
            Self::SoldOut(_) => "checkout.sold_out",
            Self::Provider(_) => "checkout.provider_unavailable",
            Self::PaymentUnavailable => "checkout.error.payment_unavailable",
            Self::RateLimited { .. } => "checkout.too_many_orders",
            Self::TooManyAttempts => "checkout.too_many_attempts",
            Self::Coupon(_) => "checkout.coupon_changed",
            Self::Unavailable(_) => "checkout.unavailable",
        }
    }

    fn field_problems(self) -> Vec<FieldProblem<D::Field>> {
        match self {
            Self::Invalid(problems) => problems,
            _ => Vec::new(),
        }
    }

    fn is_fault(&self) -> bool {
        matches!(self, Self::Provider(_) | Self::Unavailable(_))
    }

    fn retry_after_seconds(&self) -> Option<i64> {
        match self {
            Self::RateLimited {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            _ => None,
        }
    }
}

/// The checkout the request's cookie names; without one (or an unknown one) the answer is the
/// way back to the cart, and a database that cannot be read is said plainly.
async fn shoppers_checkout(
    state: &AppState,
    parts: &axum::http::request::Parts,
    locale: Locale,
) -> Result<Checkout, Response> {
    let loaded = match checkout_id(&parts.headers) {
        Some(id) => checkout::load(&state.db, &id).await,
        None => Ok(None),
    };
    match loaded {
        Ok(Some(checkout)) => Ok(checkout),
        Ok(None) => Err(see_other(locale.path(&Page::Cart))),
        Err(error) => {
            tracing::error!(%error, "a checkout could not be read");
            Err(plain(
                StatusCode::SERVICE_UNAVAILABLE,
                locale,
                "checkout.unavailable",
                Some(5),
            ))
        }
    }
}

/// Why a discount code was not taken.
#[derive(Debug, thiserror::Error)]
enum CouponFormRefusal {
    #[error("the code has no code's shape")]
    Invalid(Vec<FieldProblem<CouponField>>),
    #[error("the code does not apply: {0}")]
    Refused(CouponRefusal),
    #[error("too many codes tried from this IP lately")]
    RateLimited { retry_after_seconds: i64 },
    #[error("the database could not take the code: {0}")]
    Unavailable(#[from] sqlx::Error),
}

impl Refusal<CouponDraft> for CouponFormRefusal {
    fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(_) | Self::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn message_key(&self) -> &'static str {
        match self {
            Self::Invalid(problems) => problems
                .first()
                .map_or("coupon.refused.unknown", |problem| problem.message_key),
            Self::Refused(why) => why.message_key(),
            Self::RateLimited { .. } => "coupon.refused.rate_limited",
            Self::Unavailable(_) => "checkout.unavailable",
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

    fn field_problems(self) -> Vec<FieldProblem<CouponField>> {
        match self {
            Self::Invalid(problems) => problems,
            Self::Refused(why) => vec![FieldProblem {
                field: CouponField::Code,
                message_key: why.message_key(),
            }],
            Self::RateLimited { .. } => vec![FieldProblem {
                field: CouponField::Code,
                message_key: "coupon.refused.rate_limited",
            }],
            Self::Unavailable(_) => Vec::new(),
        }
    }

    fn is_fault(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}

/// "Uygula" beside the summary's code field (or "Kaldır" beside an applied code): the code is
/// kept with the checkout and the step the shopper was on is shown again with the totals it
/// gives. A code that does not apply is kept too (the summary keeps saying why, and it may
/// apply later: a start date reached), and the step comes back 422 with the reason beside the
/// field and what was typed still in it.
async fn coupon(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let locale = app::i18n::locale_of_path(parts.uri.path());
    let fields = match read_fields(body, locale).await {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let mut checkout = match shoppers_checkout(&state, &parts, locale).await {
        Ok(checkout) => checkout,
        Err(response) => return response,
    };
    let step = field(&fields, STEP)
        .and_then(CheckoutStep::from_code)
        .unwrap_or(CheckoutStep::Details);
    let back = format!(
        "{}?{STEP_QUERY}={}",
        locale.path(&Page::Checkout),
        step.code()
    );
    if let Ok(uri) = back.parse() {
        parts.uri = uri;
    }
    let draft: CouponDraft = draft(&fields);
    let removing = field(&fields, COUPON_REMOVE).is_some();
    let applied = async {
        let code = if removing {
            None
        } else {
            Some(draft.validate().map_err(CouponFormRefusal::Invalid)?)
        };
        // Taking a code off is never limited; trying one is, per IP.
        let origin = request_origin(&parts, &state.trusted_proxies);
        let ip_group = rate_limit::ip_group(&origin.ip);
        let limits = if code.is_some() {
            vec![(app::backend::coupons::TRY_LIMIT, ip_group.as_str())]
        } else {
            Vec::new()
        };
        let mut tx = match state.limiter.begin_write(&state.db, &limits).await? {
            Admission::Allowed(tx) => tx,
            Admission::Refused {
                retry_after_seconds,
            } => {
                return Err(CouponFormRefusal::RateLimited {
                    retry_after_seconds,
                })
            }
        };
        checkout::save_coupon(&mut tx, &checkout.id, code.as_deref()).await?;
        tx.commit().await?;
        if code.is_none() {
            return Ok(());
        }
        checkout.coupon_code = code;
        checkout.locale = locale;
        checkout.customer_id = member_id(&state, &parts).await;
        let snapshot = state.catalogue.get(&state.db).await?;
        let cart = checkout::priced(&snapshot, &checkout, &state.checkout);
        match checkout::coupon(&state.db, &snapshot, &checkout, &cart).await? {
            app::backend::coupons::CouponOutcome::Refused(_, why) => {
                Err(CouponFormRefusal::Refused(why))
            }
            _ => Ok(()),
        }
    }
    .await;
    match applied {
        Ok(()) => see_other(back),
        Err(refusal) => forms::refused(state, parts, Page::Checkout, draft, refusal).await,
    }
}

/// A step's form, posted to `/odeme`.
async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let locale = app::i18n::locale_of_path(parts.uri.path());
    let fields = match read_fields(body, locale).await {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let checkout = match shoppers_checkout(&state, &parts, locale).await {
        Ok(checkout) => checkout,
        Err(response) => return response,
    };
    let Some(step) = field(&fields, STEP).and_then(CheckoutStep::from_code) else {
        return see_other(locale.path(&Page::Checkout));
    };
    // A refused step is shown again as that step, whatever the shopper had reached before.
    if let Ok(uri) = format!("{}?{STEP_QUERY}={}", parts.uri.path(), step.code()).parse() {
        parts.uri = uri;
    }
    let next = |step: CheckoutStep| {
        format!(
            "{}?{STEP_QUERY}={}",
            locale.path(&Page::Checkout),
            step.code()
        )
    };
    match step {
        CheckoutStep::Details => {
            let draft: DetailsDraft = draft(&fields);
            let saved = async {
                let details = draft.validate().map_err(StepRefusal::Invalid)?;
                let mut tx = state.db.begin_write().await?;
                checkout::save_details(&mut tx, &checkout.id, &details).await?;
                tx.commit().await?;
                Ok::<_, StepRefusal<_>>(())
            }
            .await;
            match saved {
                Ok(()) => see_other(next(CheckoutStep::Methods)),
                Err(refusal) => forms::refused(state, parts, Page::Checkout, draft, refusal).await,
            }
        }
        CheckoutStep::Methods => {
            let draft: MethodsDraft = draft(&fields);
            let saved = save_methods(&state, &checkout, &draft, locale).await;
            match saved {
                Ok(()) => see_other(next(CheckoutStep::Review)),
                Err(refusal) => forms::refused(state, parts, Page::Checkout, draft, refusal).await,
            }
        }
        CheckoutStep::Review => {
            let draft: ReviewDraft = draft(&fields);
            let origin = request_origin(&parts, &state.trusted_proxies);
            let mut checkout = checkout;
            checkout.customer_id = member_id(&state, &parts).await;
            match confirm(&state, checkout, &draft, locale, &origin).await {
                Ok(Confirmed::Go(to)) => see_other(to),
                Ok(Confirmed::Placed(number)) => to_placed_order(&state, locale, &number),
                Err(refusal) => forms::refused(state, parts, Page::Checkout, draft, refusal).await,
            }
        }
    }
}

async fn save_methods(
    state: &AppState,
    checkout: &Checkout,
    draft: &MethodsDraft,
    locale: Locale,
) -> Result<(), StepRefusal<MethodsField>> {
    let methods = draft.validate().map_err(StepRefusal::Invalid)?;
    // Whether kapıda ödeme is offered depends on the total, which only the server knows.
    let snapshot = state.catalogue.get(&state.db).await?;
    let mut checkout = checkout.clone();
    checkout.locale = locale;
    let cart = checkout::priced(&snapshot, &checkout, &state.checkout);
    let coupon = checkout::coupon(&state.db, &snapshot, &checkout, &cart).await?;
    let before_fee = app::model::checkout::OrderTotals::choosing(
        &cart.lines,
        coupon.discount(),
        methods.shipping,
        None,
        &state.checkout,
    )
    .total;
    if !methods.payment.offered_for(&state.checkout, before_fee) {
        return Err(StepRefusal::Invalid(vec![FieldProblem {
            field: MethodsField::Payment,
            message_key: "checkout.error.payment_unavailable",
        }]));
    }
    let mut tx = state.db.begin_write().await?;
    checkout::save_methods(&mut tx, &checkout.id, &methods).await?;
    tx.commit().await?;
    Ok(())
}

/// Where a confirmation leads.
enum Confirmed {
    /// On to this address (the provider's card page, the order, the cart).
    Go(String),
    /// An order placed and owed nothing more now (havale/EFT, kapıda ödeme).
    Placed(String),
}

/// "Siparişi onayla ve öde": places the order (or finds this attempt's), then sends the shopper
/// to the provider's page (card) or to the order (havale/EFT, kapıda ödeme).
/// The member logged in on this request, if any. A session that cannot be read leaves the
/// order a guest's (their confirmed address can claim it later).
async fn member_id(state: &AppState, parts: &axum::http::request::Parts) -> Option<i64> {
    use app::backend::accounts::auth;
    let mut session = parts.extensions.get::<auth::AuthSession>()?.clone();
    match auth::current_member(&state.db, &mut session).await {
        Ok(member) => member.map(|member| member.id),
        Err(error) => {
            tracing::warn!(%error, "a member's session could not be read at confirmation");
            None
        }
    }
}

async fn confirm(
    state: &AppState,
    mut checkout: Checkout,
    draft: &ReviewDraft,
    locale: Locale,
    origin: &app::backend::RequestOrigin,
) -> Result<Confirmed, StepRefusal<app::model::checkout::ReviewField>> {
    let documents_read = draft.validate().map_err(StepRefusal::Invalid)?;
    checkout.locale = locale;
    let snapshot = state.catalogue.get(&state.db).await?;
    let today = &time::iso_utc(time::now_seconds())[..10];
    let cart = checkout::priced(&snapshot, &checkout, &state.checkout);
    // A code that stopped applying since the review was shown changes the total, and so the
    // documents' hash: the shopper is shown the new total before anything is placed.
    let coupon = checkout::coupon(&state.db, &snapshot, &checkout, &cart).await?;
    let Some(review) = checkout::review(
        &checkout,
        cart,
        coupon.discount(),
        &state.checkout,
        &state.seller,
        today,
    ) else {
        return Ok(Confirmed::Go(locale.path(&Page::Checkout)));
    };
    if review.documents_sha256 != documents_read {
        return Err(StepRefusal::DocumentsChanged);
    }
    // The total may have moved since the method was chosen (a price changed): kapıda ödeme's
    // ceiling is checked again on the total being confirmed.
    let before_fee = app::model::Money(review.totals.total.0 - review.totals.payment_fee.0);
    if !review
        .methods
        .payment
        .offered_for(&state.checkout, before_fee)
    {
        return Err(StepRefusal::PaymentUnavailable);
    }
    let ip_group = rate_limit::ip_group(&origin.ip);
    let tx = match state
        .limiter
        .begin_write(&state.db, &[(checkout::PLACE_LIMIT, ip_group.as_str())])
        .await?
    {
        Admission::Allowed(tx) => tx,
        Admission::Refused {
            retry_after_seconds,
        } => {
            return Err(StepRefusal::RateLimited {
                retry_after_seconds,
            })
        }
    };
    let placed = orders::place(
        &state.db,
        tx,
        &snapshot,
        &checkout,
        &review,
        &state.checkout,
        origin,
    )
    .await?;
    let (id, number) = match placed {
        Placed::New { id, number } | Placed::Existing { id, number } => (id, number),
        Placed::SoldOut(lines) => return Err(StepRefusal::SoldOut(lines)),
        Placed::CouponRefused(why) => return Err(StepRefusal::Coupon(why)),
        Placed::Empty => return Ok(Confirmed::Go(locale.path(&Page::Cart))),
    };
    if review.methods.payment != PaymentMethod::Card {
        return Ok(Confirmed::Placed(number));
    }
    let callback = format!("{}{}", state.public_url, result_path(locale));
    match orders::start_payment(
        &state.db,
        state.payments.as_ref(),
        id,
        callback,
        state.checkout.max_installments,
        origin,
    )
    .await
    {
        Ok(started) => Ok(Confirmed::Go(started.payment_page_url)),
        // Paid already (a reload after paying), or no longer waiting: the order says which.
        Err(StartError::NotAwaitingPayment) => {
            Ok(Confirmed::Go(return_address(state, locale, &number)))
        }
        Err(StartError::TooManyAttempts) => Err(StepRefusal::TooManyAttempts),
        Err(StartError::Provider(error)) => Err(StepRefusal::Provider(error)),
        Err(StartError::Database(error)) => Err(StepRefusal::Unavailable(error)),
    }
}

/// The provider sends the browser back here with the payment's token (iyzico POSTs it; a GET
/// with `?token=` is read the same). The token alone proves nothing: the outcome is what a
/// signed, server-side retrieve says, settled by the one transition function.
async fn result(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let locale = app::i18n::locale_of_path(parts.uri.path());
    let mut token = crate::query::value(parts.uri.query(), TOKEN);
    if token.is_none() {
        if let Ok(fields) = read_fields(body, locale).await {
            token = field(&fields, TOKEN).map(str::to_string);
        }
    }
    let Some(token) = token.filter(|t| !t.is_empty() && t.len() <= 128) else {
        return plain(
            StatusCode::BAD_REQUEST,
            locale,
            "checkout.result_unknown",
            None,
        );
    };
    let result = match state.payments.retrieve(&token).await {
        Ok(result) => result,
        Err(ProviderError::UnknownPayment) => {
            return plain(
                StatusCode::NOT_FOUND,
                locale,
                "checkout.result_unknown",
                None,
            )
        }
        Err(error) => {
            tracing::error!(%error, "a payment result could not be retrieved");
            return plain(
                StatusCode::BAD_GATEWAY,
                locale,
                "checkout.provider_unavailable",
                Some(5),
            );
        }
    };
    match orders::settle_card_payment(
        &state.db,
        state.payments.as_ref(),
        state.invoices.as_ref(),
        &result,
    )
    .await
    {
        Ok(Settled::Declined { .. }) => see_other(format!(
            "{}?{STEP_QUERY}={}",
            locale.path(&Page::Checkout),
            CheckoutStep::Review.code()
        )),
        Ok(Settled::Paid { number, .. }) => to_placed_order(&state, locale, &number),
        Ok(Settled::Pending { number } | Settled::GivenBack { number, .. }) => {
            see_other(return_address(&state, locale, &number))
        }
        Ok(Settled::Unknown) => plain(
            StatusCode::NOT_FOUND,
            locale,
            "checkout.result_unknown",
            None,
        ),
        Err(error) => {
            tracing::error!(%error, "a payment result could not be recorded");
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                locale,
                "checkout.result_retry",
                Some(5),
            )
        }
    }
}

/// The provider's server reports a payment (iyzico's webhook: JSON, signed in
/// `X-IYZ-SIGNATURE-V3`). Like the browser's return, it is only a prompt: the outcome is what a
/// signed retrieve says, settled by the same transition, so a webhook that arrives twice, late,
/// or at the same moment as the browser changes the order once. `OK` for anything settled or
/// already settled (the provider stops retrying); 503 when it could not be recorded (it retries).
async fn webhook(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let signature = parts
        .headers
        .get(WEBHOOK_SIGNATURE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let token = match state.payments.verify_webhook(&signature, &json) {
        Ok(token) => token,
        Err(error) => {
            tracing::warn!(%error, "a payment webhook was refused");
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    let result = match state.payments.retrieve(&token).await {
        Ok(result) => result,
        Err(ProviderError::UnknownPayment) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "a webhook's payment could not be retrieved");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    match orders::settle_card_payment(
        &state.db,
        state.payments.as_ref(),
        state.invoices.as_ref(),
        &result,
    )
    .await
    {
        Ok(Settled::Unknown) => StatusCode::NOT_FOUND.into_response(),
        Ok(_) => (StatusCode::OK, "OK").into_response(),
        Err(error) => {
            tracing::error!(%error, "a webhook's payment could not be recorded");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
