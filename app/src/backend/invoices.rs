//! Invoices behind one trait: the order is confirmed for fulfilment and its invoice is issued in
//! the same transaction. An e-Arşiv integrator (a GİB-authorised provider) plugs in here; the
//! built-in provider numbers invoices in the e-Arşiv shape (`LMA` + year + nine digits) and the
//! shop renders them (`/fatura/{order}`). When pieces leave an order after its invoice was
//! issued (staff cancel some or all of it), the provider issues an invoice return (iade
//! faturası) against it in the transaction that takes them off: `LMI` + year + nine digits.

use futures::future::BoxFuture;

use super::{time, Db, WriteTx};
use crate::model::Money;

pub trait InvoiceProvider: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &'static str;
    /// Issues the invoice of `order_id` in `tx` (once: a second call returns the same number).
    fn issue<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        order_id: i64,
    ) -> BoxFuture<'a, Result<String, sqlx::Error>>;
    /// Issues a return of `lines` against the invoice of `order_id` in `tx`: its number, or
    /// `None` when no invoice was issued yet (the invoice, when it comes, lists only what is
    /// left). Nothing is issued for no lines.
    fn issue_return<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        order_id: i64,
        reason: &'a str,
        lines: &'a [ReturnLine],
    ) -> BoxFuture<'a, Result<Option<String>, sqlx::Error>>;
}

/// What an invoice return takes back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnLine {
    /// The order line whose pieces these are; `None` for a service (delivery, a fee).
    pub order_line_id: Option<i64>,
    /// How the document names it (the product and variant, or the service).
    pub label: String,
    pub quantity: i64,
    /// What it was charged, KDV included.
    pub amount: Money,
    pub kdv_rate: i64,
}

/// The next number of `counter`'s series for `year` (`invoice_number_counters`,
/// `invoice_return_counters`), in the transaction that uses it.
async fn next_number(tx: &mut WriteTx, counter: &str, year: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "INSERT INTO {counter} (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = {counter}.last + 1 RETURNING last"
    ))
    .bind(year)
    .fetch_one(&mut **tx)
    .await
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
            let sequence = next_number(tx, "invoice_number_counters", year).await?;
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

    fn issue_return<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        order_id: i64,
        reason: &'a str,
        lines: &'a [ReturnLine],
    ) -> BoxFuture<'a, Result<Option<String>, sqlx::Error>> {
        Box::pin(async move {
            let invoiced: Option<i64> =
                sqlx::query_scalar("SELECT order_id FROM invoices WHERE order_id = $1")
                    .bind(order_id)
                    .fetch_optional(&mut **tx)
                    .await?;
            if invoiced.is_none() || lines.is_empty() {
                return Ok(None);
            }
            let now = time::now_seconds();
            let year: i64 = time::iso_utc(now)[..4].parse().unwrap_or(2026);
            let sequence = next_number(tx, "invoice_return_counters", year).await?;
            let number = format!("LMI{year:04}{sequence:09}");
            let return_id: i64 = sqlx::query_scalar(
                "INSERT INTO invoice_returns (order_id, number, provider, reason, issued_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(order_id)
            .bind(&number)
            .bind(self.name())
            .bind(reason)
            .bind(time::iso_utc(now))
            .fetch_one(&mut **tx)
            .await?;
            for line in lines {
                sqlx::query(
                    "INSERT INTO invoice_return_lines (return_id, order_line_id, label, quantity, \
                     amount_kurus, kdv_rate) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(return_id)
                .bind(line.order_line_id)
                .bind(&line.label)
                .bind(line.quantity)
                .bind(line.amount.0)
                .bind(line.kdv_rate)
                .execute(&mut **tx)
                .await?;
            }
            Ok(Some(number))
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

/// The invoice returns of order `order_id`, oldest first, with what each took back.
pub async fn returns_of_order(
    db: &Db,
    order_id: i64,
) -> Result<Vec<crate::model::checkout::InvoiceReturnView>, sqlx::Error> {
    let returns: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, number, reason, issued_at FROM invoice_returns WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    let lines: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT l.return_id, l.label, l.quantity, l.amount_kurus, l.kdv_rate \
         FROM invoice_return_lines l JOIN invoice_returns r ON r.id = l.return_id \
         WHERE r.order_id = $1 ORDER BY l.return_id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    Ok(returns
        .into_iter()
        .map(
            |(id, number, reason, issued_at)| crate::model::checkout::InvoiceReturnView {
                number,
                reason,
                issued_at,
                lines: lines
                    .iter()
                    .filter(|line| line.0 == id)
                    .map(|(_, label, quantity, amount, rate)| {
                        (label.clone(), *quantity, Money(*amount), *rate)
                    })
                    .collect(),
            },
        )
        .collect())
}
