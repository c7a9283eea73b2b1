//! Invoices behind one trait: the order is confirmed for fulfilment and its invoice is issued in
//! the same transaction. An e-Arşiv integrator (a GİB-authorised provider) plugs in here; the
//! built-in provider numbers invoices in the e-Arşiv shape (`LMA` + year + nine digits) and the
//! shop renders them (`/fatura/{order}`).

use futures::future::BoxFuture;

use super::{time, Db, WriteTx};

pub trait InvoiceProvider: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &'static str;
    /// Issues the invoice of `order_id` in `tx` (once: a second call returns the same number).
    fn issue<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        order_id: i64,
    ) -> BoxFuture<'a, Result<String, sqlx::Error>>;
}

/// Numbers and keeps invoices in the shop's own database.
#[derive(Debug, Default)]
pub struct BuiltInInvoices;

impl InvoiceProvider for BuiltInInvoices {
    fn name(&self) -> &'static str {
        "built-in"
    }

    fn issue<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        order_id: i64,
    ) -> BoxFuture<'a, Result<String, sqlx::Error>> {
        Box::pin(async move {
            let existing: Option<String> =
                sqlx::query_scalar("SELECT number FROM invoices WHERE order_id = $1")
                    .bind(order_id)
                    .fetch_optional(&mut **tx)
                    .await?;
            if let Some(number) = existing {
                return Ok(number);
            }
            let now = time::now_seconds();
            let year: i64 = time::iso_utc(now)[..4].parse().unwrap_or(2026);
            let sequence: i64 = sqlx::query_scalar(
                "INSERT INTO invoice_number_counters (year, last) VALUES ($1, 1) \
                 ON CONFLICT (year) DO UPDATE SET last = invoice_number_counters.last + 1 \
                 RETURNING last",
            )
            .bind(year)
            .fetch_one(&mut **tx)
            .await?;
            let number = format!("LMA{year:04}{sequence:09}");
            sqlx::query(
                "INSERT INTO invoices (order_id, number, provider, issued_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(order_id)
            .bind(&number)
            .bind(self.name())
            .bind(time::iso_utc(now))
            .execute(&mut **tx)
            .await?;
            Ok(number)
        })
    }
}

/// The invoice of the order `order_number`: its number and when it was issued.
pub async fn of_order(
    db: &Db,
    order_number: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.number, i.issued_at FROM invoices i JOIN orders o ON o.id = i.order_id \
         WHERE o.number = $1",
    )
    .bind(order_number)
    .fetch_optional(db.pool())
    .await
}
