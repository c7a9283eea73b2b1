//! İYS (İleti Yönetim Sistemi): every change of a member's marketing consent is queued in
//! `iys_queue` with the ledger row that proves it (`accounts::record_consent`), in İYS's own
//! shape, and delivered by [`deliver`] through an [`IysGateway`]. The built-in gateway
//! ([`RecordingIys`]) only records the delivery; a real İYS integrator plugs in behind the trait.
//!
//! Once delivered, a closed account's notifications keep no recipient: İYS has it, the shop no
//! longer needs it (`accounts::closure`).

use std::fmt::Debug;

use futures::future::BoxFuture;

use super::super::{time, Db};

/// Delivers one consent notification (the queue's JSON payload) to İYS.
pub trait IysGateway: Send + Sync + Debug {
    fn send<'a>(&'a self, payload: &'a serde_json::Value) -> BoxFuture<'a, Result<(), String>>;
}

/// Accepts every notification: the queue row itself is the record.
#[derive(Debug, Default)]
pub struct RecordingIys;

impl IysGateway for RecordingIys {
    fn send<'a>(&'a self, _payload: &'a serde_json::Value) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }
}

/// Sends what waits in the queue (oldest first, at most 100 a pass); how many went.
pub async fn deliver(db: &Db, gateway: &dyn IysGateway) -> Result<usize, sqlx::Error> {
    let waiting: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, payload FROM iys_queue WHERE status = 'bekliyor' ORDER BY id LIMIT 100",
    )
    .fetch_all(db.pool())
    .await?;
    let mut delivered = 0;
    for (id, payload) in waiting {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&payload) else {
            tracing::error!(id, "an İYS notification is not JSON; left for staff");
            continue;
        };
        if let Err(error) = gateway.send(&value).await {
            tracing::warn!(%error, id, "İYS did not take a notification; it will be retried");
            continue;
        }
        let mut tx = db.begin_write().await?;
        sqlx::query(
            "UPDATE iys_queue SET status = 'iletildi', sent_at = $1 WHERE id = $2 AND status = 'bekliyor'",
        )
        .bind(time::iso_utc(time::now_seconds()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        forget_closed_recipients(&mut tx).await?;
        tx.commit().await?;
        delivered += 1;
    }
    Ok(delivered)
}

/// Delivered notifications of closed accounts keep no recipient.
pub async fn forget_closed_recipients(tx: &mut super::super::WriteTx) -> Result<(), sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT q.id, q.payload FROM iys_queue q JOIN marketing_consents m ON m.id = q.consent_id \
         JOIN customers c ON c.id = m.customer_id \
         WHERE q.status = 'iletildi' AND c.closed_at IS NOT NULL AND q.payload LIKE '%\"recipient\":\"%'",
    )
    .fetch_all(&mut **tx)
    .await?;
    for (id, payload) in rows {
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&payload) else {
            continue;
        };
        value["recipient"] = serde_json::Value::Null;
        sqlx::query("UPDATE iys_queue SET payload = $1 WHERE id = $2")
            .bind(value.to_string())
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
