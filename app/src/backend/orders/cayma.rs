//! Cayma hakkı (`model::cayma` has the rules): a notice per line, written with its e-mailed
//! acknowledgement in one transaction ([`request_cayma`]); the refund through the payment
//! provider ([`refund_cayma`]), by staff from the back office or, so that the legal 14 days are
//! never missed, by the background job ([`refund_before_deadline`]); the delivery that starts
//! the 14 days ([`record_delivery`]).
//!
//! A provider's refund cannot be asked twice safely (iyzico has no idempotency key for it), so
//! a refund is first claimed in the database (`refund_started_at`), then asked, then recorded:
//! a refund whose answer was lost stays claimed for staff to check, and is never sent again by
//! itself.

use super::record_event;
use crate::backend::payment::{PaymentProvider, ProviderError};
use crate::backend::staff::audit::{self, Actor};
use crate::backend::{time, Db, Dialect, RequestOrigin, WriteTx};
use crate::model::cayma::{
    self, CaymaForm, CaymaRequestView, CaymaStatus, OrderCayma, RefundMethod,
};
use crate::model::checkout::{OrderStatus, PaymentStatus};
use crate::model::{Locale, Money};

/// The job refunds a card this long before the legal due date at the latest.
pub const REFUND_SAFETY_MARGIN_SECONDS: i64 = 2 * 86_400;

/// Why a notice was not taken.
#[derive(Debug, thiserror::Error)]
pub enum CaymaRefusal {
    #[error("no such order")]
    NotFound,
    /// Not a contract that can be withdrawn from: unpaid, cancelled.
    #[error("the order is not open to cayma")]
    NotOpen,
    #[error("the 14 days after delivery are over")]
    PastDeadline,
    #[error("a line is exempt from cayma")]
    Exempt,
    /// A line not of this order, or more pieces than are left (an out-of-date form).
    #[error("more pieces than the order has left to withdraw")]
    TooMany,
    /// A refund by transfer needs the IBAN to send it to.
    #[error("a refund account is needed")]
    AccountNeeded,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Whether an order in this state is a contract the shopper may withdraw from.
pub fn open_to_cayma(status: OrderStatus, payment: PaymentStatus) -> bool {
    matches!(status, OrderStatus::OnHold | OrderStatus::Confirmed)
        && matches!(payment, PaymentStatus::Paid | PaymentStatus::DueOnDelivery)
}

/// Whether the 14 days after a delivery at `delivered_at` are over at `now`.
pub fn past_deadline(delivered_at: Option<i64>, now: i64) -> bool {
    delivered_at.is_some_and(|delivered| now > cayma::deadline(delivered))
}

/// Takes the notice `form` for order `number`: the reference it was filed under.
pub async fn request_cayma(
    db: &Db,
    invoices: &dyn crate::backend::invoices::InvoiceProvider,
    number: &str,
    form: &CaymaForm,
    locale: Locale,
    origin: &RequestOrigin,
) -> Result<String, CaymaRefusal> {
    let now = time::now_seconds();
    let mut tx = db.begin_write().await?;
    let lock = match db.dialect() {
        Dialect::Postgres => " FOR UPDATE",
        Dialect::Sqlite => "",
    };
    #[allow(clippy::type_complexity)]
    let order: Option<(
        i64,
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
        String,
        i64,
        i64,
    )> = sqlx::query_as(&format!(
        "SELECT id, status, payment_method, payment_status, delivered_at, paid_kurus, email, \
             shipping_kurus, payment_fee_kurus FROM orders WHERE number = $1{lock}"
    ))
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((order_id, status, method, payment, delivered_at, paid, email, shipping, fee)) = order
    else {
        return Err(CaymaRefusal::NotFound);
    };
    let (Some(status), Some(payment)) = (
        OrderStatus::from_code(&status),
        PaymentStatus::from_code(&payment),
    ) else {
        return Err(CaymaRefusal::NotOpen);
    };
    if !open_to_cayma(status, payment) {
        return Err(CaymaRefusal::NotOpen);
    }
    if past_deadline(delivered_at, now) {
        return Err(CaymaRefusal::PastDeadline);
    }
    let lines = super::lines_left(&mut tx, order_id).await?;
    let mut goods = 0_i64;
    let mut chosen = Vec::with_capacity(form.lines.len());
    for (line_id, quantity) in &form.lines {
        let Some(line) = lines.iter().find(|line| line.id == *line_id) else {
            return Err(CaymaRefusal::TooMany);
        };
        let exemption = line
            .exempt
            .as_deref()
            .and_then(cayma::CaymaExemption::from_code);
        if exemption.is_some_and(|exemption| !exemption.may_be_requested()) {
            return Err(CaymaRefusal::Exempt);
        }
        if *quantity > line.left() {
            return Err(CaymaRefusal::TooMany);
        }
        goods += line.value_of(*quantity);
        chosen.push((line, *quantity));
    }
    let whole_order = lines.iter().all(|line| {
        let now_withdrawn = form
            .lines
            .iter()
            .find(|(id, _)| *id == line.id)
            .map_or(0, |(_, quantity)| *quantity);
        now_withdrawn == line.left()
    });
    let already = super::owed_back_before(&mut tx, order_id).await?;
    // Everything paid goes back: the goods, and with the last of them the delivery, the
    // kapıda ödeme fee and any instalment interest (m.12/1). Kapıda ödeme is owed as if paid:
    // the courier collects it at delivery (`record_delivery` marks it), and goods withdrawn
    // before that are not delivered or collected at all.
    let paid = match paid {
        Some(paid) => paid,
        None => super::amount_asked(&mut tx, order_id).await?,
    };
    let left = (paid - already).max(0);
    let refund = if whole_order { left } else { goods.min(left) };
    let refund_method = if method == "kart" {
        RefundMethod::Card
    } else {
        RefundMethod::BankTransfer
    };
    // Havale/EFT and kapıda ödeme go back by transfer, to an account the shopper names.
    let account = match (&form.account, refund_method) {
        (_, RefundMethod::Card) => None,
        (Some(account), RefundMethod::BankTransfer) => Some(account),
        (None, RefundMethod::BankTransfer) if refund == 0 => None,
        (None, RefundMethod::BankTransfer) => return Err(CaymaRefusal::AccountNeeded),
    };
    let earlier: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM cayma_requests WHERE order_id = $1")
            .bind(order_id)
            .fetch_one(&mut *tx)
            .await?;
    let reference = format!("{number}-C{}", earlier + 1);
    let request_id: i64 = sqlx::query_scalar(
        "INSERT INTO cayma_requests (reference, order_id, reason, refund_method, iban, \
         account_holder, refund_kurus, refund_due_at, locale, ip, user_agent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(&reference)
    .bind(order_id)
    .bind(&form.reason)
    .bind(refund_method.code())
    .bind(account.map(|account| account.iban.clone()))
    .bind(account.map(|account| account.holder.clone()))
    .bind(refund)
    .bind(cayma::refund_due(now))
    .bind(locale.code())
    .bind(&origin.ip)
    .bind(&origin.user_agent)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for (line_id, quantity) in &form.lines {
        sqlx::query(
            "INSERT INTO cayma_request_lines (request_id, order_line_id, quantity) \
             VALUES ($1, $2, $3)",
        )
        .bind(request_id)
        .bind(line_id)
        .bind(quantity)
        .execute(&mut *tx)
        .await?;
    }
    // The contract ends for these goods with the notice: an invoice already issued gets its
    // return now (with the delivery and fee when the whole order is withdrawn).
    let services = if whole_order { (shipping, fee) } else { (0, 0) };
    let reason = format!("cayma {reference}");
    super::issue_return(&mut tx, invoices, order_id, &reason, &chosen, services).await?;
    record_event(&mut tx, order_id, status, payment, &reason).await?;
    enqueue_cayma_mail(
        &mut tx,
        order_id,
        request_id,
        "cayma_received",
        &email,
        locale,
    )
    .await?;
    tx.commit().await?;
    Ok(reference)
}

async fn enqueue_cayma_mail(
    tx: &mut WriteTx,
    order_id: i64,
    request_id: i64,
    kind: &str,
    recipient: &str,
    locale: Locale,
) -> Result<(), sqlx::Error> {
    let now = time::now_seconds();
    sqlx::query(
        "INSERT INTO outbox_emails (order_id, cayma_request_id, kind, recipient, locale, \
         next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (cayma_request_id, kind) DO NOTHING",
    )
    .bind(order_id)
    .bind(request_id)
    .bind(kind)
    .bind(recipient)
    .bind(locale.code())
    .bind(now)
    .bind(time::iso_utc(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What asking for a refund did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefundOutcome {
    /// The provider gave the money back; recorded, and the shopper told.
    Refunded,
    /// Nothing to send through the provider: already refunded or being refunded, a transfer
    /// refund (staff send it), or nothing was paid.
    NotForProvider,
    /// The provider refused (its reason); the refund may be asked again.
    Refused(String),
    /// The provider's answer was lost: staff check the provider's panel before anything else.
    Unanswered,
}

/// Refunds cayma request `request_id` to the card through `provider`.
pub async fn refund_cayma(
    db: &Db,
    provider: &dyn PaymentProvider,
    request_id: i64,
    by: &Actor,
) -> Result<RefundOutcome, sqlx::Error> {
    let now = time::now_seconds();
    let mut tx = db.begin_write().await?;
    let claimed: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE cayma_requests SET refund_started_at = $1, refund_error = NULL \
         WHERE id = $2 AND refund_started_at IS NULL AND refunded_at IS NULL \
         AND refund_method = 'kart' AND refund_kurus > 0 RETURNING order_id, refund_kurus",
    )
    .bind(now)
    .bind(request_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((order_id, amount)) = claimed else {
        tx.rollback().await?;
        return Ok(RefundOutcome::NotForProvider);
    };
    audit::record(
        &mut tx,
        by,
        "cayma.refund",
        &format!("cayma:{request_id}"),
        &format!("{amount} kuruş to the card"),
    )
    .await?;
    let payment_id: Option<String> =
        sqlx::query_scalar("SELECT provider_payment_id FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    let Some(payment_id) = payment_id else {
        return record_refusal(
            db,
            request_id,
            "the order has no payment at the provider",
            by,
        )
        .await;
    };
    match provider.refund(&payment_id, Money(amount)).await {
        Ok(()) => {
            let mut tx = db.begin_write().await?;
            record_refund(&mut tx, request_id, order_id, by, "cayma.refunded").await?;
            tx.commit().await?;
            Ok(RefundOutcome::Refunded)
        }
        Err(ProviderError::Refused(reason)) => record_refusal(db, request_id, &reason, by).await,
        Err(ProviderError::UnknownPayment) => {
            record_refusal(db, request_id, "the provider does not know the payment", by).await
        }
        Err(error) => {
            tracing::error!(%error, request_id, "a cayma refund was asked and its answer lost: check the provider's panel");
            let mut tx = db.begin_write().await?;
            sqlx::query("UPDATE cayma_requests SET refund_error = $1 WHERE id = $2")
                .bind(format!("no answer: {error}"))
                .bind(request_id)
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                by,
                "cayma.refund_unanswered",
                &format!("cayma:{request_id}"),
                "",
            )
            .await?;
            tx.commit().await?;
            Ok(RefundOutcome::Unanswered)
        }
    }
}

/// Staff looked in the provider's panel for the card refund of cayma request `request_id`,
/// asked and never answered: it went through (`went_through`: recorded as refunded, the
/// shopper told), or it did not (the claim is let go, so it may be asked again; the job that
/// refunds before the legal due date leaves it to staff). `false` when the request is not one
/// waiting for that check.
pub async fn check_unanswered_refund(
    db: &Db,
    request_id: i64,
    went_through: bool,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let unanswered = format!(
        "WHERE id = $2 AND refund_method = 'kart' AND refund_started_at IS NOT NULL \
         AND refunded_at IS NULL AND (refund_error IS NOT NULL OR refund_started_at < {}) \
         RETURNING order_id",
        time::now_seconds() - super::cancel::UNANSWERED_AFTER_SECONDS
    );
    let order_id: Option<i64> = if went_through {
        // When it was asked stays as it was; `record_refund` says when it was found done.
        sqlx::query_scalar(&format!(
            "UPDATE cayma_requests SET refund_error = $1 {unanswered}"
        ))
        .bind(Option::<String>::None)
        .bind(request_id)
        .fetch_optional(&mut *tx)
        .await?
    } else {
        sqlx::query_scalar(&format!(
            "UPDATE cayma_requests SET refund_started_at = NULL, refund_error = $1 {unanswered}"
        ))
        .bind("not refunded, as the provider's panel showed")
        .bind(request_id)
        .fetch_optional(&mut *tx)
        .await?
    };
    let Some(order_id) = order_id else {
        tx.rollback().await?;
        return Ok(false);
    };
    if went_through {
        record_refund(&mut tx, request_id, order_id, by, "cayma.refund_checked").await?;
    } else {
        audit::record(
            &mut tx,
            by,
            "cayma.refund_checked",
            &format!("cayma:{request_id}"),
            "not refunded, as the provider's panel showed: may be asked again",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

async fn record_refusal(
    db: &Db,
    request_id: i64,
    reason: &str,
    by: &Actor,
) -> Result<RefundOutcome, sqlx::Error> {
    tracing::warn!(request_id, reason, "the provider refused a cayma refund");
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE cayma_requests SET refund_started_at = NULL, refund_error = $1 WHERE id = $2",
    )
    .bind(reason)
    .bind(request_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        by,
        "cayma.refund_refused",
        &format!("cayma:{request_id}"),
        reason,
    )
    .await?;
    tx.commit().await?;
    Ok(RefundOutcome::Refused(reason.to_string()))
}

/// Records that staff received and checked the goods of request `request_id` (`note` says what
/// they found): the pieces go back on sale. `false` when already recorded, unknown, or when the
/// goods never left (an order cancelled or not shipped gave its stock back already).
pub async fn record_goods_received(
    db: &Db,
    request_id: i64,
    note: &str,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let recorded = sqlx::query(
        "UPDATE cayma_requests SET goods_received_at = $1, goods_note = $2 \
         WHERE id = $3 AND goods_received_at IS NULL AND order_id IN (SELECT id FROM orders \
         WHERE status = 'confirmed' AND fulfilment IN ('kargoda', 'teslim_edildi'))",
    )
    .bind(time::now_seconds())
    .bind(note)
    .bind(request_id)
    .execute(&mut *tx)
    .await?;
    if recorded.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    // In one order of variants, as every stock move is (no deadlock between two of them).
    let pieces: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT l.variant_id, c.quantity FROM cayma_request_lines c \
         JOIN order_lines l ON l.id = c.order_line_id WHERE c.request_id = $1 ORDER BY l.variant_id",
    )
    .bind(request_id)
    .fetch_all(&mut *tx)
    .await?;
    for (variant, quantity) in pieces {
        super::give_back(&mut tx, variant, quantity).await?;
    }
    audit::record(
        &mut tx,
        by,
        "cayma.goods_received",
        &format!("cayma:{request_id}"),
        note,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Records that staff sent the transfer refund of request `request_id` (havale/EFT, kapıda
/// ödeme); `false` when it is not a transfer refund still owed.
pub async fn record_transfer_refund(
    db: &Db,
    request_id: i64,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let order_id: Option<i64> = sqlx::query_scalar(
        "UPDATE cayma_requests SET refund_started_at = $1 WHERE id = $2 \
         AND refund_method = 'havale' AND refund_started_at IS NULL AND refunded_at IS NULL \
         RETURNING order_id",
    )
    .bind(time::now_seconds())
    .bind(request_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order_id) = order_id else {
        tx.rollback().await?;
        return Ok(false);
    };
    record_refund(&mut tx, request_id, order_id, by, "cayma.transfer_refunded").await?;
    tx.commit().await?;
    Ok(true)
}

/// Records that the money of request `request_id` went back: the order is `refunded` once
/// everything paid has, and the shopper is told.
async fn record_refund(
    tx: &mut WriteTx,
    request_id: i64,
    order_id: i64,
    by: &Actor,
    action: &str,
) -> Result<(), sqlx::Error> {
    let now = time::now_seconds();
    audit::record(tx, by, action, &format!("cayma:{request_id}"), "").await?;
    sqlx::query("UPDATE cayma_requests SET refunded_at = $1 WHERE id = $2 AND refunded_at IS NULL")
        .bind(now)
        .bind(request_id)
        .execute(&mut **tx)
        .await?;
    let (email, locale): (String, String) =
        sqlx::query_as("SELECT email, locale FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut **tx)
            .await?;
    let (status, payment) = super::settle_refunds(tx, order_id).await?;
    let reference: String =
        sqlx::query_scalar("SELECT reference FROM cayma_requests WHERE id = $1")
            .bind(request_id)
            .fetch_one(&mut **tx)
            .await?;
    record_event(
        tx,
        order_id,
        status,
        payment,
        &format!("cayma {reference} refunded"),
    )
    .await?;
    let locale = Locale::from_code(Some(&locale));
    enqueue_cayma_mail(tx, order_id, request_id, "cayma_refunded", &email, locale).await?;
    Ok(())
}

/// Refunds to the card every cayma whose legal due date is less than
/// [`REFUND_SAFETY_MARGIN_SECONDS`] away at `now` and that staff have not refunded: the
/// shopper gets their money within the 14 days whatever happens in the back office. A refund
/// the provider refused once is left to staff (the back office lists it), not asked again
/// every half minute. Returns how many were refunded.
pub async fn refund_before_deadline(
    db: &Db,
    provider: &dyn PaymentProvider,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM cayma_requests WHERE refunded_at IS NULL AND refund_started_at IS NULL \
         AND refund_error IS NULL AND refund_method = 'kart' AND refund_kurus > 0 \
         AND refund_due_at <= $1 ORDER BY id",
    )
    .bind(now + REFUND_SAFETY_MARGIN_SECONDS)
    .fetch_all(db.pool())
    .await?;
    let mut refunded = 0;
    for id in due {
        if refund_cayma(db, provider, id, &Actor::shop("job")).await? == RefundOutcome::Refunded {
            refunded += 1;
        }
    }
    Ok(refunded)
}

/// Records that order `number` was delivered at `at` (the courier's report; the back office
/// calls it, the last step of `Fulfilment`, from kargoda): the 14 days of cayma run from the
/// next day, and kapıda ödeme counts as paid. A second report changes nothing.
pub async fn record_delivery(
    db: &Db,
    number: &str,
    at: i64,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "UPDATE orders SET delivered_at = $1, updated_at = $2, fulfilment = 'teslim_edildi' \
         WHERE number = $3 AND delivered_at IS NULL AND status = 'confirmed' \
         AND fulfilment = 'kargoda' \
         RETURNING id, status, payment_status",
    )
    .bind(at)
    .bind(time::iso_utc(time::now_seconds()))
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, status, payment)) = row else {
        tx.rollback().await?;
        return Ok(false);
    };
    let status = OrderStatus::from_code(&status).unwrap_or(OrderStatus::Confirmed);
    let mut payment = PaymentStatus::from_code(&payment).unwrap_or(PaymentStatus::Paid);
    if payment == PaymentStatus::DueOnDelivery {
        // The courier collected kapıda ödeme on delivery.
        sqlx::query("UPDATE orders SET payment_status = 'paid', paid_kurus = $1 WHERE id = $2")
            .bind(super::amount_asked(&mut tx, id).await?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        payment = PaymentStatus::Paid;
    }
    record_event(&mut tx, id, status, payment, "delivered").await?;
    audit::record(
        &mut tx,
        by,
        "order.delivered",
        &format!("order:{number}"),
        &crate::backend::time::iso_utc(at),
    )
    .await?;
    crate::backend::mail::enqueue_order_update(&mut tx, id).await?;
    tx.commit().await?;
    Ok(true)
}

/// id, reference, refund, method, due, noticed, refund started, refunded, goods received.
type RequestRow = (
    i64,
    String,
    i64,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// An order's cayma as its pages show it, and how many of each line were withdrawn (by line
/// id). `open` is left for the caller, who knows the lines.
pub async fn of_order(
    db: &Db,
    order_id: i64,
    delivered_at: Option<i64>,
) -> Result<(OrderCayma, Vec<(i64, i64)>), sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<RequestRow> = sqlx::query_as(
        "SELECT id, reference, refund_kurus, refund_method, refund_due_at, created_at, \
         refund_started_at, refunded_at, goods_received_at FROM cayma_requests \
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    let withdrawn_lines: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT c.request_id, c.quantity, l.product_name, l.colour, l.size \
         FROM cayma_request_lines c JOIN order_lines l ON l.id = c.order_line_id \
         WHERE l.order_id = $1 ORDER BY c.request_id, l.id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    let withdrawn: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT l.id, CAST(COALESCE(SUM(c.quantity), 0) AS BIGINT) FROM order_lines l \
         JOIN cayma_request_lines c ON c.order_line_id = l.id WHERE l.order_id = $1 GROUP BY l.id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    let requests = rows
        .into_iter()
        .map(
            |(id, reference, refund, method, due, noticed_at, started, refunded_at, goods)| {
                let status = match (refunded_at, started) {
                    (Some(_), _) => CaymaStatus::Refunded,
                    (None, Some(_)) => CaymaStatus::Refunding,
                    (None, None) if refund == 0 => CaymaStatus::NothingPaid,
                    (None, None) => CaymaStatus::Received,
                };
                CaymaRequestView {
                    id,
                    reference,
                    noticed_at,
                    lines: withdrawn_lines
                        .iter()
                        .filter(|line| line.0 == id)
                        .map(|(_, quantity, name, colour, size)| {
                            (name.clone(), format!("{colour} / {size}"), *quantity)
                        })
                        .collect(),
                    refund: Money(refund),
                    refund_method: RefundMethod::from_code(&method).unwrap_or(RefundMethod::Card),
                    refund_due_at: due,
                    status,
                    refunded_at,
                    goods_received_at: goods,
                }
            },
        )
        .collect();
    Ok((
        OrderCayma {
            delivered_at,
            open: false,
            requests,
        },
        withdrawn,
    ))
}
