//! The consent ledger: every cookie choice becomes one row, never changed afterwards (the
//! database refuses updates and deletions), as proof of who chose what, when, from where, under
//! which policy text.

use sha2::{Digest, Sha256};

use super::rate_limit::Limit;
use super::{random_hex, time, RequestOrigin, WriteTx};
use crate::model::consent::{ConsentAction, ConsentChoice};
use crate::model::legal::LegalDocument;
use crate::model::Locale;

/// Cookie choices one IP address (IPv6: one /64) may make per 10 minutes. Generous, because a
/// mobile carrier puts many phones behind one IPv4 address, yet a flood (20,000 ledger rows in
/// 13 s from one client before this limit) becomes a trickle the ledger can keep for ever.
pub const PER_IP_LIMIT: Limit = Limit {
    name: "consent-ip",
    max_hits: 60,
    window_seconds: 10 * 60,
};

/// Cookie choices one visitor (the consent cookie's id) may make per 10 minutes: far more than
/// anyone changes their mind.
pub const PER_VISITOR_LIMIT: Limit = Limit {
    name: "consent-visitor",
    max_hits: 10,
    window_seconds: 10 * 60,
};

/// One choice, as the ledger keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRecord {
    /// The anonymous visitor id from the consent cookie.
    pub visitor_id: String,
    /// The signed-in customer, once accounts exist.
    pub customer_id: Option<i64>,
    pub action: ConsentAction,
    pub choice: ConsentChoice,
    pub policy_version: String,
    /// The language the policy was shown in (its text's hash is recorded).
    pub locale: Locale,
}

/// SHA-256 (hex) of the cookie policy text shown in `locale`.
pub fn policy_sha256(locale: Locale) -> String {
    let digest = Sha256::digest(LegalDocument::Privacy.source(locale).as_bytes());
    super::hex(&digest)
}

/// A fresh anonymous visitor id: 128 random bits as 32 hex digits.
pub fn new_visitor_id() -> String {
    random_hex(16)
}

/// Adds the choice to the ledger in `tx`; returns the row's id. The caller answers the visitor
/// only after committing `tx`. (Read with `fetch_one` outside a transaction, SQLite handed back
/// the `RETURNING` row before the commit, whose failure, such as a full disk, was then lost: the
/// visitor got a cookie for a choice the ledger never kept, sqlx issue 2099.)
pub async fn record(
    tx: &mut WriteTx,
    record: &ConsentRecord,
    origin: &RequestOrigin,
) -> Result<i64, sqlx::Error> {
    let flag = |on: bool| i64::from(on);
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO consent_ledger (visitor_id, customer_id, action, functional, analytics, \
         marketing, policy_version, policy_sha256, locale, ip, user_agent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(&record.visitor_id)
    .bind(record.customer_id)
    .bind(record.action.code())
    .bind(flag(record.choice.functional))
    .bind(flag(record.choice.analytics))
    .bind(flag(record.choice.marketing))
    .bind(&record.policy_version)
    .bind(policy_sha256(record.locale))
    .bind(record.locale.code())
    .bind(&origin.ip)
    .bind(&origin.user_agent)
    .bind(time::iso_utc(time::now_seconds()))
    .fetch_all(&mut **tx)
    .await?;
    ids.first().copied().ok_or(sqlx::Error::RowNotFound)
}
