//! Staff cancel an order that has not left the warehouse (on hold, or confirmed and at most
//! being prepared): in one transaction the order is cancelled, its goods go back on sale, the
//! money still held is owed back (`order_refunds`), the change is audited and the shopper
//! told. A card refund is then asked of the payment provider by the claim-ask-record steps
//! cayma refunds use, so it is never asked twice; a transfer refund (havale/EFT paid) is sent
//! by staff and recorded ([`record_transfer_refund`]).

use super::{give_back_stock, record_event};
use crate::backend::mail::enqueue_order_update;
use crate::backend::payment::{PaymentProvider, ProviderError};
use crate::backend::staff::audit::{self, Actor};
use crate::backend::{time, Db, Dialect};
use crate::model::checkout::{OrderStatus, PaymentStatus};
use crate::model::Money;

/// What a cancellation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cancelled {
    /// Cancelled; nothing was paid, or what was paid is back on the card.
    Done,
    /// Cancelled; a transfer refund of this much is owed (staff send it and record it).
    TransferOwed(Money),
    /// Cancelled; the card refund was refused by the provider or its answer lost: staff look.
    RefundPending,
    /// The order cannot be cancelled in its state (shipped, delivered, unpaid, cancelled).
    NotAllowed,
}

type OrderRow = (
    i64,
    String,
    Option<String>,
    String,
    String,
    Option<i64>,
    i64,
    i64,
);

/// Cancels order `number` for `reason`, giving back what was paid through `provider`.
pub async fn cancel_by_staff(
    db: &Db,
    provider: &dyn PaymentProvider,
    number: &str,
    reason: &str,
    by: &Actor,
) -> Result<Cancelled, sqlx::Error> {
    let lock = match db.dialect() {
        Dialect::Postgres => " FOR UPDATE",
        Dialect::Sqlite => "",
    };
    let mut tx = db.begin_write().await?;
    let row: Option<OrderRow> = sqlx::query_as(&format!(
        "SELECT id, status, fulfilment, payment_method, payment_status, paid_kurus, total_kurus, \
         stock_held FROM orders WHERE number = $1{lock}"
    ))
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, status, fulfilment, method, payment, paid, total, stock_held)) = row else {
        tx.rollback().await?;
        return Ok(Cancelled::NotAllowed);
    };
    let not_shipped = matches!(fulfilment.as_deref(), None | Some("hazirlaniyor"));
    if !matches!(status.as_str(), "on_hold" | "confirmed") || !not_shipped {
        tx.rollback().await?;
        return Ok(Cancelled::NotAllowed);
    }
    let payment = PaymentStatus::from_code(&payment).unwrap_or(PaymentStatus::Pending);
    sqlx::query(
        "UPDATE orders SET status = 'cancelled', stock_held = 0, cancel_reason = $1, \
         reserved_until = NULL, updated_at = $2 WHERE id = $3",
    )
    .bind(format!("staff: {reason}"))
    .bind(time::iso_utc(time::now_seconds()))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if stock_held == 1 {
        give_back_stock(&mut tx, id).await?;
    }
    crate::backend::coupons::release(&mut tx, id).await?;
    // What is still held of the payment: paid, less what cayma already gave back.
    let given_back: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(refund_kurus), 0) AS BIGINT) FROM cayma_requests \
         WHERE order_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let owed = match payment {
        PaymentStatus::Paid => (paid.unwrap_or(total) - given_back).max(0),
        _ => 0,
    };
    if payment != PaymentStatus::Paid {
        // Nothing was collected (kapıda ödeme before delivery): a cayma refund owed on it is
        // owed no more.
        sqlx::query(
            "UPDATE cayma_requests SET refund_kurus = 0 WHERE order_id = $1 \
             AND refunded_at IS NULL AND refund_started_at IS NULL",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    let by_card = method == "kart";
    let refund_id: Option<i64> = if owed > 0 {
        Some(
            sqlx::query_scalar(
                "INSERT INTO order_refunds (order_id, amount_kurus, method, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(id)
            .bind(owed)
            .bind(if by_card { "kart" } else { "havale" })
            .bind(time::iso_utc(time::now_seconds()))
            .fetch_one(&mut *tx)
            .await?,
        )
    } else {
        None
    };
    record_event(
        &mut tx,
        id,
        OrderStatus::Cancelled,
        payment,
        &format!("cancelled by staff: {reason}"),
    )
    .await?;
    audit::record(
        &mut tx,
        by,
        "order.cancel",
        &format!("order:{number}"),
        &format!("{reason}; {owed} kuruş owed back"),
    )
    .await?;
    enqueue_order_update(&mut tx, id).await?;
    tx.commit().await?;
    match refund_id {
        None => Ok(Cancelled::Done),
        Some(_) if !by_card => Ok(Cancelled::TransferOwed(Money(owed))),
        Some(refund) => Ok(if refund_to_card(db, provider, refund, by).await? {
            Cancelled::Done
        } else {
            Cancelled::RefundPending
        }),
    }
}

/// Asks the provider for card refund `refund` once: whether the money went back.
pub async fn refund_to_card(
    db: &Db,
    provider: &dyn PaymentProvider,
    refund: i64,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let claimed: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE order_refunds SET started_at = $1, error = NULL WHERE id = $2 \
         AND started_at IS NULL AND refunded_at IS NULL AND method = 'kart' \
         RETURNING order_id, amount_kurus",
    )
    .bind(time::now_seconds())
    .bind(refund)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((order_id, amount)) = claimed else {
        tx.rollback().await?;
        return Ok(false);
    };
    let payment_id: Option<String> =
        sqlx::query_scalar("SELECT provider_payment_id FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *tx)
            .await?;
    audit::record(
        &mut tx,
        by,
        "order.refund",
        &format!("order-refund:{refund}"),
        &format!("{amount} kuruş to the card"),
    )
    .await?;
    tx.commit().await?;
    let asked = match payment_id {
        Some(payment_id) => provider.refund(&payment_id, Money(amount)).await,
        None => Err(ProviderError::UnknownPayment),
    };
    let mut tx = db.begin_write().await?;
    let target = format!("order-refund:{refund}");
    let refunded = match asked {
        Ok(()) => {
            sqlx::query("UPDATE order_refunds SET refunded_at = $1 WHERE id = $2")
                .bind(time::now_seconds())
                .bind(refund)
                .execute(&mut *tx)
                .await?;
            mark_refunded(&mut tx, order_id).await?;
            audit::record(&mut tx, by, "order.refunded", &target, "").await?;
            true
        }
        // Refused: nothing went back, staff may ask again.
        Err(error @ (ProviderError::Refused(_) | ProviderError::UnknownPayment)) => {
            tracing::warn!(%error, refund, "the provider refused an order refund");
            sqlx::query("UPDATE order_refunds SET started_at = NULL, error = $1 WHERE id = $2")
                .bind(error.to_string())
                .bind(refund)
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                by,
                "order.refund_refused",
                &target,
                &error.to_string(),
            )
            .await?;
            false
        }
        // Unknown: it stays claimed, so nothing asks again before staff checked.
        Err(error) => {
            tracing::error!(%error, refund, "an order refund was asked and its answer lost: check the provider's panel");
            sqlx::query("UPDATE order_refunds SET error = $1 WHERE id = $2")
                .bind(format!("no answer: {error}"))
                .bind(refund)
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                by,
                "order.refund_unanswered",
                &target,
                &error.to_string(),
            )
            .await?;
            false
        }
    };
    tx.commit().await?;
    Ok(refunded)
}

/// How long a refund may be asked of the provider before staff may treat it as unanswered: far
/// longer than any provider takes, or than a request may run.
pub const UNANSWERED_AFTER_SECONDS: i64 = 5 * 60;

/// Staff looked in the provider's panel for card refund `refund`, asked and never answered:
/// it went through (`went_through`: recorded as refunded), or it did not (the claim is let go,
/// so it may be asked again). `false` when the refund is not one waiting for that check (asked
/// and answered, or being asked right now).
pub async fn check_unanswered_refund(
    db: &Db,
    refund: i64,
    went_through: bool,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    // Unanswered: claimed, and the lost answer written down, or claimed so long ago that the
    // request was cut off before it could be (a refund being asked right now is neither).
    let unanswered = format!(
        "WHERE id = $2 AND method = 'kart' AND started_at IS NOT NULL AND refunded_at IS NULL \
         AND (error IS NOT NULL OR started_at < {}) RETURNING order_id",
        time::now_seconds() - UNANSWERED_AFTER_SECONDS
    );
    let order_id: Option<i64> = if went_through {
        sqlx::query_scalar(&format!(
            "UPDATE order_refunds SET refunded_at = $1, error = NULL {unanswered}"
        ))
        .bind(time::now_seconds())
        .bind(refund)
        .fetch_optional(&mut *tx)
        .await?
    } else {
        sqlx::query_scalar(&format!(
            "UPDATE order_refunds SET started_at = NULL, error = $1 {unanswered}"
        ))
        .bind("not refunded, as the provider's panel showed")
        .bind(refund)
        .fetch_optional(&mut *tx)
        .await?
    };
    let Some(order_id) = order_id else {
        tx.rollback().await?;
        return Ok(false);
    };
    if went_through {
        mark_refunded(&mut tx, order_id).await?;
    }
    audit::record(
        &mut tx,
        by,
        "order.refund_checked",
        &format!("order-refund:{refund}"),
        if went_through {
            "refunded, as the provider's panel showed"
        } else {
            "not refunded, as the provider's panel showed: may be asked again"
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Staff sent the transfer refund of order `number`; `false` when none is owed.
pub async fn record_transfer_refund(
    db: &Db,
    number: &str,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let order_id: Option<i64> = sqlx::query_scalar(
        "UPDATE order_refunds SET started_at = $1, refunded_at = $1 WHERE method = 'havale' \
         AND refunded_at IS NULL AND order_id = (SELECT id FROM orders WHERE number = $2) \
         RETURNING order_id",
    )
    .bind(time::now_seconds())
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order_id) = order_id else {
        tx.rollback().await?;
        return Ok(false);
    };
    mark_refunded(&mut tx, order_id).await?;
    audit::record(
        &mut tx,
        by,
        "order.transfer_refunded",
        &format!("order:{number}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

async fn mark_refunded(tx: &mut crate::backend::WriteTx, order_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE orders SET payment_status = 'refunded', updated_at = $1 WHERE id = $2")
        .bind(time::iso_utc(time::now_seconds()))
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    record_event(
        tx,
        order_id,
        OrderStatus::Cancelled,
        PaymentStatus::Refunded,
        "refunded",
    )
    .await
}
