//! The outbox: e-mails owed to customers, written in the transaction of the change they tell
//! about ([`enqueue_order_confirmation`]), composed and delivered afterwards by a background
//! task (`server/src/mail_task.rs`) over SMTP when SMTP is configured, retried with backoff.
//! A message the relay refused or could not take stays `pending` with its error until its next
//! attempt; after [`MAX_ATTEMPTS`] it is `failed` for staff to see. Without SMTP, composed
//! messages wait here, readable in the database.

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{time, Db, WriteTx};

/// After this many failed attempts a message is given up (`failed`) and left to staff.
pub const MAX_ATTEMPTS: i64 = 10;

/// Seconds until the next attempt after `attempts` failures: 30 s doubling, at most an hour.
pub fn backoff_seconds(attempts: i64) -> i64 {
    (30_i64 << attempts.clamp(0, 7)).min(3600)
}

/// Owes the customer of `order_id` the confirmation of their order (once per order).
pub async fn enqueue_order_confirmation(
    tx: &mut WriteTx,
    order_id: i64,
    recipient: &str,
    locale: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox_emails (order_id, kind, recipient, locale, next_attempt_at, created_at) \
         VALUES ($1, 'order_confirmation', $2, $3, $4, $5) \
         ON CONFLICT (order_id) WHERE kind = 'order_confirmation' DO NOTHING",
    )
    .bind(order_id)
    .bind(recipient)
    .bind(locale)
    .bind(time::now_seconds())
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes an e-mail composed now (membership's, and what staff write) to the outbox of kind
/// `kind`, about member `customer_id` when it is about one; the mail task only delivers it.
pub async fn enqueue_composed(
    tx: &mut WriteTx,
    customer_id: Option<i64>,
    kind: &str,
    recipient: &str,
    locale: &str,
    composed: &crate::pages::order_mail::Composed,
) -> Result<(), sqlx::Error> {
    let now = time::now_seconds();
    sqlx::query(
        "INSERT INTO outbox_emails (customer_id, kind, recipient, locale, subject, body_text, \
         body_html, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(customer_id)
    .bind(kind)
    .bind(recipient)
    .bind(locale)
    .bind(&composed.subject)
    .bind(&composed.text)
    .bind(&composed.html)
    .bind(now)
    .bind(time::iso_utc(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Owes the customer of `order_id` word of what staff just did with their order (released,
/// shipped, delivered); composed when sent, from the order as it is then.
pub async fn enqueue_order_update(tx: &mut WriteTx, order_id: i64) -> Result<(), sqlx::Error> {
    let now = time::now_seconds();
    sqlx::query(
        "INSERT INTO outbox_emails (order_id, kind, recipient, locale, next_attempt_at, created_at) \
         SELECT id, 'order_update', email, locale, $2, $3 FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .bind(now)
    .bind(time::iso_utc(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A message waiting to be composed: its id, its order's number, its language, its kind and
/// the cayma request it tells about (if it does).
#[allow(clippy::type_complexity)]
pub async fn to_compose(
    db: &Db,
) -> Result<Vec<(i64, String, String, String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, o.number, m.locale, m.kind, m.cayma_request_id \
         FROM outbox_emails m JOIN orders o ON o.id = m.order_id \
         WHERE m.subject IS NULL AND m.status = 'pending' ORDER BY m.id LIMIT 50",
    )
    .fetch_all(db.pool())
    .await
}

/// The documents accepted with an order: (kind, html).
pub async fn order_documents(db: &Db, number: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.kind, d.html FROM order_documents d JOIN orders o ON o.id = d.order_id \
         WHERE o.number = $1 ORDER BY d.kind DESC",
    )
    .bind(number)
    .fetch_all(db.pool())
    .await
}

pub async fn store_composed(
    db: &Db,
    id: i64,
    subject: &str,
    text: &str,
    html: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE outbox_emails SET subject = $1, body_text = $2, body_html = $3 \
         WHERE id = $4 AND subject IS NULL",
    )
    .bind(subject)
    .bind(text)
    .bind(html)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// A composed message due for delivery.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attempts: i64,
}

/// How long a process that took a message has to send it before another may try (several
/// server processes share one outbox on PostgreSQL).
pub const CLAIM_SECONDS: i64 = 120;

/// The composed messages due now, each claimed for this process: a message another process
/// claimed first is left to it, so no message is sent twice.
pub async fn due(db: &Db, now: i64) -> Result<Vec<Outgoing>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, recipient, subject, body_text, body_html, attempts FROM outbox_emails \
         WHERE status = 'pending' AND subject IS NOT NULL AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at, id LIMIT 20",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    let mut claimed = Vec::new();
    for (id, recipient, subject, text, html, attempts) in rows {
        let mut tx = db.begin_write().await?;
        let taken = sqlx::query(
            "UPDATE outbox_emails SET next_attempt_at = $1 \
             WHERE id = $2 AND status = 'pending' AND next_attempt_at <= $3",
        )
        .bind(now + CLAIM_SECONDS)
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if taken.rows_affected() == 1 {
            claimed.push(Outgoing {
                id,
                recipient,
                subject,
                text,
                html,
                attempts,
            });
        }
    }
    Ok(claimed)
}

/// Records the outcome of one delivery attempt.
pub async fn record_attempt(
    db: &Db,
    message: &Outgoing,
    outcome: Result<(), String>,
) -> Result<(), sqlx::Error> {
    let now = time::now_seconds();
    let mut tx = db.begin_write().await?;
    match outcome {
        Ok(()) => {
            sqlx::query(
                "UPDATE outbox_emails SET status = 'sent', attempts = attempts + 1, sent_at = $1, \
                 last_error = NULL WHERE id = $2",
            )
            .bind(time::iso_utc(now))
            .bind(message.id)
            .execute(&mut *tx)
            .await?;
            // A confirmation or new-password link opens an account: once delivered, the shop
            // keeps no working copy of it (the tokens themselves are kept only hashed). The
            // notice of a closed membership was the last use of its address: that goes too.
            sqlx::query(
                "UPDATE outbox_emails SET body_text = '', body_html = '', \
                 recipient = CASE WHEN kind = 'account_closed' THEN '' ELSE recipient END \
                 WHERE id = $1 AND kind IN ('account_verify', 'password_reset', 'account_closed', 'email_change')",
            )
            .bind(message.id)
            .execute(&mut *tx)
            .await?;
        }
        Err(error) => {
            let attempts = message.attempts + 1;
            let status = if attempts >= MAX_ATTEMPTS {
                "failed"
            } else {
                "pending"
            };
            sqlx::query(
                "UPDATE outbox_emails SET status = $1, attempts = $2, next_attempt_at = $3, \
                 last_error = $4 WHERE id = $5",
            )
            .bind(status)
            .bind(attempts)
            .bind(now + backoff_seconds(attempts))
            .bind(error.chars().take(500).collect::<String>())
            .bind(message.id)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

/// The SMTP relay the shop sends through (`LESMINORIA_SMTP_URL`, e.g. `smtp://127.0.0.1:25`).
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmtpSender(from {})", self.from)
    }
}

impl SmtpSender {
    /// A sender through the relay at `url` (`smtp://host:port`), from `from`
    /// (`Les Minoria <hello@lesminoria.com>`). The relay is a local one (a sidecar or the
    /// machine's MTA) reached without TLS; it carries the mail on to the world over TLS.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let (host, port) = url
            .strip_prefix("smtp://")
            .and_then(|rest| {
                let rest = rest.trim_end_matches('/');
                match rest.rsplit_once(':') {
                    Some((host, port)) => Some((host.to_string(), port.parse().ok()?)),
                    None => Some((rest.to_string(), 25)),
                }
            })
            .filter(|(host, _)| !host.is_empty())
            .ok_or_else(|| format!("LESMINORIA_SMTP_URL is {url:?}; expected smtp://host:port"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|error| format!("the sender address {from:?}: {error}"))?;
        Ok(Self { transport, from })
    }

    /// Sends one message; the relay's refusal or a network failure as text.
    pub async fn send(&self, message: &Outgoing) -> Result<(), String> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|error| format!("the recipient address: {error}"))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                message.text.clone(),
                message.html.clone(),
            ))
            .map_err(|error| error.to_string())?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(backoff_seconds(1), 60);
        assert_eq!(backoff_seconds(2), 120);
        assert_eq!(backoff_seconds(9), 3600);
    }
}
