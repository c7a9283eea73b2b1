//! The back office's forms: `POST /yonetim/giris` (log in, with the TOTP code for a
//! yonetici), `POST /yonetim/cikis` (log out) and `POST /yonetim/siparis/{number}` (what
//! happens to an order next, named in `islem`). Behind staff sessions; everything but the
//! login passes the guard (`staff_guard::require`) first, so only staff with the role reach
//! it. Each order action is one function of `app::backend` that moves the order only from the
//! state it must be in, writes the audit log and tells the shopper, in one transaction; an
//! action the order's state does not allow changes nothing and is answered 409 with the
//! order's page and why.

use app::backend::orders::{self, cayma, fulfil};
use app::backend::staff::audit::Actor;
use app::backend::staff::{self, auth, desk, StaffLogin};
use app::backend::AppState;
use app::i18n::{text, text_with};
use app::model::campaign::{CampaignDraft, CampaignField};
use app::model::catalogue_forms::{
    CategoryDraft, CategoryField, ProductDraft, ProductField, VariantDraft, VariantField,
};
use app::model::coupon::{CouponRuleDraft, CouponRuleField, CATEGORY_FIELD};
use app::model::form::{Draft, FieldProblem};
use app::model::route::{Load, STATE_QUERY};
use app::model::staff::{StaffLoginDraft, StaffLoginField, StaffRole, StaffView};
use app::model::{Locale, Page};
use app::pages::admin::{StaffNotice, ACTION};
use app::pages::admin_coupons::{CAMPAIGN_FORM, FORM_FIELD};
use app::pages::order_mail::short_mail;
use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    middleware,
    routing::post,
    Router,
};
use leptos::prelude::provide_context;

use crate::account_forms::Posted;
use crate::forms::{self, Refusal};
use crate::staff_guard::{require, Needs};

pub fn router(state: &AppState, staff_sessions: auth::Layer) -> Router<AppState> {
    let needs = Needs {
        state: state.clone(),
        role: StaffRole::Destek,
    };
    let guarded = Locale::ALL
        .into_iter()
        .fold(Router::new(), |router, locale| {
            router
                .route(&logout_path(locale), post(log_out))
                .route(&locale.path(&Page::StaffPassword), post(password_action))
                .route(
                    &locale.path(&Page::StaffOrder("{number}".into())),
                    post(order_action),
                )
                .route(
                    &locale.path(&Page::StaffMessage("{reference}".into())),
                    post(message_action),
                )
                .route(
                    &locale.path(&Page::StaffKvkkCase("{reference}".into())),
                    post(kvkk_action),
                )
        })
        .layer(middleware::from_fn_with_state(needs, require));
    let yonetici = Needs {
        state: state.clone(),
        role: StaffRole::Yonetici,
    };
    let catalogue = Locale::ALL
        .into_iter()
        .fold(Router::new(), |router, locale| {
            router
                .route(
                    &locale.path(&Page::StaffProduct("{slug}".into())),
                    post(product_action),
                )
                .route(&locale.path(&Page::StaffTeam), post(team_action))
                .route(&locale.path(&Page::StaffProducts), post(catalogue_action))
                .route(
                    &crate::image_upload::upload_path(locale, "{slug}"),
                    crate::image_upload::upload_route(),
                )
                .route(&locale.path(&Page::StaffCampaigns), post(coupon_action))
        })
        .layer(middleware::from_fn_with_state(yonetici, require));
    Locale::ALL
        .into_iter()
        .fold(guarded.merge(catalogue), |router, locale| {
            router.route(&locale.path(&Page::StaffLogin), post(log_in))
        })
        .layer(staff_sessions)
}

/// Where the log-out form posts: under the back office's first page.
pub fn logout_path(locale: Locale) -> String {
    format!("{}/cikis", locale.path(&Page::StaffHome))
}

/// Why a login was refused.
#[derive(Debug, thiserror::Error)]
enum LoginRefusal {
    #[error("the form has problems")]
    Invalid(Vec<FieldProblem<StaffLoginField>>),
    #[error("wrong address, password or code")]
    Refused,
    #[error("a code is needed")]
    CodeNeeded,
    #[error("too many failed logins")]
    RateLimited { retry_after_seconds: i64 },
    #[error("the database could not take it: {0}")]
    Unavailable(String),
}

impl Refusal<StaffLoginDraft> for LoginRefusal {
    fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(_) | Self::CodeNeeded => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Refused => StatusCode::UNAUTHORIZED,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn message_key(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "account.problems",
            Self::Refused => "staff.refused",
            Self::CodeNeeded => "staff.code_needed",
            Self::RateLimited { .. } => "account.rate_limited",
            Self::Unavailable(_) => "account.unavailable",
        }
    }

    fn field_problems(self) -> Vec<FieldProblem<StaffLoginField>> {
        match self {
            Self::Invalid(problems) => problems,
            Self::CodeNeeded => vec![FieldProblem {
                field: StaffLoginField::Code,
                message_key: "staff.problem.code_needed",
            }],
            _ => Vec::new(),
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
}

async fn log_in(State(state): State<AppState>, request: Request) -> axum::response::Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let mut draft: StaffLoginDraft = posted.draft();
    let outcome: Result<(), LoginRefusal> = async {
        let credentials = draft.validate().map_err(LoginRefusal::Invalid)?;
        let unavailable = |error: String| LoginRefusal::Unavailable(error);
        match staff::log_in(&state.db, &state.limiter, &credentials, &posted.origin)
            .await
            .map_err(|error| unavailable(error.to_string()))?
        {
            StaffLogin::LoggedIn(member) => {
                let mut session = posted
                    .parts
                    .extensions
                    .get::<auth::StaffSession>()
                    .cloned()
                    .ok_or_else(|| unavailable("no staff session layer".into()))?;
                auth::log_in(&mut session, &member)
                    .await
                    .map_err(unavailable)?;
                Ok(())
            }
            StaffLogin::CodeNeeded => Err(LoginRefusal::CodeNeeded),
            StaffLogin::Refused => Err(LoginRefusal::Refused),
            StaffLogin::RateLimited {
                retry_after_seconds,
            } => Err(LoginRefusal::RateLimited {
                retry_after_seconds,
            }),
        }
    }
    .await;
    match outcome {
        Ok(()) => forms::accepted(posted.locale.path(&Page::StaffHome)),
        Err(refusal) => {
            // Neither the password nor the code is ever written back into the page.
            draft.password.clear();
            draft.code.clear();
            posted
                .refused(state.clone(), Page::StaffLogin, draft, refusal)
                .await
        }
    }
}

async fn log_out(State(state): State<AppState>, request: Request) -> axum::response::Response {
    let locale = app::i18n::locale_of_path(request.uri().path());
    let Some(mut session) = request.extensions().get::<auth::StaffSession>().cloned() else {
        return crate::pages::unavailable(locale);
    };
    let (parts, _) = request.into_parts();
    if let Some(staff) = parts.extensions.get::<StaffView>() {
        let ip = crate::client_ip::request_origin(&parts, &state.trusted_proxies).ip;
        if let Err(error) = staff::record_logout(&state.db, staff.id, &ip).await {
            tracing::error!(%error, "a staff logout could not be recorded");
            return crate::pages::unavailable(locale);
        }
    }
    if let Err(error) = session.logout().await {
        tracing::error!(%error, "a staff session could not be ended");
        return crate::pages::unavailable(locale);
    }
    forms::accepted(format!(
        "{}?{STATE_QUERY}=cikis",
        locale.path(&Page::StaffLogin)
    ))
}

/// A back-office form as posted, and who posted it (the guard put them on the request; without
/// them nothing happens and the answer is the 404 page).
async fn staff_form(
    state: &AppState,
    request: Request,
) -> Result<(Posted, Actor), axum::response::Response> {
    let Some(staff) = request.extensions().get::<StaffView>().cloned() else {
        return Err(crate::staff_guard::not_found(state.clone(), &request.into_parts().0).await);
    };
    let posted = Posted::read(state, request).await?;
    let by = Actor::staff(staff.id, &posted.origin.ip);
    Ok((posted, by))
}

/// What an order action did.
enum Done {
    /// Moved: back to the order with `?durum=` this.
    Moved(&'static str),
    /// The order's state does not allow it (or the form named nothing known): 409, and why.
    Refused(&'static str),
}

async fn order_action(
    State(state): State<AppState>,
    Path(number): Path<String>,
    request: Request,
) -> axum::response::Response {
    let (posted, by) = match staff_form(&state, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let request_id = posted.field("talep").trim().parse::<i64>().ok();
    let done: Result<Done, sqlx::Error> = async {
        Ok(match posted.field(ACTION) {
            "havale" => {
                if orders::record_transfer_received(&state.db, &number, &by).await? {
                    Done::Moved("havale")
                } else {
                    Done::Refused("staff.refused.transfer")
                }
            }
            "onayla" => {
                let checks = posted.all("kontrol");
                let note = posted.text("not", 500);
                let note = format!("kontroller: {}; {note}", checks.join(", "));
                if orders::release_staff_hold(
                    &state.db,
                    state.invoices.as_ref(),
                    &number,
                    &note,
                    &by,
                )
                .await?
                {
                    Done::Moved("onaylandi")
                } else {
                    Done::Refused("staff.refused.release")
                }
            }
            "hazirla" => {
                if fulfil::mark_preparing(&state.db, &number, &by).await? {
                    Done::Moved("hazirlaniyor")
                } else {
                    Done::Refused("staff.refused.step")
                }
            }
            "kargola" => {
                let carrier = posted.text("kargo", 60);
                let tracking = posted.text("takip", 60);
                if carrier.is_empty() || tracking.is_empty() {
                    Done::Refused("staff.refused.shipment")
                } else if fulfil::mark_shipped(&state.db, &number, &carrier, &tracking, &by).await?
                {
                    Done::Moved("kargoda")
                } else {
                    Done::Refused("staff.refused.step")
                }
            }
            "teslim" => {
                let now = app::backend::time::now_seconds();
                if cayma::record_delivery(&state.db, &number, now, &by).await? {
                    Done::Moved("teslim")
                } else {
                    Done::Refused("staff.refused.step")
                }
            }
            "iptal" | "iptal_kalem" => {
                let reason = posted.text("neden", 300);
                let pieces = posted.quantities(app::pages::admin::CANCEL_QUANTITY_PREFIX);
                if reason.is_empty() {
                    Done::Refused("staff.refused.cancel_reason")
                } else {
                    let (cancelled, whole) = if posted.field(ACTION) == "iptal" {
                        let cancelled = orders::cancel::cancel_by_staff(
                            &state.db,
                            state.payments.as_ref(),
                            state.invoices.as_ref(),
                            &number,
                            &reason,
                            &by,
                        )
                        .await?;
                        (cancelled, true)
                    } else {
                        orders::cancel::cancel_lines_by_staff(
                            &state.db,
                            state.payments.as_ref(),
                            state.invoices.as_ref(),
                            &number,
                            &pieces,
                            &reason,
                            &by,
                        )
                        .await?
                    };
                    use orders::cancel::Cancelled;
                    match (cancelled, whole) {
                        (Cancelled::Done, true) => Done::Moved("iptal"),
                        (Cancelled::TransferOwed(_), true) => Done::Moved("iptal-havale"),
                        (Cancelled::RefundPending, true) => Done::Moved("iptal-iade-bekliyor"),
                        (Cancelled::Done, false) => Done::Moved("kalem-iptal"),
                        (Cancelled::TransferOwed(_), false) => Done::Moved("kalem-iptal-havale"),
                        (Cancelled::RefundPending, false) => {
                            Done::Moved("kalem-iptal-iade-bekliyor")
                        }
                        (Cancelled::NotAllowed, _) => Done::Refused("staff.refused.step"),
                        (Cancelled::NotInOrder, _) => Done::Refused("staff.refused.cancel_lines"),
                        (Cancelled::AwaitingTransfer, _) => {
                            Done::Refused("staff.refused.awaiting_transfer")
                        }
                    }
                }
            }
            "iade_tekrar" => match request_id {
                Some(id) if order_refund_belongs(&state, &number, id).await? => {
                    if orders::cancel::refund_to_card(&state.db, state.payments.as_ref(), id, &by)
                        .await?
                    {
                        Done::Moved("iade")
                    } else {
                        Done::Refused("staff.refused.refund_refused")
                    }
                }
                _ => Done::Refused("staff.refused.step"),
            },
            // Staff checked the provider's panel for a refund whose answer was lost.
            "iade_kontrol_oldu" | "iade_kontrol_olmadi" => match request_id {
                Some(id) if order_refund_belongs(&state, &number, id).await? => {
                    let went_through = posted.field(ACTION) == "iade_kontrol_oldu";
                    if orders::cancel::check_unanswered_refund(&state.db, id, went_through, &by)
                        .await?
                    {
                        Done::Moved(if went_through { "iade" } else { "iade-yeniden" })
                    } else {
                        Done::Refused("staff.refused.step")
                    }
                }
                _ => Done::Refused("staff.refused.step"),
            },
            "cayma_kontrol_oldu" | "cayma_kontrol_olmadi" => match request_id {
                Some(id) if cayma_belongs(&state, &number, id).await? => {
                    let went_through = posted.field(ACTION) == "cayma_kontrol_oldu";
                    if cayma::check_unanswered_refund(&state.db, id, went_through, &by).await? {
                        Done::Moved(if went_through { "iade" } else { "iade-yeniden" })
                    } else {
                        Done::Refused("staff.refused.step")
                    }
                }
                _ => Done::Refused("staff.refused.step"),
            },
            "iade_havale" => {
                if orders::cancel::record_transfer_refund(&state.db, &number, &by).await? {
                    Done::Moved("iade")
                } else {
                    Done::Refused("staff.refused.step")
                }
            }
            "cayma_urun" => match request_id {
                Some(id) if cayma_belongs(&state, &number, id).await? => {
                    let note = posted.text("not", 300);
                    if cayma::record_goods_received(&state.db, id, &note, &by).await? {
                        Done::Moved("urun-geldi")
                    } else {
                        Done::Refused("staff.refused.step")
                    }
                }
                _ => Done::Refused("staff.refused.step"),
            },
            "cayma_iade" | "cayma_havale" => match request_id {
                Some(id) if cayma_belongs(&state, &number, id).await? => {
                    if posted.field(ACTION) == "cayma_iade" {
                        match cayma::refund_cayma(&state.db, state.payments.as_ref(), id, &by)
                            .await?
                        {
                            cayma::RefundOutcome::Refunded => Done::Moved("iade"),
                            cayma::RefundOutcome::Refused(_) => {
                                Done::Refused("staff.refused.refund_refused")
                            }
                            cayma::RefundOutcome::Unanswered => {
                                Done::Refused("staff.refused.refund_unanswered")
                            }
                            cayma::RefundOutcome::NotForProvider => {
                                Done::Refused("staff.refused.step")
                            }
                        }
                    } else if cayma::record_transfer_refund(&state.db, id, &by).await? {
                        Done::Moved("iade")
                    } else {
                        Done::Refused("staff.refused.step")
                    }
                }
                _ => Done::Refused("staff.refused.step"),
            },
            _ => Done::Refused("staff.refused.step"),
        })
    }
    .await;
    if let Ok(Done::Refused(_)) = done {
        tracing::info!(%number, action = posted.field(ACTION), "a back-office action was refused");
    }
    answer(
        state,
        posted,
        Page::StaffOrder(number),
        Load::StaffOrder,
        done,
    )
    .await
}

/// Whether order refund `id` is order `number`'s (the form names both).
async fn order_refund_belongs(
    state: &AppState,
    number: &str,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT r.id FROM order_refunds r JOIN orders o ON o.id = r.order_id \
         WHERE r.id = $1 AND o.number = $2",
    )
    .bind(id)
    .bind(number)
    .fetch_optional(state.db.pool())
    .await?;
    Ok(found.is_some())
}

/// Whether cayma request `id` is one of order `number`'s (the form names both).
async fn cayma_belongs(state: &AppState, number: &str, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT c.id FROM cayma_requests c JOIN orders o ON o.id = c.order_id \
         WHERE c.id = $1 AND o.number = $2",
    )
    .bind(id)
    .bind(number)
    .fetch_optional(state.db.pool())
    .await?;
    Ok(found.is_some())
}

/// The page posted to again (loaded with `load`), with `status` and the message `key`.
async fn render_again(
    state: AppState,
    posted: Posted,
    load: Load,
    status: StatusCode,
    key: &'static str,
) -> axum::response::Response {
    render_page_again(state, posted.parts, load, status, key).await
}

/// The back-office page at `parts`' address again (loaded with `load`), with `status` and the
/// message `key`: for forms read some other way than `Posted` (an upload).
pub(crate) async fn render_page_again(
    state: AppState,
    parts: axum::http::request::Parts,
    load: Load,
    status: StatusCode,
    key: &'static str,
) -> axum::response::Response {
    render_parts_with(state, parts, load, status, move || {
        provide_context(StaffNotice(key))
    })
    .await
}

/// The page posted to again (loaded with `load`), with `status` and what `context` provides.
async fn render_with(
    state: AppState,
    posted: Posted,
    load: Load,
    status: StatusCode,
    context: impl Fn() + Clone + Send + Sync + 'static,
) -> axum::response::Response {
    render_parts_with(state, posted.parts, load, status, context).await
}

async fn render_parts_with(
    state: AppState,
    parts: axum::http::request::Parts,
    load: Load,
    status: StatusCode,
    context: impl Fn() + Clone + Send + Sync + 'static,
) -> axum::response::Response {
    let mut request = axum::http::Request::get(parts.uri.clone())
        .body(axum::body::Body::empty())
        .expect("a GET for a path that was just parsed");
    *request.extensions_mut() = parts.extensions.clone();
    let _ = crate::pages::load(&state, &[Load::Catalogue, load], &mut request).await;
    let mut response = crate::pages::render_loaded(state, request, context).await;
    *response.status_mut() = status;
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// `POST /yonetim/mesaj/{reference}`: a reply (kept with the thread and e-mailed) or a status.
async fn message_action(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    request: Request,
) -> axum::response::Response {
    let (posted, by) = match staff_form(&state, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let done: Result<Done, sqlx::Error> = async {
        Ok(match posted.field(ACTION) {
            "yanit" => {
                let body = posted.text("yanit", 5000);
                let Some(message) = desk::message(&state.db, &reference).await? else {
                    return Ok(Done::Refused("staff.refused.step"));
                };
                if body.is_empty() {
                    Done::Refused("staff.refused.empty")
                } else {
                    let locale = Locale::Tr;
                    let mail = short_mail(
                        text_with(
                            locale,
                            "mail.contact_reply_subject",
                            &[("reference", &reference)],
                        ),
                        &text_with(locale, "mail.greeting", &[("name", &message.name)]),
                        &[
                            body.clone(),
                            text_with(
                                locale,
                                "mail.contact_reply_quote",
                                &[("message", &message.message)],
                            ),
                        ],
                        &text(locale, "mail.contact_reply_action"),
                        &format!("{}{}", state.public_url, locale.path(&Page::Contact)),
                        &state.seller,
                        locale,
                    );
                    if desk::reply(&state.db, &reference, &body, &mail, &by).await? {
                        Done::Moved("yanitlandi")
                    } else {
                        Done::Refused("staff.refused.step")
                    }
                }
            }
            "durum" => {
                if desk::set_message_status(&state.db, &reference, posted.field("durum"), &by)
                    .await?
                {
                    Done::Moved("durum")
                } else {
                    Done::Refused("staff.refused.step")
                }
            }
            _ => Done::Refused("staff.refused.step"),
        })
    }
    .await;
    answer(
        state,
        posted,
        Page::StaffMessage(reference),
        Load::StaffMessage,
        done,
    )
    .await
}

/// `POST /yonetim/kvkk-basvuru/{reference}`: the answer, recorded and e-mailed.
async fn kvkk_action(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    request: Request,
) -> axum::response::Response {
    let (posted, by) = match staff_form(&state, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let done: Result<Done, sqlx::Error> = async {
        let body = posted.text("yanit", 5000);
        if posted.field(ACTION) != "yanit" || body.is_empty() {
            return Ok(Done::Refused("staff.refused.empty"));
        }
        let Some(case) = desk::kvkk_case(&state.db, &reference).await? else {
            return Ok(Done::Refused("staff.refused.step"));
        };
        let locale = Locale::Tr;
        let mail = short_mail(
            text_with(
                locale,
                "mail.kvkk_answer_subject",
                &[("reference", &reference)],
            ),
            &text(locale, "mail.account.greeting_anonymous"),
            &[
                text_with(
                    locale,
                    "mail.kvkk_answer_intro",
                    &[
                        ("reference", &reference),
                        ("right", &text(locale, &case.right.label_key())),
                    ],
                ),
                body.clone(),
            ],
            &text(locale, "mail.kvkk_answer_action"),
            &format!("{}{}", state.public_url, locale.path(&Page::PersonalData)),
            &state.seller,
            locale,
        );
        Ok(
            if desk::answer_kvkk(&state.db, &reference, &body, &mail, &by).await? {
                Done::Moved("yanitlandi")
            } else {
                Done::Refused("staff.refused.answered")
            },
        )
    }
    .await;
    answer(
        state,
        posted,
        Page::StaffKvkkCase(reference),
        Load::StaffKvkkCase,
        done,
    )
    .await
}

/// The answer to a back-office form: on to `page` with `?durum=`, or `page` again with why.
async fn answer(
    state: AppState,
    posted: Posted,
    page: Page,
    load: Load,
    done: Result<Done, sqlx::Error>,
) -> axum::response::Response {
    match done {
        Ok(Done::Moved(word)) => forms::accepted(format!(
            "{}?{STATE_QUERY}={word}",
            posted.locale.path(&page)
        )),
        Ok(Done::Refused(key)) => {
            render_again(state, posted, load, StatusCode::CONFLICT, key).await
        }
        Err(error) => {
            tracing::error!(%error, ?page, "a back-office form could not be stored");
            render_again(
                state,
                posted,
                load,
                StatusCode::SERVICE_UNAVAILABLE,
                "staff.refused.unavailable",
            )
            .await
        }
    }
}

/// `POST /yonetim/urun/{slug}` (a yonetici's): names, publishing, the cayma exemption, and each
/// variant's price, compare-at price and stock.
async fn product_action(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> axum::response::Response {
    let (posted, by) = match staff_form(&state, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    if posted.field(ACTION) == "varyant" {
        let draft: VariantDraft = posted.draft();
        let added = match draft.validate() {
            Ok(variant) => {
                app::backend::staff::catalogue::add_variant(&state.db, &slug, &variant, &by)
                    .await
                    .map_err(AddFormRefusal::Refused)
            }
            Err(problems) => Err(AddFormRefusal::Invalid(problems)),
        };
        return match added {
            Ok(()) => forms::accepted(format!(
                "{}?{STATE_QUERY}=varyant",
                posted.locale.path(&Page::StaffProduct(slug))
            )),
            Err(refusal) => {
                posted
                    .refused(state, Page::StaffProduct(slug), draft, refusal)
                    .await
            }
        };
    }
    let changes = read_product_changes(&posted);
    let done: Result<Done, sqlx::Error> = async {
        let Some(changes) = changes else {
            return Ok(Done::Refused("staff.refused.product_form"));
        };
        use app::backend::staff::catalogue::{save_product, ProductRefusal};
        Ok(match save_product(&state.db, &slug, &changes, &by).await {
            Ok(()) => Done::Moved("kaydedildi"),
            Err(ProductRefusal::CompareAt) => Done::Refused("staff.refused.compare_at"),
            Err(ProductRefusal::NotFound) => Done::Refused("staff.refused.step"),
            Err(ProductRefusal::ForeignVariant) => Done::Refused("staff.refused.stock_moved"),
            Err(ProductRefusal::NoVariants) => Done::Refused("staff.refused.no_variants"),
            Err(ProductRefusal::Database(error)) => return Err(error),
        })
    }
    .await;
    answer(
        state,
        posted,
        Page::StaffProduct(slug),
        Load::StaffProduct,
        done,
    )
    .await
}

/// Why a new product, variant or category was not added: its fields, or what the catalogue
/// holds (an address word or stock code another has: beside that field).
#[derive(Debug, thiserror::Error)]
enum AddFormRefusal<F: std::fmt::Debug> {
    #[error("the form has problems")]
    Invalid(Vec<FieldProblem<F>>),
    #[error("{0}")]
    Refused(app::backend::staff::catalogue::AddRefusal),
}

/// Which field a taken address word or stock code goes beside, and what a missing record it
/// names is called.
trait AddForm: Draft {
    const UNIQUE: Self::Field;
    const NOT_FOUND: &'static str;
}

impl AddForm for ProductDraft {
    const UNIQUE: ProductField = ProductField::Slug;
    const NOT_FOUND: &'static str = "staff.catalogue.error.category";
}

impl AddForm for VariantDraft {
    const UNIQUE: VariantField = VariantField::Sku;
    const NOT_FOUND: &'static str = "staff.refused.step";
}

impl AddForm for CategoryDraft {
    const UNIQUE: CategoryField = CategoryField::Slug;
    const NOT_FOUND: &'static str = "staff.catalogue.error.category";
}

impl<D: AddForm> Refusal<D> for AddFormRefusal<D::Field> {
    fn status(&self) -> StatusCode {
        use app::backend::staff::catalogue::AddRefusal as R;
        match self {
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Refused(R::Taken | R::NotFound) => StatusCode::CONFLICT,
            Self::Refused(R::Database(_)) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn message_key(&self) -> &'static str {
        use app::backend::staff::catalogue::AddRefusal as R;
        match self {
            Self::Invalid(_) => "checkout.problems",
            Self::Refused(R::Taken) => "staff.catalogue.error.taken",
            Self::Refused(R::NotFound) => D::NOT_FOUND,
            Self::Refused(R::Database(_)) => "staff.refused.unavailable",
        }
    }

    fn field_problems(self) -> Vec<FieldProblem<D::Field>> {
        use app::backend::staff::catalogue::AddRefusal as R;
        match self {
            Self::Invalid(problems) => problems,
            Self::Refused(R::Taken) => vec![FieldProblem {
                field: D::UNIQUE,
                message_key: "staff.catalogue.error.taken",
            }],
            Self::Refused(_) => Vec::new(),
        }
    }

    fn is_fault(&self) -> bool {
        matches!(
            self,
            Self::Refused(app::backend::staff::catalogue::AddRefusal::Database(_))
        )
    }
}

/// `POST /yonetim/urunler` (a yonetici's): a new product (`islem=urun`; to its own page, to
/// add variants and publish) or a new category (`islem=kategori`).
async fn catalogue_action(
    State(state): State<AppState>,
    request: Request,
) -> axum::response::Response {
    use app::backend::staff::catalogue::{create_category, create_product};
    let (posted, by) = match staff_form(&state, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    if posted.field(ACTION) == "kategori" {
        let draft: CategoryDraft = posted.draft();
        let added = match draft.validate() {
            Ok(category) => create_category(&state.db, &category, &by)
                .await
                .map_err(AddFormRefusal::Refused),
            Err(problems) => Err(AddFormRefusal::Invalid(problems)),
        };
        return match added {
            Ok(()) => forms::accepted(format!(
                "{}?{STATE_QUERY}=kategori",
                posted.locale.path(&Page::StaffProducts)
            )),
            Err(refusal) => {
                posted
                    .refused(state, Page::StaffProducts, draft, refusal)
                    .await
            }
        };
    }
    let draft: ProductDraft = posted.draft();
    let added = match draft.validate() {
        Ok(product) => create_product(&state.db, &product, &by)
            .await
            .map_err(AddFormRefusal::Refused),
        Err(problems) => Err(AddFormRefusal::Invalid(problems)),
    };
    match added {
        Ok(slug) => forms::accepted(format!(
            "{}?{STATE_QUERY}=urun",
            posted.locale.path(&Page::StaffProduct(slug))
        )),
        Err(refusal) => {
            posted
                .refused(state, Page::StaffProducts, draft, refusal)
                .await
        }
    }
}

/// The product form read and checked: `None` when a name is empty or a price or stock does not
/// read.
fn read_product_changes(posted: &Posted) -> Option<app::model::staff::ProductChanges> {
    use app::model::cayma::CaymaExemption;
    use app::model::staff::parse_price;
    let name_tr = posted.text("ad", 200);
    let name_en = posted.text("ad_en", 200);
    if name_tr.is_empty() || name_en.is_empty() {
        return None;
    }
    let cayma_exempt = match posted.field("cayma") {
        "" => None,
        code => Some(CaymaExemption::from_code(code)?),
    };
    let mut variants = Vec::new();
    for id in posted.all("varyant").iter().take(200) {
        let id: i64 = id.parse().ok()?;
        let price = parse_price(posted.field(&format!("fiyat-{id}")))?;
        let compare_at = match posted.field(&format!("liste-{id}")).trim() {
            "" => None,
            typed => Some(parse_price(typed)?),
        };
        let stock: i64 = posted.field(&format!("stok-{id}")).trim().parse().ok()?;
        let seen_stock: i64 = posted
            .field(&format!("stok-goruldu-{id}"))
            .trim()
            .parse()
            .ok()?;
        if !(0..=1_000_000).contains(&stock) || !(0..=1_000_000).contains(&seen_stock) {
            return None;
        }
        variants.push(app::model::staff::VariantChange {
            id,
            price,
            compare_at,
            stock,
            seen_stock,
        });
    }
    Some(app::model::staff::ProductChanges {
        name_tr,
        name_en,
        published: posted.field("yayinda") == "1",
        cayma_exempt,
        variants,
    })
}

/// Why a campaign or discount code form was not saved: its fields, or the rule as a whole
/// (a code spelt like another, a limit below the uses taken: beside the field it concerns).
#[derive(Debug, thiserror::Error)]
enum RuleFormRefusal<F: std::fmt::Debug> {
    #[error("the form has problems")]
    Invalid(Vec<FieldProblem<F>>),
    #[error("{0}")]
    Refused(app::backend::staff::coupons::CouponSaveRefusal),
}

/// Where a rule's refusal goes on its form: beside a field, or above the form.
trait RuleForm: Draft {
    fn field_of(refusal: &app::backend::staff::coupons::CouponSaveRefusal) -> Option<Self::Field>;
}

impl RuleForm for CouponRuleDraft {
    fn field_of(
        refusal: &app::backend::staff::coupons::CouponSaveRefusal,
    ) -> Option<CouponRuleField> {
        use app::backend::staff::coupons::CouponSaveRefusal as R;
        match refusal {
            R::Taken => Some(CouponRuleField::Code),
            R::LimitBelowUses => Some(CouponRuleField::UsageLimit),
            _ => None,
        }
    }
}

impl RuleForm for CampaignDraft {
    fn field_of(_: &app::backend::staff::coupons::CouponSaveRefusal) -> Option<CampaignField> {
        None
    }
}

impl<D: RuleForm> Refusal<D> for RuleFormRefusal<D::Field> {
    fn status(&self) -> StatusCode {
        use app::backend::staff::coupons::CouponSaveRefusal as R;
        match self {
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Refused(R::Database(_)) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Refused(R::NotFound) => StatusCode::NOT_FOUND,
            Self::Refused(_) => StatusCode::CONFLICT,
        }
    }

    fn message_key(&self) -> &'static str {
        use app::backend::staff::coupons::CouponSaveRefusal as R;
        match self {
            Self::Invalid(_) => "checkout.problems",
            Self::Refused(R::Taken) => "staff.coupon.error.taken",
            Self::Refused(R::LimitBelowUses) => "staff.coupon.error.limit_below_uses",
            Self::Refused(R::UnknownCategory | R::NotFound) => "staff.refused.step",
            Self::Refused(R::Database(_)) => "staff.refused.unavailable",
        }
    }

    fn field_problems(self) -> Vec<FieldProblem<D::Field>> {
        let key = <Self as Refusal<D>>::message_key(&self);
        match self {
            Self::Invalid(problems) => problems,
            Self::Refused(refusal) => D::field_of(&refusal)
                .map(|field| FieldProblem {
                    field,
                    message_key: key,
                })
                .into_iter()
                .collect(),
        }
    }

    fn is_fault(&self) -> bool {
        matches!(
            self,
            Self::Refused(app::backend::staff::coupons::CouponSaveRefusal::Database(_))
        )
    }
}

/// `POST /yonetim/kampanyalar` (a yonetici's): a campaign (`form=kampanya`), or else a new
/// discount code, or the rules of the one named in `duzenlenen` changed. A refused form comes
/// back with what was typed.
async fn coupon_action(
    State(state): State<AppState>,
    request: Request,
) -> axum::response::Response {
    use app::backend::staff::coupons;
    let (posted, by) = match staff_form(&state, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    if posted.field(FORM_FIELD) == CAMPAIGN_FORM {
        return campaign_action(state, posted, by).await;
    }
    let mut draft: CouponRuleDraft = posted.draft();
    draft.category_ids = ticked_categories(&posted);
    let editing = app::model::coupon::normalise_code(posted.field("duzenlenen"));
    if let Some(code) = &editing {
        // The spelling of a code never changes: the form shows it read-only.
        draft.code = code.clone();
    }
    let saved = async {
        let changes = draft.validate().map_err(RuleFormRefusal::Invalid)?;
        match &editing {
            Some(code) => coupons::update(&state.db, code, &changes, &by)
                .await
                .map(|()| "degisti"),
            None => coupons::create(&state.db, &changes, &by)
                .await
                .map(|_| "eklendi"),
        }
        .map_err(RuleFormRefusal::Refused)
    }
    .await;
    match saved {
        Ok(word) => forms::accepted(format!(
            "{}?{STATE_QUERY}={word}",
            posted.locale.path(&Page::StaffCampaigns)
        )),
        Err(refusal) => {
            posted
                .refused(state, Page::StaffCampaigns, draft, refusal)
                .await
        }
    }
}

/// The categories ticked on a campaign or code form.
fn ticked_categories(posted: &Posted) -> Vec<i64> {
    posted
        .all(CATEGORY_FIELD)
        .iter()
        .take(200)
        .filter_map(|id| id.parse().ok())
        .collect()
}

/// The campaign form of `POST /yonetim/kampanyalar`: a new campaign, or the one named in `id`
/// changed. The storefront's prices follow at once (the catalogue version moves).
async fn campaign_action(state: AppState, posted: Posted, by: Actor) -> axum::response::Response {
    let mut draft: CampaignDraft = posted.draft();
    draft.category_ids = ticked_categories(&posted);
    let id = posted.field("id").trim().parse::<i64>().ok();
    let saved = async {
        let changes = draft.validate().map_err(RuleFormRefusal::Invalid)?;
        app::backend::staff::campaigns::save(&state.db, id, &changes, &by)
            .await
            .map_err(RuleFormRefusal::Refused)
    }
    .await;
    match saved {
        Ok(_) => forms::accepted(format!(
            "{}?{STATE_QUERY}=kampanya",
            posted.locale.path(&Page::StaffCampaigns)
        )),
        Err(refusal) => {
            posted
                .refused(state, Page::StaffCampaigns, draft, refusal)
                .await
        }
    }
}

/// A team change done (its `?durum=` word, and a new second factor's e-mail, TOTP secret and
/// recovery codes to show once), or the key of why not.
type TeamOutcome = Result<(&'static str, Option<(String, staff::recovery::Issued)>), &'static str>;

/// `POST /yonetim/ekip` (a yonetici's): add a member of staff, change a role, close an
/// account. A new yonetici's TOTP secret is shown once, on the page this answers with.
async fn team_action(State(state): State<AppState>, request: Request) -> axum::response::Response {
    use app::backend::staff::{CreateError, TeamRefusal};
    let (posted, by) = match staff_form(&state, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let id = posted.field("id").trim().parse::<i64>().ok();
    let role = StaffRole::from_code(posted.field("rol"));
    // Done, with the secret to show once when a yonetici was made.
    let outcome: Result<TeamOutcome, sqlx::Error> = async {
        Ok(match (posted.field(ACTION), id, role) {
            ("ekle", _, Some(role)) => {
                let email = posted.field("eposta").trim().to_lowercase();
                let name = posted.text("ad", 120);
                if !email.contains('@') || name.is_empty() {
                    Err("staff.refused.team_form")
                } else {
                    match staff::create_by(
                        &state.db,
                        &email,
                        &name,
                        role,
                        posted.field("sifre"),
                        &by,
                    )
                    .await
                    {
                        Ok(created) => Ok((
                            "eklendi",
                            created.totp_secret.map(|secret| {
                                let recovery_codes = created.recovery_codes;
                                (
                                    email,
                                    staff::recovery::Issued {
                                        secret,
                                        recovery_codes,
                                    },
                                )
                            }),
                        )),
                        Err(CreateError::Password(_)) => Err("staff.refused.password"),
                        Err(CreateError::Taken) => Err("staff.refused.taken"),
                        Err(CreateError::Database(error)) => return Err(error),
                    }
                }
            }
            ("rol", Some(id), Some(role)) => {
                match staff::set_role(&state.db, id, role, &by).await {
                    Ok(secret) => {
                        let email = staff::find(&state.db, id)
                            .await?
                            .map(|member| member.email)
                            .unwrap_or_default();
                        Ok(("rol", secret.map(|secret| (email, secret))))
                    }
                    Err(TeamRefusal::Yourself) => Err("staff.refused.yourself"),
                    Err(TeamRefusal::NotFound) => Err("staff.refused.step"),
                    Err(TeamRefusal::Database(error)) => return Err(error),
                }
            }
            ("ikinci_adim", Some(id), _) => {
                match staff::reset_second_factor(&state.db, id, &by).await {
                    Ok(issued) => {
                        let email = staff::find(&state.db, id)
                            .await?
                            .map(|member| member.email)
                            .unwrap_or_default();
                        Ok(("ikinci-adim", Some((email, issued))))
                    }
                    Err(TeamRefusal::Yourself) => Err("staff.refused.yourself"),
                    Err(TeamRefusal::NotFound) => Err("staff.refused.no_second_factor"),
                    Err(TeamRefusal::Database(error)) => return Err(error),
                }
            }
            ("kapat", Some(id), _) => match staff::disable(&state.db, id, &by).await {
                Ok(()) => Ok(("kapatildi", None)),
                Err(TeamRefusal::Yourself) => Err("staff.refused.yourself"),
                Err(TeamRefusal::NotFound) => Err("staff.refused.step"),
                Err(TeamRefusal::Database(error)) => return Err(error),
            },
            _ => Err("staff.refused.step"),
        })
    }
    .await;
    match outcome {
        Ok(Ok((_, Some((email, issued))))) => {
            let new = new_second_factor(email, issued);
            render_with(state, posted, Load::StaffTeam, StatusCode::OK, move || {
                provide_context(new.clone())
            })
            .await
        }
        Ok(Ok((word, None))) => {
            answer(
                state,
                posted,
                Page::StaffTeam,
                Load::StaffTeam,
                Ok(Done::Moved(word)),
            )
            .await
        }
        Ok(Err(key)) => {
            answer(
                state,
                posted,
                Page::StaffTeam,
                Load::StaffTeam,
                Ok(Done::Refused(key)),
            )
            .await
        }
        Err(error) => answer(state, posted, Page::StaffTeam, Load::StaffTeam, Err(error)).await,
    }
}

/// A second factor issued to `email`, as the page shows it once.
fn new_second_factor(
    email: String,
    issued: staff::recovery::Issued,
) -> app::model::staff::NewSecondFactor {
    app::model::staff::NewSecondFactor {
        uri: app::backend::staff::totp::provisioning_uri(&issued.secret, &email),
        email,
        secret: issued.secret,
        recovery_codes: issued.recovery_codes,
    }
}

/// Logs `session` in again as `member` after a change of their stamp (password, second factor):
/// the other sessions end, this one goes on.
async fn renew_session(
    posted: &crate::account_forms::Posted,
    member: &auth::SessionStaff,
) -> Result<(), Done> {
    let mut session = posted.parts.extensions.get::<auth::StaffSession>().cloned();
    match session.as_mut() {
        Some(session) => auth::log_in(session, member).await.map_err(|error| {
            tracing::error!(%error, "a staff session could not be renewed");
            Done::Refused("staff.refused.unavailable")
        }),
        None => Err(Done::Refused("staff.refused.unavailable")),
    }
}

/// `POST /yonetim/sifre`: a member of staff changes their own password; their other sessions
/// end (the stamp changes) and this one logs in again. A yonetici renews their authenticator
/// here too (`islem=ikinci_adim`): the new key and codes are shown once.
async fn password_action(
    State(state): State<AppState>,
    request: Request,
) -> axum::response::Response {
    use app::backend::staff::OwnPassword;
    let (posted, by) = match staff_form(&state, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(id) = by.staff else {
        return crate::pages::unavailable(posted.locale);
    };
    if posted.field(ACTION) == "ikinci_adim" {
        return renew_second_factor(state, posted, id, by).await;
    }
    let changed = staff::change_own_password(
        &state.db,
        &state.limiter,
        id,
        posted.field("sifre"),
        posted.field("yeni_sifre"),
        &by,
    )
    .await;
    let done = match changed {
        Ok(OwnPassword::Changed(member)) => Ok(renew_session(&posted, &member)
            .await
            .map_or_else(|refused| refused, |()| Done::Moved("sifre"))),
        Ok(OwnPassword::WrongCurrent) => Ok(Done::Refused("staff.refused.current_password")),
        Ok(OwnPassword::Weak(_)) => Ok(Done::Refused("staff.refused.password")),
        Ok(OwnPassword::RateLimited { .. }) => Ok(Done::Refused("account.rate_limited")),
        Err(error) => Err(error),
    };
    answer(state, posted, Page::StaffPassword, Load::Catalogue, done).await
}

/// A yonetici renews their own authenticator: their password again, then a new key and new
/// recovery codes, shown once on the page this answers with.
async fn renew_second_factor(
    state: AppState,
    posted: crate::account_forms::Posted,
    id: i64,
    by: app::backend::staff::audit::Actor,
) -> axum::response::Response {
    use app::backend::staff::OwnSecondFactor;
    let renewed =
        staff::renew_own_second_factor(&state.db, &state.limiter, id, posted.field("sifre"), &by)
            .await;
    let done = match renewed {
        Ok(OwnSecondFactor::Renewed(issued, member)) => {
            match renew_session(&posted, &member).await {
                Ok(()) => {
                    let email = posted
                        .parts
                        .extensions
                        .get::<StaffView>()
                        .map(|staff| staff.email.clone())
                        .unwrap_or_default();
                    let new = new_second_factor(email, issued);
                    return render_with(
                        state,
                        posted,
                        Load::Catalogue,
                        StatusCode::OK,
                        move || provide_context(new.clone()),
                    )
                    .await;
                }
                Err(refused) => Ok(refused),
            }
        }
        Ok(OwnSecondFactor::WrongPassword) => Ok(Done::Refused("staff.refused.current_password")),
        Ok(OwnSecondFactor::NoneToRenew) => Ok(Done::Refused("staff.refused.no_second_factor")),
        Ok(OwnSecondFactor::RateLimited { .. }) => Ok(Done::Refused("account.rate_limited")),
        Err(error) => Err(error),
    };
    answer(state, posted, Page::StaffPassword, Load::Catalogue, done).await
}
