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
    record_transfer_received, release_expired, release_staff_hold, settle_unanswered_payments,
};
pub use settle::{settle_card_payment, Settled};

use super::{time, WriteTx};
use crate::model::checkout::{OrderStatus, PaymentStatus};

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

/// The lines of an order: (variant, quantity), by variant: every transaction that moves the
/// stock of several variants does it in this one order, so two of them never wait on each
/// other's rows (a deadlock on PostgreSQL).
async fn lines_of(tx: &mut WriteTx, order_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT variant_id, quantity FROM order_lines WHERE order_id = $1 ORDER BY variant_id",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
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
