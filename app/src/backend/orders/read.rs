//! Reading orders back for the shopper's pages.

use crate::backend::Db;
use crate::model::cayma::CaymaExemption;
use crate::model::checkout::order::Fulfilment;
use crate::model::checkout::{
    HoldReason, LineCancellationView, OrderLineView, OrderStatus, OrderView, PaymentMethod,
    PaymentStatus, ShippingMethod,
};
use crate::model::Money;
use sqlx::Row;

/// The order with this number, as its pages show it.
pub async fn find_by_number(db: &Db, number: &str) -> Result<Option<OrderView>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, number, status, payment_method, payment_status, hold_reason, shipping_method, \
         details, subtotal_kurus, shipping_kurus, payment_fee_kurus, kdv_kurus, total_kurus, \
         paid_kurus, installments, card_last4, payment_error, reserved_until, created_at, \
         delivered_at, fulfilment, carrier, tracking_number, discount_kurus, coupon_code \
         FROM orders WHERE number = $1",
    )
    .bind(number)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    let number: String = row.try_get("number")?;
    let status: String = row.try_get("status")?;
    let method: String = row.try_get("payment_method")?;
    let payment_status: String = row.try_get("payment_status")?;
    let hold: Option<String> = row.try_get("hold_reason")?;
    let shipping: String = row.try_get("shipping_method")?;
    let details: String = row.try_get("details")?;
    let money = |column: &str| row.try_get::<i64, _>(column).map(Money);
    let invoice = crate::backend::invoices::of_order(db, &number).await?;
    let events: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT created_at, status, payment_status FROM order_events WHERE order_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut history: Vec<(String, OrderStatus, PaymentStatus)> = Vec::new();
    for (at, status, payment) in events {
        let (Some(status), Some(payment)) = (
            OrderStatus::from_code(&status),
            PaymentStatus::from_code(&payment),
        ) else {
            continue;
        };
        // A step that changed nothing a shopper sees (a retried payment page) is not repeated.
        if history
            .last()
            .is_none_or(|last| (last.1, last.2) != (status, payment))
        {
            history.push((at, status, payment));
        }
    }
    let documents = crate::backend::mail::order_documents(db, &number).await?;
    #[allow(clippy::type_complexity)]
    let lines: Vec<(
        i64,
        String,
        String,
        String,
        String,
        i64,
        i64,
        i64,
        Option<String>,
        i64,
    )> = sqlx::query_as(
        "SELECT id, sku, product_name, colour, size, unit_price_kurus, kdv_rate, quantity, \
             cayma_exempt, discount_kurus FROM order_lines WHERE order_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let delivered_at: Option<i64> = row.try_get("delivered_at")?;
    let (mut cayma, withdrawn) = super::cayma::of_order(db, id, delivered_at).await?;
    #[allow(clippy::type_complexity)]
    let cancelled: Vec<(i64, i64, i64, String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT c.order_line_id, c.quantity, c.amount_kurus, c.reason, c.created_at, \
         l.product_name, l.colour, l.size, \
         CAST(CASE WHEN c.return_id IS NULL THEN 1 ELSE 0 END AS BIGINT) FROM order_line_cancellations c \
         JOIN order_lines l ON l.id = c.order_line_id WHERE c.order_id = $1 ORDER BY c.id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let invoice_returns = crate::backend::invoices::returns_of_order(db, id).await?;
    let (
        Some(status),
        Some(payment_method),
        Some(payment_status),
        Some(shipping_method),
        Ok(details),
    ) = (
        OrderStatus::from_code(&status),
        PaymentMethod::from_code(&method),
        PaymentStatus::from_code(&payment_status),
        ShippingMethod::from_code(&shipping),
        serde_json::from_str(&details),
    )
    else {
        tracing::error!(%number, "an order row could not be read back");
        return Ok(None);
    };
    let lines: Vec<OrderLineView> = lines
        .into_iter()
        .map(
            |(id, sku, name, colour, size, unit_price, kdv_rate, quantity, exempt, discount)| {
                OrderLineView {
                    id,
                    sku,
                    name,
                    colour,
                    size,
                    unit_price: Money(unit_price),
                    kdv_rate,
                    quantity,
                    cayma_exempt: exempt.as_deref().and_then(CaymaExemption::from_code),
                    withdrawn: withdrawn
                        .iter()
                        .find(|(line, _)| *line == id)
                        .map_or(0, |(_, quantity)| *quantity),
                    cancelled: cancelled
                        .iter()
                        .filter(|cancellation| cancellation.0 == id)
                        .map(|cancellation| cancellation.1)
                        .sum(),
                    discount: Money(discount),
                }
            },
        )
        .collect();
    cayma.open = super::cayma::open_to_cayma(status, payment_status)
        && !super::cayma::past_deadline(delivered_at, crate::backend::time::now_seconds())
        && lines.iter().any(|line| line.withdrawable() > 0);
    Ok(Some(OrderView {
        number,
        status,
        payment_method,
        payment_status,
        hold_reason: hold.as_deref().and_then(HoldReason::from_code),
        shipping_method,
        lines,
        subtotal: money("subtotal_kurus")?,
        discount: money("discount_kurus")?,
        coupon_code: row.try_get("coupon_code")?,
        shipping: money("shipping_kurus")?,
        payment_fee: money("payment_fee_kurus")?,
        kdv: money("kdv_kurus")?,
        total: money("total_kurus")?,
        paid: row.try_get::<Option<i64>, _>("paid_kurus")?.map(Money),
        installments: row.try_get("installments")?,
        card_last4: row.try_get("card_last4")?,
        payment_error: row.try_get("payment_error")?,
        details,
        reserved_until: row.try_get("reserved_until")?,
        created_at: row.try_get("created_at")?,
        invoice,
        history,
        documents,
        cayma,
        fulfilment: row
            .try_get::<Option<String>, _>("fulfilment")?
            .as_deref()
            .and_then(Fulfilment::from_code),
        carrier: row.try_get("carrier")?,
        tracking_number: row.try_get("tracking_number")?,
        cancellations: cancelled
            .into_iter()
            .map(
                |(line, quantity, amount, reason, created_at, name, colour, size, before)| {
                    LineCancellationView {
                        order_line_id: line,
                        before_invoice: before == 1,
                        name,
                        variant: format!("{colour} / {size}"),
                        quantity,
                        amount: Money(amount),
                        reason,
                        created_at,
                    }
                },
            )
            .collect(),
        invoice_returns,
    }))
}

/// The number of the order a payment token belongs to.
pub async fn number_of_token(db: &Db, token: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT o.number FROM payment_attempts a JOIN orders o ON o.id = a.order_id WHERE a.token = $1",
    )
    .bind(token)
    .fetch_optional(db.pool())
    .await
}

/// Whether this is the first view of order `number` right after it was placed: true once,
/// for the first request that asks (`?yeni=1`), false for every later one.
pub async fn first_view_after_placing(db: &Db, number: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let marked = sqlx::query(
        "UPDATE orders SET placed_shown_at = $1 WHERE number = $2 AND placed_shown_at IS NULL",
    )
    .bind(crate::backend::time::iso_utc(
        crate::backend::time::now_seconds(),
    ))
    .bind(number)
    .execute(&mut *tx)
    .await?;
    if marked.rows_affected() == 1 {
        // What a member's browser empties now (the cart became this order), their saved cart
        // drops too, or their next login would bring it back.
        sqlx::query(
            "DELETE FROM customer_carts WHERE customer_id = \
             (SELECT customer_id FROM orders WHERE number = $1)",
        )
        .bind(number)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(marked.rows_affected() == 1)
}
