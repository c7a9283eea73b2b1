//! Staff cancel an order that has not left the warehouse (on hold, or confirmed and at most
//! being prepared), whole or some pieces of its lines: in one transaction the pieces go back on
//! sale, the money still held for them is owed back (`order_refunds`), an invoice already
//! issued gets its return (iade faturası), the change is audited and the shopper told. A card
//! refund is then asked of the payment provider by the claim-ask-record steps cayma refunds
//! use, so it is never asked twice; a transfer refund (havale/EFT paid) is sent by staff and
//! recorded ([`record_transfer_refund`]). Kapıda ödeme collects less at the door instead.

use super::{give_back, give_back_stock, issue_return, lines_left, record_event, LineLeft};
use crate::backend::invoices::InvoiceProvider;
use crate::backend::mail::enqueue_order_update;
use crate::backend::payment::{PaymentProvider, ProviderError};
use crate::backend::staff::audit::{self, Actor};
use crate::backend::{time, Db, Dialect, WriteTx};
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
    /// Some pieces were named that the order does not have (more than is left of a line, a
    /// line of another order), or none at all.
    NotInOrder,
    /// Pieces cannot be taken off an order whose transfer has not arrived: what it asks
    /// would no longer match what the shopper is sending (the whole order may be cancelled).
    AwaitingTransfer,
}

/// Cancels order `number` whole for `reason`, giving back what was paid through `provider`.
pub async fn cancel_by_staff(
    db: &Db,
    provider: &dyn PaymentProvider,
    invoices: &dyn InvoiceProvider,
    number: &str,
    reason: &str,
    by: &Actor,
) -> Result<Cancelled, sqlx::Error> {
    Ok(cancel(db, provider, invoices, number, None, reason, by)
        .await?
        .0)
}

/// Cancels `pieces` (order line id, how many) of order `number` for `reason` (the shopper reads
/// it), giving back what they cost; and whether that cancelled the order whole (every piece
/// left was named).
pub async fn cancel_lines_by_staff(
    db: &Db,
    provider: &dyn PaymentProvider,
    invoices: &dyn InvoiceProvider,
    number: &str,
    pieces: &[(i64, i64)],
    reason: &str,
    by: &Actor,
) -> Result<(Cancelled, bool), sqlx::Error> {
    if pieces.is_empty() || pieces.iter().any(|(_, quantity)| *quantity <= 0) {
        return Ok((Cancelled::NotInOrder, false));
    }
    cancel(db, provider, invoices, number, Some(pieces), reason, by).await
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
    i64,
    i64,
);

async fn cancel(
    db: &Db,
    provider: &dyn PaymentProvider,
    invoices: &dyn InvoiceProvider,
    number: &str,
    pieces: Option<&[(i64, i64)]>,
    reason: &str,
    by: &Actor,
) -> Result<(Cancelled, bool), sqlx::Error> {
    let lock = match db.dialect() {
        Dialect::Postgres => " FOR UPDATE",
        Dialect::Sqlite => "",
    };
    let mut tx = db.begin_write().await?;
    let row: Option<OrderRow> = sqlx::query_as(&format!(
        "SELECT id, status, fulfilment, payment_method, payment_status, paid_kurus, total_kurus, \
         stock_held, shipping_kurus, payment_fee_kurus FROM orders WHERE number = $1{lock}"
    ))
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, status, fulfilment, method, payment, paid, total, stock_held, shipping, fee)) =
        row
    else {
        tx.rollback().await?;
        return Ok((Cancelled::NotAllowed, false));
    };
    let not_shipped = matches!(fulfilment.as_deref(), None | Some("hazirlaniyor"));
    if !matches!(status.as_str(), "on_hold" | "confirmed") || !not_shipped {
        tx.rollback().await?;
        return Ok((Cancelled::NotAllowed, false));
    }
    let payment = PaymentStatus::from_code(&payment).unwrap_or(PaymentStatus::Pending);
    let lines = lines_left(&mut tx, id).await?;
    // What is taken off: the pieces named, or everything left.
    let chosen: Vec<(&LineLeft, i64)> = match pieces {
        None => lines
            .iter()
            .filter(|line| line.left() > 0)
            .map(|line| (line, line.left()))
            .collect(),
        Some(pieces) => {
            let mut chosen = Vec::with_capacity(pieces.len());
            for (line_id, quantity) in pieces {
                match lines.iter().find(|line| line.id == *line_id) {
                    Some(line) if *quantity <= line.left() => chosen.push((line, *quantity)),
                    _ => {
                        tx.rollback().await?;
                        return Ok((Cancelled::NotInOrder, false));
                    }
                }
            }
            chosen
        }
    };
    let whole = lines.iter().all(|line| {
        chosen
            .iter()
            .filter(|(chosen, _)| chosen.id == line.id)
            .map(|(_, quantity)| quantity)
            .sum::<i64>()
            == line.left()
    });
    if !whole && payment == PaymentStatus::Pending {
        tx.rollback().await?;
        return Ok((Cancelled::AwaitingTransfer, false));
    }
    let now = time::iso_utc(time::now_seconds());
    if whole {
        sqlx::query(
            "UPDATE orders SET status = 'cancelled', stock_held = 0, cancel_reason = $1, \
             reserved_until = NULL, updated_at = $2 WHERE id = $3",
        )
        .bind(format!("staff: {reason}"))
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if stock_held == 1 {
            give_back_stock(&mut tx, id).await?;
        }
        crate::backend::coupons::release(&mut tx, id).await?;
    } else if stock_held == 1 {
        // In one order of variants, as every stock move is (no deadlock between two of them).
        let mut by_variant: Vec<(i64, i64)> = chosen
            .iter()
            .map(|(line, quantity)| (line.variant_id, *quantity))
            .collect();
        by_variant.sort_unstable();
        for (variant_id, quantity) in by_variant {
            give_back(&mut tx, variant_id, quantity).await?;
        }
    }
    // What is still held of the payment: paid, less what cayma and earlier cancellations
    // already owe back.
    let held = match (payment, paid) {
        (PaymentStatus::Paid, paid) => {
            (paid.unwrap_or(total) - super::owed_back_before(&mut tx, id).await?).max(0)
        }
        _ => 0,
    };
    let goods: i64 = chosen
        .iter()
        .map(|(line, quantity)| line.value_of(*quantity))
        .sum();
    // The whole order gives back everything held (delivery, fees, instalment interest too).
    let owed = if whole { held } else { goods.min(held) };
    if whole && payment != PaymentStatus::Paid {
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
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?,
        )
    } else {
        None
    };
    let services = if whole { (shipping, fee) } else { (0, 0) };
    let returned = issue_return(&mut tx, invoices, id, reason, &chosen, services).await?;
    if !whole {
        for (line, quantity) in &chosen {
            sqlx::query(
                "INSERT INTO order_line_cancellations (order_id, order_line_id, quantity, \
                 amount_kurus, refund_id, return_id, reason, created_at) VALUES ($1, $2, $3, $4, \
                 $5, (SELECT id FROM invoice_returns WHERE number = $6), $7, $8)",
            )
            .bind(id)
            .bind(line.id)
            .bind(quantity)
            .bind(line.value_of(*quantity))
            .bind(refund_id)
            .bind(&returned)
            .bind(reason)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
    }
    let status = if whole {
        OrderStatus::Cancelled
    } else {
        OrderStatus::from_code(&status).unwrap_or(OrderStatus::Confirmed)
    };
    let what = if whole {
        "cancelled"
    } else {
        "pieces cancelled"
    };
    record_event(
        &mut tx,
        id,
        status,
        payment,
        &format!("{what} by staff: {reason}"),
    )
    .await?;
    let taken: Vec<String> = chosen
        .iter()
        .map(|(line, quantity)| format!("{quantity} × {}", line.label))
        .collect();
    audit::record(
        &mut tx,
        by,
        if whole {
            "order.cancel"
        } else {
            "order.cancel_lines"
        },
        &format!("order:{number}"),
        &format!(
            "{reason}; {}; {owed} kuruş owed back{}",
            taken.join(", "),
            returned
                .as_deref()
                .map(|number| format!("; invoice return {number}"))
                .unwrap_or_default()
        ),
    )
    .await?;
    enqueue_order_update(&mut tx, id).await?;
    tx.commit().await?;
    let outcome = match refund_id {
        None => Cancelled::Done,
        Some(_) if !by_card => Cancelled::TransferOwed(Money(owed)),
        Some(refund) => {
            if refund_to_card(db, provider, refund, by).await? {
                Cancelled::Done
            } else {
                Cancelled::RefundPending
            }
        }
    };
    Ok((outcome, whole))
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

async fn mark_refunded(tx: &mut WriteTx, order_id: i64) -> Result<(), sqlx::Error> {
    let (status, payment) = super::settle_refunds(tx, order_id).await?;
    let note = if payment == PaymentStatus::Refunded {
        "refunded"
    } else {
        "partly refunded"
    };
    record_event(tx, order_id, status, payment, note).await
}
