//! Siparişlerim: the orders that belong to a member (placed while logged in, or claimed), and
//! claiming the guest orders placed with their address. Only a confirmed address can claim:
//! members log in only once their address is confirmed, and closed accounts cannot log in.

use super::super::{time, Db};
use crate::model::checkout::OrderStatus;
use crate::model::Money;

/// number, created_at, status, total_kurus.
pub type OrderRow = (String, String, String, i64);

/// The member's orders, newest first (at most the last 100).
pub async fn list(
    db: &Db,
    customer: i64,
) -> Result<Vec<(String, String, OrderStatus, Money)>, sqlx::Error> {
    let rows: Vec<OrderRow> = sqlx::query_as(
        "SELECT number, created_at, status, total_kurus FROM orders WHERE customer_id = $1 \
         ORDER BY id DESC LIMIT 100",
    )
    .bind(customer)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(number, placed_at, status, total)| {
            Some((
                number,
                placed_at,
                OrderStatus::from_code(&status)?,
                Money(total),
            ))
        })
        .collect())
}

/// How many guest orders carry the member's confirmed address.
pub async fn claimable(db: &Db, customer: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders o JOIN customers c ON c.email = o.email \
         WHERE c.id = $1 AND c.email_verified_at IS NOT NULL AND c.closed_at IS NULL \
         AND o.customer_id IS NULL",
    )
    .bind(customer)
    .fetch_one(db.pool())
    .await
}

/// Makes the guest orders with the member's confirmed address theirs; how many.
pub async fn claim(db: &Db, customer: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE orders SET customer_id = $1, updated_at = $2 WHERE customer_id IS NULL AND email = \
         (SELECT email FROM customers WHERE id = $1 AND email_verified_at IS NOT NULL \
          AND closed_at IS NULL)",
    )
    .bind(customer)
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(claimed.rows_affected())
}
