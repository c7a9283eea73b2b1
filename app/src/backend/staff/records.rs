//! What the back office reads for the privacy notice's records: the consent ledgers (cookie
//! choices by visitor id or by member, marketing consent by member), and the e-mail outbox
//! with what failed. Read only: the ledgers are append-only and the outbox is the mail task's.

use super::super::Db;
use crate::model::staff::{
    ConsentSearch, CookieConsentRow, MarketingConsentRow, OutboxRow, OutboxView,
};

/// The consent rows `query` names: a visitor id (32 hex characters) or a member's e-mail.
pub async fn consents(db: &Db, query: &str) -> Result<ConsentSearch, sqlx::Error> {
    let query = query.trim().to_lowercase();
    let mut search = ConsentSearch {
        query: query.clone(),
        ..ConsentSearch::default()
    };
    if query.is_empty() {
        return Ok(search);
    }
    let customer: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(&query)
        .fetch_optional(db.pool())
        .await?;
    let visitor = if query.len() == 32 && query.bytes().all(|b| b.is_ascii_hexdigit()) {
        query.clone()
    } else {
        String::new()
    };
    #[allow(clippy::type_complexity)]
    let cookies: Vec<(String, String, String, i64, i64, i64, String, String)> = sqlx::query_as(
        "SELECT created_at, visitor_id, action, functional, analytics, marketing, \
         policy_version, ip FROM consent_ledger \
         WHERE visitor_id = $1 OR customer_id = $2 ORDER BY id DESC LIMIT 200",
    )
    .bind(&visitor)
    .bind(customer.unwrap_or(-1))
    .fetch_all(db.pool())
    .await?;
    search.cookie_rows = cookies
        .into_iter()
        .map(
            |(at, visitor_id, action, functional, analytics, marketing, policy_version, ip)| {
                CookieConsentRow {
                    at,
                    visitor_id,
                    action,
                    functional: functional == 1,
                    analytics: analytics == 1,
                    marketing: marketing == 1,
                    policy_version,
                    ip,
                }
            },
        )
        .collect();
    let marketing: Vec<(String, String, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT created_at, channel, granted, source, ip FROM marketing_consents \
         WHERE customer_id = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(customer.unwrap_or(-1))
    .fetch_all(db.pool())
    .await?;
    search.marketing_rows = marketing
        .into_iter()
        .map(|(at, channel, granted, source, ip)| MarketingConsentRow {
            at,
            channel,
            granted: granted == 1,
            source,
            ip,
        })
        .collect();
    Ok(search)
}

/// The newest outbox messages with `status` (`pending`, `sent`, `failed`; all when empty).
pub async fn outbox(db: &Db, status: &str) -> Result<OutboxView, sqlx::Error> {
    let status = if matches!(status, "pending" | "sent" | "failed") {
        status
    } else {
        ""
    };
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        i64,
        String,
        String,
        String,
        i64,
        Option<String>,
        String,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT id, kind, recipient, status, attempts, last_error, created_at, sent_at \
             FROM outbox_emails WHERE $1 = '' OR status = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(status)
    .fetch_all(db.pool())
    .await?;
    Ok(OutboxView {
        status: status.to_string(),
        rows: rows
            .into_iter()
            .map(
                |(id, kind, recipient, status, attempts, last_error, created_at, sent_at)| {
                    OutboxRow {
                        id,
                        kind,
                        recipient,
                        status,
                        attempts,
                        last_error,
                        created_at,
                        sent_at,
                    }
                },
            )
            .collect(),
    })
}
