//! Messages from the contact form: stored with the sender's IP and time, limited per IP, found
//! again by their reference number (the confirmation page; the back office's inbox).

use super::rate_limit::Limit;
use super::{random_hex, time, Db, RequestOrigin, WriteTx};
use crate::model::contact::ContactMessage;
use crate::model::Locale;

/// How many messages one IP address (IPv6: one /64) may send per hour: enough for a shopper who
/// writes twice, too few for a flood of the staff's inbox.
pub const PER_IP_LIMIT: Limit = Limit {
    name: "contact-ip",
    max_hits: 5,
    window_seconds: 60 * 60,
};

/// How many messages one visitor (the cookie choice's anonymous id) may send per hour, from any
/// address: a phone moving between networks is still one sender.
pub const PER_VISITOR_LIMIT: Limit = Limit {
    name: "contact-visitor",
    max_hits: 5,
    window_seconds: 60 * 60,
};

/// Whether `reference` has the shape [`store`] gives (`ILT-` and eight hex digits): anything
/// else is not looked up.
pub fn is_reference(reference: &str) -> bool {
    reference.len() <= 16
        && reference
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

/// Stores the message in `tx` (the caller commits before showing the reference); returns its reference number (`ILT-` and eight random letters and
/// digits, unguessable, so the confirmation page shows it to its sender only).
pub async fn store(
    tx: &mut WriteTx,
    message: &ContactMessage,
    locale: Locale,
    origin: &RequestOrigin,
) -> Result<String, sqlx::Error> {
    let reference = format!("ILT-{}", random_hex(4).to_uppercase());
    sqlx::query(
        "INSERT INTO contact_messages (reference, topic, name, email, order_number, message, \
         locale, ip, user_agent, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&reference)
    .bind(message.topic.code())
    .bind(&message.name)
    .bind(&message.email)
    .bind(&message.order_number)
    .bind(&message.message)
    .bind(locale.code())
    .bind(&origin.ip)
    .bind(&origin.user_agent)
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut **tx)
    .await?;
    Ok(reference)
}

/// Whether a message with this reference exists.
pub async fn exists(db: &Db, reference: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM contact_messages WHERE reference = $1")
            .bind(reference)
            .fetch_optional(db.pool())
            .await?;
    Ok(found.is_some())
}
