//! A confirmed order's way to the shopper, one step at a time on the graph of
//! `model::checkout::order::Fulfilment`: staff mark it hazırlanıyor, then kargoda with the
//! carrier and tracking number, then teslim edildi (`cayma::record_delivery`, which starts the
//! 14 days of cayma). Each step is a conditional update from the step before it, so a step out
//! of order, twice or on an order that is not confirmed changes nothing; each is audited and
//! tells the shopper by e-mail in the same transaction.

use super::record_event;
use crate::backend::mail::enqueue_order_update;
use crate::backend::staff::audit::{self, Actor};
use crate::backend::{time, Db};
use crate::model::checkout::{OrderStatus, PaymentStatus};

/// Hazırlanıyor: `false` unless the order is confirmed and not yet on its way.
pub async fn mark_preparing(db: &Db, number: &str, by: &Actor) -> Result<bool, sqlx::Error> {
    step(db, number, "fulfilment IS NULL", "hazirlaniyor", None, by).await
}

/// Kargoda with `carrier` and `tracking`: `false` unless the order is being prepared.
pub async fn mark_shipped(
    db: &Db,
    number: &str,
    carrier: &str,
    tracking: &str,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    step(
        db,
        number,
        "fulfilment = 'hazirlaniyor'",
        "kargoda",
        Some((carrier, tracking)),
        by,
    )
    .await
}

async fn step(
    db: &Db,
    number: &str,
    from: &'static str,
    to: &'static str,
    shipment: Option<(&str, &str)>,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String)> = sqlx::query_as(&format!(
        "UPDATE orders SET fulfilment = $1, carrier = COALESCE($2, carrier), \
         tracking_number = COALESCE($3, tracking_number), updated_at = $4 \
         WHERE number = $5 AND status = 'confirmed' AND {from} RETURNING id, payment_status"
    ))
    .bind(to)
    .bind(shipment.map(|(carrier, _)| carrier))
    .bind(shipment.map(|(_, tracking)| tracking))
    .bind(time::iso_utc(time::now_seconds()))
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, payment)) = row else {
        tx.rollback().await?;
        return Ok(false);
    };
    let payment = PaymentStatus::from_code(&payment).unwrap_or(PaymentStatus::Paid);
    record_event(&mut tx, id, OrderStatus::Confirmed, payment, to).await?;
    let details = shipment
        .map(|(carrier, tracking)| format!("{carrier} {tracking}"))
        .unwrap_or_default();
    audit::record(
        &mut tx,
        by,
        &format!("order.{to}"),
        &format!("order:{number}"),
        &details,
    )
    .await?;
    enqueue_order_update(&mut tx, id).await?;
    tx.commit().await?;
    Ok(true)
}
