//! Giving goods back: an unpaid order whose reservation ended (the background job), one
//! superseded by a later confirmation, and staff releasing a held order to fulfilment.

use super::{give_back_stock, record_event, settle_card_payment};
use crate::backend::invoices::InvoiceProvider;
use crate::backend::payment::PaymentProvider;
use crate::backend::staff::audit::{self, Actor};
use crate::backend::{time, Db, WriteTx};
use crate::model::checkout::{OrderStatus, PaymentStatus};

/// How many orders one pass of [`settle_unanswered_payments`] or [`release_expired`] takes on:
/// the job runs passes while [`expired_count`] goes down, so a backlog (an outage, a crash)
/// clears at once without one query reading every row.
pub const BATCH: usize = 500;

/// The unpaid orders that still hold goods past their reservation's end (`$1`, now): what the
/// job releases and what it counts to know whether a pass made progress, one definition for
/// both.
macro_rules! expired_orders {
    () => {
        "FROM orders WHERE stock_held = 1 AND reserved_until IS NOT NULL \
         AND reserved_until < $1 AND payment_status IN ('pending', 'failed')"
    };
}

/// How many unpaid orders still hold goods past their reservation. The job's passes go on
/// while this goes down, whichever process released them (two processes may pass over the
/// same batch, each releasing part of it), and stop when it does not (releases failing: a
/// full disk, a lost database), to try again at the next tick instead of spinning.
pub async fn expired_count(db: &Db, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(concat!("SELECT COUNT(*) ", expired_orders!()))
        .bind(now)
        .fetch_one(db.pool())
        .await
}

/// Before goods are given back, asks the provider about every card payment of a due order
/// that neither the browser's return nor a webhook has answered (the shopper paid and closed
/// the tab, and the webhook never came): a payment that went through settles the order as
/// paid instead of its goods being released under it. How many were answered this way.
pub async fn settle_unanswered_payments(
    db: &Db,
    provider: &dyn PaymentProvider,
    invoices: &dyn InvoiceProvider,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let unanswered: Vec<String> = sqlx::query_scalar(
        "SELECT a.token FROM payment_attempts a JOIN orders o ON o.id = a.order_id \
         WHERE a.outcome IS NULL AND o.stock_held = 1 AND o.reserved_until IS NOT NULL \
         AND o.reserved_until < $1 AND o.payment_status IN ('pending', 'failed') \
         ORDER BY a.token LIMIT $2",
    )
    .bind(now)
    .bind(BATCH as i64)
    .fetch_all(db.pool())
    .await?;
    let mut answered = 0;
    for token in unanswered {
        match provider.retrieve(&token).await {
            Ok(result) => {
                settle_card_payment(db, provider, invoices, &result).await?;
                answered += 1;
            }
            // The provider cannot say now: the goods are released as planned, and a payment
            // that arrives later takes them again if they are still there (or is given back).
            Err(error) => tracing::warn!(%error, "a payment's outcome could not be asked"),
        }
    }
    Ok(answered)
}

/// Cancels every unpaid order whose reservation ended before `now` and gives its goods back;
/// how many. Each order is its own transaction, and its condition is checked again in it, so a
/// payment settled meanwhile is never undone.
pub async fn release_expired(db: &Db, now: i64) -> Result<usize, sqlx::Error> {
    let due: Vec<i64> = sqlx::query_scalar(concat!(
        "SELECT id ",
        expired_orders!(),
        " ORDER BY id LIMIT $2"
    ))
    .bind(now)
    .bind(BATCH as i64)
    .fetch_all(db.pool())
    .await?;
    let mut released = 0;
    let mut failed = None;
    for id in due {
        // One order that cannot be released now (a deadlock, a busy database) does not keep
        // the others: it is tried again on the next pass.
        match release_one(db, id, now).await {
            Ok(true) => released += 1,
            Ok(false) => {}
            Err(error) => {
                tracing::warn!(%error, order = id, "an ended reservation could not be released yet");
                failed = Some(error);
            }
        }
    }
    if released == 0 {
        if let Some(error) = failed {
            return Err(error);
        }
    }
    Ok(released)
}

/// Releases one order if its reservation ended unpaid (checked again in the transaction).
async fn release_one(db: &Db, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE orders SET status = 'cancelled', stock_held = 0, cancel_reason = 'expired', \
         updated_at = $1 WHERE id = $2 AND stock_held = 1 AND reserved_until < $3 \
         AND payment_status IN ('pending', 'failed')",
    )
    .bind(time::iso_utc(time::now_seconds()))
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    give_back_stock(&mut tx, id).await?;
    crate::backend::coupons::release(&mut tx, id).await?;
    let payment_status: String =
        sqlx::query_scalar("SELECT payment_status FROM orders WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    let payment_status =
        PaymentStatus::from_code(&payment_status).unwrap_or(PaymentStatus::Pending);
    record_event(
        &mut tx,
        id,
        OrderStatus::Cancelled,
        payment_status,
        "reservation ended unpaid",
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Cancels an unpaid card order inside `tx`, superseded by a later confirmation of the same
/// checkout: the goods it held, (variant, quantity), for the caller to give back in the same
/// pass as it takes the new order's, so that every variant is locked once and in id order
/// (two passes could lock crossed variants in two orders and deadlock on PostgreSQL); `None`
/// when it was not such an order any more. Its discount code's use is the caller's to give
/// back too (after the variants, as every transaction locks a code's row).
pub(super) async fn cancel_unpaid(
    tx: &mut WriteTx,
    order_id: i64,
    why: &str,
) -> Result<Option<Vec<(i64, i64)>>, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE orders SET status = 'cancelled', stock_held = 0, cancel_reason = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'awaiting_payment' AND stock_held = 1 AND payment_status <> 'paid'",
    )
    .bind(why)
    .bind(time::iso_utc(time::now_seconds()))
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    record_event(
        tx,
        order_id,
        OrderStatus::Cancelled,
        PaymentStatus::Pending,
        why,
    )
    .await?;
    Ok(Some(super::lines_of(tx, order_id).await?))
}

/// Staff release a held order to fulfilment ("Onay bekliyor" → confirmed) and its invoice is
/// issued; `false` when the order is not on hold, or waits for a transfer that has not been
/// recorded ([`record_transfer_received`]). The back office (issue 15) calls this; until then,
/// tests and staff tooling do.
pub async fn release_staff_hold(
    db: &Db,
    invoices: &dyn InvoiceProvider,
    number: &str,
    staff_note: &str,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, payment_status FROM orders WHERE number = $1 AND status = 'on_hold' \
         AND payment_status IN ('paid', 'due_on_delivery')",
    )
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, payment_status)) = row else {
        tx.rollback().await?;
        return Ok(false);
    };
    sqlx::query(
        "UPDATE orders SET status = 'confirmed', reserved_until = NULL, updated_at = $1 \
         WHERE id = $2 AND status = 'on_hold'",
    )
    .bind(time::iso_utc(time::now_seconds()))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let payment_status =
        PaymentStatus::from_code(&payment_status).unwrap_or(PaymentStatus::Pending);
    record_event(
        &mut tx,
        id,
        OrderStatus::Confirmed,
        payment_status,
        &format!("released by staff: {staff_note}"),
    )
    .await?;
    invoices.issue(&mut tx, id).await?;
    audit::record(
        &mut tx,
        by,
        "order.release",
        &format!("order:{number}"),
        staff_note,
    )
    .await?;
    crate::backend::mail::enqueue_order_update(&mut tx, id).await?;
    tx.commit().await?;
    Ok(true)
}

/// Staff saw a havale/EFT order's transfer arrive: it is paid, and no longer expires; it stays
/// on hold until released. `false` when the order does not wait for a transfer.
pub async fn record_transfer_received(
    db: &Db,
    number: &str,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE orders SET payment_status = 'paid', reserved_until = NULL, updated_at = $1 \
         WHERE number = $2 AND payment_method = 'havale' AND payment_status = 'pending' \
         AND status = 'on_hold' RETURNING id",
    )
    .bind(time::iso_utc(time::now_seconds()))
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        tx.rollback().await?;
        return Ok(false);
    };
    record_event(
        &mut tx,
        id,
        OrderStatus::OnHold,
        PaymentStatus::Paid,
        "transfer received",
    )
    .await?;
    audit::record(
        &mut tx,
        by,
        "order.transfer_received",
        &format!("order:{number}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
