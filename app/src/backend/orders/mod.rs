//! Orders: placed from a checkout's review in one transaction that takes the stock with
//! conditional updates (never below zero, rows affected checked) under the attempt's unique
//! key, so a double click, a reload or a retry finds the same order and nothing is oversold;
//! settled by one state-transition function that the browser's return and a webhook both call
//! and that is safe to run twice at once; released by a background job when an unpaid order's
//! reservation ends.

pub mod cancel;
pub mod cayma;
pub mod fulfil;
mod place;
mod read;
mod release;
mod settle;

pub use place::{place, start_payment, Placed, StartError, MAX_PAYMENT_ATTEMPTS};
pub use read::{find_by_number, first_view_after_placing, number_of_token};
pub use release::{
    expired_count, record_transfer_received, release_expired, release_staff_hold,
    settle_unanswered_payments,
};
pub use settle::{settle_card_payment, Settled};

use super::invoices::{InvoiceProvider, ReturnLine};
use super::{time, WriteTx};
use crate::model::checkout::methods::SERVICE_KDV_RATE;
use crate::model::checkout::{OrderStatus, PaymentStatus};
use crate::model::{Locale, Money};

/// A card order keeps its goods this long past the provider token's own life, so that the
/// reservation always outlives the page the shopper pays on.
pub const RESERVATION_MARGIN_SECONDS: i64 = 5 * 60;

/// Records a change of an order's state, in the transaction that made it.
async fn record_event(
    tx: &mut WriteTx,
    order_id: i64,
    status: OrderStatus,
    payment_status: PaymentStatus,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO order_events (order_id, status, payment_status, note, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(order_id)
    .bind(status.code())
    .bind(payment_status.code())
    .bind(note)
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes `quantity` of `variant_id` out of stock if there is that much; whether it did.
async fn take_stock(tx: &mut WriteTx, variant_id: i64, quantity: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE variants SET stock = stock - $1 WHERE id = $2 AND stock >= $1")
        .bind(quantity)
        .bind(variant_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The lines of an order: (variant, quantity still in the order), by variant: every
/// transaction that moves the stock of several variants does it in this one order, so two of
/// them never wait on each other's rows (a deadlock on PostgreSQL). Pieces staff cancelled went
/// back to stock when they were cancelled.
async fn lines_of(tx: &mut WriteTx, order_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.variant_id, l.quantity - CAST(COALESCE((SELECT SUM(c.quantity) \
         FROM order_line_cancellations c WHERE c.order_line_id = l.id), 0) AS BIGINT) \
         FROM order_lines l WHERE l.order_id = $1 ORDER BY l.variant_id",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await
}

/// An order line as a cayma or a cancellation finds it: how many pieces are still in the
/// order and what each further piece cost.
struct LineLeft {
    id: i64,
    variant_id: i64,
    /// "Name (colour / size)", as documents name it.
    label: String,
    unit_price: i64,
    /// The line's share of the order's discount.
    discount: i64,
    quantity: i64,
    kdv_rate: i64,
    exempt: Option<String>,
    /// Pieces withdrawn (cayma) or cancelled by staff before.
    gone: i64,
}

impl LineLeft {
    fn left(&self) -> i64 {
        (self.quantity - self.gone).max(0)
    }

    /// What `pieces` more of it cost: their price less their part of the line's discount,
    /// counted from the pieces gone before, so that the parts of every cayma and cancellation
    /// add up to the line's discount exactly (each rounded in the shopper's favour).
    fn value_of(&self, pieces: i64) -> i64 {
        let share = |pieces: i64| self.discount * pieces / self.quantity.max(1);
        self.unit_price * pieces - (share(self.gone + pieces) - share(self.gone))
    }
}

/// The lines of order `order_id`, by id, with what is left of each.
async fn lines_left(tx: &mut WriteTx, order_id: i64) -> Result<Vec<LineLeft>, sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        i64,
        i64,
        String,
        String,
        String,
        i64,
        i64,
        i64,
        i64,
        Option<String>,
        i64,
    )> = sqlx::query_as(
        "SELECT l.id, l.variant_id, l.product_name, l.colour, l.size, l.unit_price_kurus, \
             l.discount_kurus, l.quantity, l.kdv_rate, l.cayma_exempt, \
             CAST(COALESCE((SELECT SUM(c.quantity) FROM cayma_request_lines c \
             WHERE c.order_line_id = l.id), 0) + COALESCE((SELECT SUM(x.quantity) \
             FROM order_line_cancellations x WHERE x.order_line_id = l.id), 0) AS BIGINT) \
             FROM order_lines l WHERE l.order_id = $1 ORDER BY l.id",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                variant_id,
                name,
                colour,
                size,
                unit_price,
                discount,
                quantity,
                kdv_rate,
                exempt,
                gone,
            )| {
                LineLeft {
                    id,
                    variant_id,
                    label: format!("{name} ({colour} / {size})"),
                    unit_price,
                    discount,
                    quantity,
                    kdv_rate,
                    exempt,
                    gone,
                }
            },
        )
        .collect())
}

/// Issues the invoice return of `chosen` pieces and the `services` (delivery, the kapıda ödeme
/// fee) when the order's invoice was issued: its number.
async fn issue_return(
    tx: &mut WriteTx,
    invoices: &dyn InvoiceProvider,
    order_id: i64,
    reason: &str,
    chosen: &[(&LineLeft, i64)],
    (shipping, fee): (i64, i64),
) -> Result<Option<String>, sqlx::Error> {
    let services = [
        (crate::i18n::text(Locale::Tr, "cart.shipping"), shipping),
        (crate::i18n::text(Locale::Tr, "checkout.payment_fee"), fee),
    ]
    .into_iter()
    .filter(|(_, amount)| *amount > 0);
    let lines: Vec<ReturnLine> = chosen
        .iter()
        .map(|(line, quantity)| ReturnLine {
            order_line_id: Some(line.id),
            label: line.label.clone(),
            quantity: *quantity,
            amount: Money(line.value_of(*quantity)),
            kdv_rate: line.kdv_rate,
        })
        .chain(services.map(|(label, amount)| ReturnLine {
            order_line_id: None,
            label,
            quantity: 1,
            amount: Money(amount),
            kdv_rate: SERVICE_KDV_RATE,
        }))
        .collect();
    invoices.issue_return(tx, order_id, reason, &lines).await
}

/// What order `order_id` asks of the shopper now: its total less what staff cancelled of it
/// before anything was paid (kapıda ödeme collects this much at the door).
async fn amount_asked(tx: &mut WriteTx, order_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT o.total_kurus - CAST(COALESCE((SELECT SUM(c.amount_kurus) \
         FROM order_line_cancellations c WHERE c.order_id = o.id AND c.refund_id IS NULL), 0) \
         AS BIGINT) FROM orders o WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await
}

/// After money of order `order_id` went back: the order's payment is `refunded` once no refund
/// of it is still owed and everything paid went back (or the order was cancelled whole, whose
/// last refund gave back all that was left). Its status and payment after.
async fn settle_refunds(
    tx: &mut WriteTx,
    order_id: i64,
) -> Result<(OrderStatus, PaymentStatus), sqlx::Error> {
    let (status, payment, paid, total, refunded, waiting): (
        String,
        String,
        Option<i64>,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        "SELECT status, payment_status, paid_kurus, total_kurus, \
         CAST(COALESCE((SELECT SUM(refund_kurus) FROM cayma_requests \
         WHERE order_id = o.id AND refunded_at IS NOT NULL), 0) \
         + COALESCE((SELECT SUM(amount_kurus) FROM order_refunds \
         WHERE order_id = o.id AND refunded_at IS NOT NULL), 0) AS BIGINT), \
         (SELECT COUNT(*) FROM order_refunds WHERE order_id = o.id AND refunded_at IS NULL) \
         + (SELECT COUNT(*) FROM cayma_requests WHERE order_id = o.id AND refunded_at IS NULL \
         AND refund_kurus > 0) FROM orders o WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    let status = OrderStatus::from_code(&status).unwrap_or(OrderStatus::Confirmed);
    let mut payment = PaymentStatus::from_code(&payment).unwrap_or(PaymentStatus::Paid);
    let everything_back = status == OrderStatus::Cancelled || refunded >= paid.unwrap_or(total);
    if waiting == 0 && everything_back && payment != PaymentStatus::Refunded {
        payment = PaymentStatus::Refunded;
        sqlx::query("UPDATE orders SET payment_status = 'refunded', updated_at = $1 WHERE id = $2")
            .bind(time::iso_utc(time::now_seconds()))
            .bind(order_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok((status, payment))
}

/// What was already owed back of order `order_id`: its cayma refunds and staff refunds.
async fn owed_back_before(tx: &mut WriteTx, order_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE((SELECT SUM(refund_kurus) FROM cayma_requests WHERE order_id = $1), 0) \
         + COALESCE((SELECT SUM(amount_kurus) FROM order_refunds WHERE order_id = $1), 0) AS BIGINT)",
    )
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await
}

/// Gives an order's goods back to stock (the order no longer holds them).
async fn give_back_stock(tx: &mut WriteTx, order_id: i64) -> Result<(), sqlx::Error> {
    for (variant_id, quantity) in lines_of(tx, order_id).await? {
        give_back(tx, variant_id, quantity).await?;
    }
    Ok(())
}

async fn give_back(tx: &mut WriteTx, variant_id: i64, quantity: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE variants SET stock = stock + $1 WHERE id = $2")
        .bind(quantity)
        .bind(variant_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
