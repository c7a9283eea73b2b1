//! A member's cart on the server, so that it follows them to another device. The browser's
//! cart (localStorage) stays the one the member edits: at login it is merged with the saved
//! one ([`merge_at_login`]: summed, bounded by stock and the per-line maximum) and the result
//! handed back to the browser; afterwards the browser sends every change ([`replace`]).

use super::super::{time, Db};
use crate::model::cart::{decode_items, encode_items, merge_items, CartItem, MAX_LINES};

/// The member's saved cart (empty when none or unreadable).
pub async fn saved(db: &Db, customer: i64) -> Result<Vec<CartItem>, sqlx::Error> {
    let items: Option<String> =
        sqlx::query_scalar("SELECT items FROM customer_carts WHERE customer_id = $1")
            .bind(customer)
            .fetch_optional(db.pool())
            .await?;
    Ok(items.as_deref().and_then(decode_items).unwrap_or_default())
}

/// Keeps `items` as the member's cart (at most [`MAX_LINES`] lines, no empty ones).
pub async fn replace(db: &Db, customer: i64, items: &[CartItem]) -> Result<(), sqlx::Error> {
    let items: Vec<CartItem> = merge_items(items, &[])
        .into_iter()
        .take(MAX_LINES)
        .collect();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO customer_carts (customer_id, items, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (customer_id) DO UPDATE SET items = excluded.items, updated_at = excluded.updated_at",
    )
    .bind(customer)
    .bind(encode_items(&items))
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// At login: the browser's cart and the saved one merged, each line cut to the stock there is
/// (a line with none left, or of a variant no longer sold, is dropped), kept as the member's
/// cart; the merged cart, for the browser.
pub async fn merge_at_login(
    db: &Db,
    customer: i64,
    browser: &[CartItem],
) -> Result<Vec<CartItem>, sqlx::Error> {
    let merged = merge_items(browser, &saved(db, customer).await?);
    let mut bounded = Vec::with_capacity(merged.len());
    for mut item in merged {
        let stock: Option<i64> = sqlx::query_scalar(
            "SELECT v.stock FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE v.id = $1 AND p.published = 1",
        )
        .bind(item.variant_id)
        .fetch_optional(db.pool())
        .await?;
        item.quantity = item.quantity.min(stock.unwrap_or(0));
        if item.quantity > 0 {
            bounded.push(item);
        }
    }
    replace(db, customer, &bounded).await?;
    Ok(bounded)
}
