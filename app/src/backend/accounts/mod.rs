//! Members (issue 14): registering with a confirmed address, logging in, choosing a new
//! password by an e-mailed link, and the profile, password and marketing choices of Hesabım.
//!
//! What an outsider can learn is bounded on purpose:
//! - Registration, login and "şifremi unuttum" answer the same way whether or not an address is
//!   a member's: registering a taken address e-mails its owner instead of saying so, and a
//!   login with an unknown address still spends a password hash's time.
//! - Failed logins are limited per IP group and per address ([`LOGIN_FAILURES_PER_IP`],
//!   [`LOGIN_FAILURES_PER_ACCOUNT`]); every attempt on an account is recorded with its IP.
//! - E-mailed links carry a random token; only its SHA-256 is kept, it is used once, and it
//!   expires.
//!
//! Each write is one transaction with the e-mail it owes (the outbox) and, for marketing
//! choices, the ledger row and the İYS notification: what the member is told happened, did.

pub mod addresses;
pub mod auth;
pub mod cards;
pub mod carts;
pub mod closure;
pub mod iys;
pub mod kvkk;
pub mod orders;
pub mod unsubscribe;

use sha2::{Digest, Sha256};

use super::rate_limit::{self, Admission, Limit, Limiter};
use super::{hex, password, random_hex, time, Db, RequestOrigin, WriteTx};
use crate::model::account::{
    AccountMail, Channel, Credentials, MarketingChoice, MemberView, NewMember, Profile,
};
use crate::pages::order_mail::Composed;

pub const LOGIN_FAILURES_PER_IP: Limit = Limit {
    name: "login-ip",
    max_hits: 30,
    window_seconds: 15 * 60,
};
pub const LOGIN_FAILURES_PER_ACCOUNT: Limit = Limit {
    name: "login-account",
    max_hits: 8,
    window_seconds: 15 * 60,
};
pub const REGISTRATIONS_PER_IP: Limit = Limit {
    name: "register-ip",
    max_hits: 10,
    window_seconds: 60 * 60,
};
pub const RESETS_PER_IP: Limit = Limit {
    name: "reset-ip",
    max_hits: 10,
    window_seconds: 60 * 60,
};
pub const RESETS_PER_ADDRESS: Limit = Limit {
    name: "reset-address",
    max_hits: 3,
    window_seconds: 60 * 60,
};

/// A confirmation link works for three days, a new-password link for an hour.
pub const VERIFY_LINK_SECONDS: i64 = 3 * 24 * 60 * 60;
pub const RESET_LINK_SECONDS: i64 = 60 * 60;

/// Why an account form was not done (beyond its fields' problems).
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("too many attempts lately")]
    RateLimited { retry_after_seconds: i64 },
}

/// The key the payment provider keeps a member's saved cards under. Derived from the member's
/// id, so nothing needs storing; the provider never learns who the member is.
pub fn card_user_key(customer: i64) -> String {
    format!("lm-uye-{customer}")
}

/// A random token for an e-mailed link (256 bits, hex).
pub fn new_token() -> String {
    random_hex(32)
}

fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub async fn hash_password(password: String) -> String {
    with_password_turn(move || password::hash(&password)).await
}

pub(crate) async fn verify_password(password: String, stored: Option<String>) -> bool {
    with_password_turn(move || {
        // An unknown address costs the same time as a wrong password (no enumeration by timing).
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        password::verify(&password, &stored)
    })
    .await
}

/// Runs `work` (an argon2id hash: 19 MiB and tens of milliseconds of a core) when its turn
/// comes: at most one at a time per core but one, so a flood of logins from many addresses
/// queues here instead of taking every core and a gigabyte of memory from the pages. The
/// request's own deadline (30 s, a 503) bounds the wait; the turn is held until the hash is
/// done, even when the request that asked gave up.
async fn with_password_turn<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    static TURNS: std::sync::OnceLock<std::sync::Arc<tokio::sync::Semaphore>> =
        std::sync::OnceLock::new();
    let turns = TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        std::sync::Arc::new(tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1)))
    });
    let turn = turns
        .clone()
        .acquire_owned()
        .await
        .expect("the password queue is never closed");
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        work()
    })
    .await
    .expect("hashing a password does not panic")
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| password::hash("no member has this password"))
}

/// Writes an account e-mail to the outbox, composed (the mail task only delivers it).
pub(super) async fn enqueue_mail(
    tx: &mut WriteTx,
    customer_id: i64,
    mail: AccountMail,
    recipient: &str,
    locale: &str,
    composed: &Composed,
) -> Result<(), sqlx::Error> {
    super::mail::enqueue_composed(
        tx,
        Some(customer_id),
        mail.kind(),
        recipient,
        locale,
        composed,
    )
    .await
}

async fn store_token(
    tx: &mut WriteTx,
    customer_id: i64,
    purpose: &str,
    token: &str,
    lifetime_seconds: i64,
    origin: &RequestOrigin,
) -> Result<(), sqlx::Error> {
    let now = time::now_seconds();
    sqlx::query(
        "INSERT INTO account_tokens (token_sha256, customer_id, purpose, expires_at, created_at, ip) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash(token))
    .bind(customer_id)
    .bind(purpose)
    .bind(now + lifetime_seconds)
    .bind(time::iso_utc(now))
    .bind(&origin.ip)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The context of an account e-mail: whom it greets and the link it carries.
pub struct MailFor<'a> {
    pub name: &'a str,
    pub mail: AccountMail,
}

/// Registers `member`, or, when the address is already a member's, e-mails its owner: the
/// answer is the same either way. `token` is the confirmation link's; `compose` writes each
/// e-mail.
pub async fn register(
    db: &Db,
    limiter: &Limiter,
    member: &NewMember,
    locale: &str,
    origin: &RequestOrigin,
    token: &str,
    compose: impl Fn(MailFor<'_>) -> Composed,
) -> Result<(), AccountError> {
    // Hashed before asking whether the address is taken, so both answers take as long.
    let password_hash = hash_password(member.password.clone()).await;
    let ip_group = rate_limit::ip_group(&origin.ip);
    let mut tx = admitted(limiter, db, &[(REGISTRATIONS_PER_IP, ip_group.as_str())]).await?;
    let now = time::now_seconds();
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO customers (email, name, phone, password_hash, locale, created_at, created_ip, \
         password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(&member.email)
    .bind(&member.name)
    .bind(&member.phone)
    .bind(&password_hash)
    .bind(locale)
    .bind(time::iso_utc(now))
    .bind(&origin.ip)
    .fetch_optional(&mut *tx)
    .await?;
    match created {
        Some(id) => {
            for channel in Channel::ALL {
                if member.marketing.of(channel) {
                    let recipient = recipient_of(channel, &member.email, member.phone.as_deref());
                    record_consent(&mut tx, id, channel, true, recipient, "uye-ol", origin).await?;
                }
            }
            sqlx::query(
                "UPDATE customers SET marketing_email = $1, marketing_sms = $2 WHERE id = $3",
            )
            .bind(i64::from(member.marketing.email))
            .bind(i64::from(member.marketing.sms))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            store_token(&mut tx, id, "dogrulama", token, VERIFY_LINK_SECONDS, origin).await?;
            let composed = compose(MailFor {
                name: &member.name,
                mail: AccountMail::Verify,
            });
            enqueue_mail(
                &mut tx,
                id,
                AccountMail::Verify,
                &member.email,
                locale,
                &composed,
            )
            .await?;
        }
        None => {
            let (id, name): (i64, Option<String>) =
                sqlx::query_as("SELECT id, name FROM customers WHERE email = $1")
                    .bind(&member.email)
                    .fetch_one(&mut *tx)
                    .await?;
            let composed = compose(MailFor {
                name: name.as_deref().unwrap_or_default(),
                mail: AccountMail::Exists,
            });
            enqueue_mail(
                &mut tx,
                id,
                AccountMail::Exists,
                &member.email,
                locale,
                &composed,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn admitted(
    limiter: &Limiter,
    db: &Db,
    checks: &rate_limit::Checks<'_>,
) -> Result<WriteTx, AccountError> {
    match limiter.begin_write(db, checks).await? {
        Admission::Allowed(tx) => Ok(tx),
        Admission::Refused {
            retry_after_seconds,
        } => Err(AccountError::RateLimited {
            retry_after_seconds,
        }),
    }
}

/// Uses up the link `token` made for `purpose` while it is unused and unexpired; its member.
async fn use_token(
    tx: &mut WriteTx,
    token: &str,
    purpose: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let now = time::now_seconds();
    sqlx::query_scalar(
        "UPDATE account_tokens SET used_at = $1 WHERE token_sha256 = $2 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $4 RETURNING customer_id",
    )
    .bind(time::iso_utc(now))
    .bind(token_hash(token))
    .bind(purpose)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Marks the member's address confirmed (from the first time it was).
async fn confirm_email(tx: &mut WriteTx, customer: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customers SET email_verified_at = COALESCE(email_verified_at, $1) \
         WHERE id = $2 AND closed_at IS NULL",
    )
    .bind(time::iso_utc(time::now_seconds()))
    .bind(customer)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Confirms the address of the link's account; whether the link was good (unused, unexpired).
pub async fn verify_email(db: &Db, token: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(customer) = use_token(&mut tx, token, "dogrulama").await? else {
        return Ok(false);
    };
    confirm_email(&mut tx, customer).await?;
    tx.commit().await?;
    Ok(true)
}

/// id, password_hash, email_verified_at, locale, name.
type LoginRow = (i64, Option<String>, Option<String>, String, Option<String>);

/// id, name, email, phone, marketing_email, marketing_sms, created_at.
type MemberRow = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    String,
);

/// How a login went.
#[derive(Debug)]
pub enum LoginOutcome {
    LoggedIn(auth::SessionMember),
    /// Wrong password, or no such member: the same answer.
    Refused,
    /// The right password for an address not yet confirmed; a new link was sent.
    Unconfirmed,
    RateLimited {
        retry_after_seconds: i64,
    },
}

/// Checks `credentials`, limited per IP and per address, recording the attempt with its IP.
/// `token` and `compose` send a new confirmation link to a member who has not confirmed yet.
pub async fn log_in(
    db: &Db,
    limiter: &Limiter,
    credentials: &Credentials,
    origin: &RequestOrigin,
    token: &str,
    compose: impl Fn(MailFor<'_>) -> Composed,
) -> Result<LoginOutcome, sqlx::Error> {
    let ip_group = rate_limit::ip_group(&origin.ip);
    let checks = [
        (LOGIN_FAILURES_PER_IP, ip_group.as_str()),
        (LOGIN_FAILURES_PER_ACCOUNT, credentials.email.as_str()),
    ];
    if let Some(retry_after_seconds) = limiter.at_limit(db, &checks).await? {
        return Ok(LoginOutcome::RateLimited {
            retry_after_seconds,
        });
    }
    let row: Option<LoginRow> = sqlx::query_as(
        "SELECT id, password_hash, email_verified_at, locale, name FROM customers \
             WHERE email = $1 AND closed_at IS NULL",
    )
    .bind(&credentials.email)
    .fetch_optional(db.pool())
    .await?;
    let stored = row.as_ref().and_then(|row| row.1.clone());
    let matches =
        verify_password(credentials.password.clone(), stored.clone()).await && row.is_some();

    // A stored hash of older parameters is renewed at a login that proves the password. The
    // new hash is made before the write transaction: on SQLite that transaction is the one
    // writer's turn, and hashing waits in a queue (one per spare core) during a login flood.
    let confirmed = row.as_ref().is_some_and(|row| row.2.is_some());
    let renewed_hash = match &stored {
        Some(hash) if matches && confirmed && password::needs_rehash(hash) => {
            Some(hash_password(credentials.password.clone()).await)
        }
        _ => None,
    };

    let mut tx = db.begin_write().await?;
    let (outcome, event) = match (&row, matches) {
        (Some((id, _, Some(_), _, _)), true) => {
            let mut password_hash = stored.unwrap_or_default();
            if let Some(renewed) = renewed_hash {
                password_hash = renewed;
                sqlx::query("UPDATE customers SET password_hash = $1 WHERE id = $2")
                    .bind(&password_hash)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let member = auth::SessionMember::new(*id, &password_hash);
            (LoginOutcome::LoggedIn(member), "basarili")
        }
        (Some((id, _, None, locale, name)), true) => {
            store_token(
                &mut tx,
                *id,
                "dogrulama",
                token,
                VERIFY_LINK_SECONDS,
                origin,
            )
            .await?;
            let composed = compose(MailFor {
                name: name.as_deref().unwrap_or_default(),
                mail: AccountMail::Verify,
            });
            enqueue_mail(
                &mut tx,
                *id,
                AccountMail::Verify,
                &credentials.email,
                locale,
                &composed,
            )
            .await?;
            (LoginOutcome::Unconfirmed, "dogrulanmamis")
        }
        (Some(_), false) => {
            limiter.count_failure(&mut tx, &checks).await?;
            (LoginOutcome::Refused, "hatali_sifre")
        }
        (None, _) => {
            limiter.count_failure(&mut tx, &checks).await?;
            (LoginOutcome::Refused, "bilinmeyen")
        }
    };
    let now = time::now_seconds();
    sqlx::query(
        "INSERT INTO login_events (customer_id, outcome, ip, user_agent, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(row.as_ref().map(|row| row.0))
    .bind(event)
    .bind(&origin.ip)
    .bind(&origin.user_agent)
    .bind(time::iso_utc(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Sends a new-password link to `email` when it is a member's; the same answer either way.
pub async fn request_reset(
    db: &Db,
    limiter: &Limiter,
    email: &str,
    origin: &RequestOrigin,
    token: &str,
    compose: impl Fn(MailFor<'_>) -> Composed,
) -> Result<(), AccountError> {
    let ip_group = rate_limit::ip_group(&origin.ip);
    let checks = [
        (RESETS_PER_IP, ip_group.as_str()),
        (RESETS_PER_ADDRESS, email),
    ];
    let mut tx = admitted(limiter, db, &checks).await?;
    let member: Option<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT id, name, locale FROM customers WHERE email = $1 AND closed_at IS NULL",
    )
    .bind(email)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((id, name, locale)) = member {
        store_token(&mut tx, id, "sifre", token, RESET_LINK_SECONDS, origin).await?;
        let composed = compose(MailFor {
            name: name.as_deref().unwrap_or_default(),
            mail: AccountMail::Reset,
        });
        enqueue_mail(&mut tx, id, AccountMail::Reset, email, &locale, &composed).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The member a new-password link is for (id and address), while it is unused and unexpired.
pub async fn reset_target(db: &Db, token: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.email FROM account_tokens t JOIN customers c ON c.id = t.customer_id \
         WHERE t.token_sha256 = $1 AND t.purpose = 'sifre' AND t.used_at IS NULL \
         AND t.expires_at > $2 AND c.closed_at IS NULL AND c.email IS NOT NULL",
    )
    .bind(token_hash(token))
    .bind(time::now_seconds())
    .fetch_optional(db.pool())
    .await
}

/// Sets the password of the link's member to `password_hash` and uses the link up (with every
/// other new-password link of theirs); following the link proves the address, so it is
/// confirmed too. Every session of the member ends (`auth::SessionMember`'s stamp changes).
/// Whether the link was still good.
pub async fn reset_password(
    db: &Db,
    token: &str,
    password_hash: &str,
    notice: &Composed,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(customer) = use_token(&mut tx, token, "sifre").await? else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE account_tokens SET used_at = $1 WHERE customer_id = $2 AND purpose = 'sifre' \
         AND used_at IS NULL",
    )
    .bind(time::iso_utc(time::now_seconds()))
    .bind(customer)
    .execute(&mut *tx)
    .await?;
    let changed = set_password(&mut tx, customer, password_hash, notice).await?;
    confirm_email(&mut tx, customer).await?;
    if changed {
        tx.commit().await?;
    }
    Ok(changed)
}

/// Writes a new password hash and owes the member a notice of it; whether the account is open.
async fn set_password(
    tx: &mut WriteTx,
    customer: i64,
    password_hash: &str,
    notice: &Composed,
) -> Result<bool, sqlx::Error> {
    let now = time::now_seconds();
    let member: Option<(String, String)> = sqlx::query_as(
        "UPDATE customers SET password_hash = $1, password_changed_at = $2 \
         WHERE id = $3 AND closed_at IS NULL AND email IS NOT NULL RETURNING email, locale",
    )
    .bind(password_hash)
    .bind(time::iso_utc(now))
    .bind(customer)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((email, locale)) = member else {
        return Ok(false);
    };
    enqueue_mail(
        tx,
        customer,
        AccountMail::PasswordChanged,
        &email,
        &locale,
        notice,
    )
    .await?;
    Ok(true)
}

/// How a change of password from Hesabım went.
#[derive(Debug)]
pub enum PasswordChangeOutcome {
    /// Changed: the member with the new stamp, to keep this session logged in.
    Changed(auth::SessionMember),
    WrongCurrent,
    RateLimited {
        retry_after_seconds: i64,
    },
}

/// Changes the password of `customer` when `current` is right (wrong ones count against the
/// account's login limit); `new_password` has passed `password::check_new`.
pub async fn change_password(
    db: &Db,
    limiter: &Limiter,
    customer: i64,
    current: &str,
    new_password: &str,
    notice: &Composed,
) -> Result<PasswordChangeOutcome, sqlx::Error> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT email, password_hash FROM customers WHERE id = $1 AND closed_at IS NULL \
         AND email IS NOT NULL",
    )
    .bind(customer)
    .fetch_optional(db.pool())
    .await?;
    let Some((email, stored)) = row else {
        return Ok(PasswordChangeOutcome::WrongCurrent);
    };
    let checks = [(LOGIN_FAILURES_PER_ACCOUNT, email.as_str())];
    if let Some(retry_after_seconds) = limiter.at_limit(db, &checks).await? {
        return Ok(PasswordChangeOutcome::RateLimited {
            retry_after_seconds,
        });
    }
    if !verify_password(current.to_string(), stored).await {
        let mut tx = db.begin_write().await?;
        limiter.count_failure(&mut tx, &checks).await?;
        tx.commit().await?;
        return Ok(PasswordChangeOutcome::WrongCurrent);
    }
    let password_hash = hash_password(new_password.to_string()).await;
    let mut tx = db.begin_write().await?;
    if !set_password(&mut tx, customer, &password_hash, notice).await? {
        return Ok(PasswordChangeOutcome::WrongCurrent);
    }
    tx.commit().await?;
    Ok(PasswordChangeOutcome::Changed(auth::SessionMember::new(
        customer,
        &password_hash,
    )))
}

/// How a request to change the address went.
#[derive(Debug, PartialEq, Eq)]
pub enum EmailChangeOutcome {
    /// A link is on its way to the new address (or, when that address is already a member's,
    /// a note to its owner: the answer is the same).
    Sent,
    WrongPassword,
    RateLimited {
        retry_after_seconds: i64,
    },
}

/// Starts changing `customer`'s address to `new_email`: confirmed by the password, taken only
/// when the link sent to the new address is followed (`confirm_email_change`).
pub async fn request_email_change(
    db: &Db,
    limiter: &Limiter,
    customer: i64,
    credentials: &Credentials,
    origin: &RequestOrigin,
    token: &str,
    compose: impl Fn(MailFor<'_>) -> Composed,
) -> Result<EmailChangeOutcome, sqlx::Error> {
    let row: Option<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT email, password_hash, name, locale FROM customers WHERE id = $1 \
         AND closed_at IS NULL AND email IS NOT NULL",
    )
    .bind(customer)
    .fetch_optional(db.pool())
    .await?;
    let Some((email, stored, name, locale)) = row else {
        return Ok(EmailChangeOutcome::WrongPassword);
    };
    let checks = [(LOGIN_FAILURES_PER_ACCOUNT, email.as_str())];
    if let Some(retry_after_seconds) = limiter.at_limit(db, &checks).await? {
        return Ok(EmailChangeOutcome::RateLimited {
            retry_after_seconds,
        });
    }
    if !verify_password(credentials.password.clone(), stored).await {
        let mut tx = db.begin_write().await?;
        limiter.count_failure(&mut tx, &checks).await?;
        tx.commit().await?;
        return Ok(EmailChangeOutcome::WrongPassword);
    }
    let mut tx = db.begin_write().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(&credentials.email)
        .fetch_optional(&mut *tx)
        .await?;
    let name = name.unwrap_or_default();
    let mail = if taken.is_some() {
        AccountMail::Exists
    } else {
        sqlx::query(
            "INSERT INTO account_tokens (token_sha256, customer_id, purpose, new_email, expires_at, \
             created_at, ip) VALUES ($1, $2, 'eposta', $3, $4, $5, $6)",
        )
        .bind(token_hash(token))
        .bind(customer)
        .bind(&credentials.email)
        .bind(time::now_seconds() + VERIFY_LINK_SECONDS)
        .bind(time::iso_utc(time::now_seconds()))
        .bind(&origin.ip)
        .execute(&mut *tx)
        .await?;
        AccountMail::EmailChange
    };
    let composed = compose(MailFor { name: &name, mail });
    enqueue_mail(
        &mut tx,
        customer,
        mail,
        &credentials.email,
        &locale,
        &composed,
    )
    .await?;
    tx.commit().await?;
    Ok(EmailChangeOutcome::Sent)
}

/// Takes the new address of an e-mailed change link; whether the link was good and the address
/// still free.
pub async fn confirm_email_change(db: &Db, token: &str) -> Result<bool, sqlx::Error> {
    let now = time::now_seconds();
    let mut tx = db.begin_write().await?;
    let found: Option<(i64, Option<String>)> = sqlx::query_as(
        "UPDATE account_tokens SET used_at = $1 WHERE token_sha256 = $2 AND purpose = 'eposta' \
         AND used_at IS NULL AND expires_at > $3 RETURNING customer_id, new_email",
    )
    .bind(time::iso_utc(now))
    .bind(token_hash(token))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((customer, Some(new_email))) = found else {
        return Ok(false);
    };
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(&new_email)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Ok(false);
    }
    let changed = sqlx::query(
        "UPDATE customers SET email = $1, email_verified_at = $2 WHERE id = $3 AND closed_at IS NULL",
    )
    .bind(&new_email)
    .bind(time::iso_utc(now))
    .bind(customer)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

/// What Hesabım shows of `customer`, while the account is open.
pub async fn member(db: &Db, customer: i64) -> Result<Option<MemberView>, sqlx::Error> {
    let row: Option<MemberRow> = sqlx::query_as(
        "SELECT id, name, email, phone, marketing_email, marketing_sms, created_at \
             FROM customers WHERE id = $1 AND closed_at IS NULL AND email IS NOT NULL",
    )
    .bind(customer)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(
        |(id, name, email, phone, marketing_email, marketing_sms, created_at)| MemberView {
            id,
            name: name.unwrap_or_default(),
            email: email.unwrap_or_default(),
            phone,
            marketing: MarketingChoice {
                email: marketing_email == 1,
                sms: marketing_sms == 1,
            },
            created_at,
        },
    ))
}

/// Corrects the member's name and phone. A phone removed takes its SMS consent with it (a
/// withdrawal in the ledger): there is nowhere left to send to.
pub async fn update_profile(
    db: &Db,
    customer: i64,
    profile: &Profile,
    origin: &RequestOrigin,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let before: Option<(Option<String>, i64)> = sqlx::query_as(
        "SELECT phone, marketing_sms FROM customers WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(customer)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((phone, marketing_sms)) = before else {
        return Ok(false);
    };
    if marketing_sms == 1 && profile.phone.is_none() {
        record_consent(
            &mut tx,
            customer,
            Channel::Sms,
            false,
            phone.as_deref(),
            "hesabim",
            origin,
        )
        .await?;
    }
    sqlx::query("UPDATE customers SET name = $1, phone = $2, marketing_sms = $3 WHERE id = $4")
        .bind(&profile.name)
        .bind(&profile.phone)
        .bind(i64::from(marketing_sms == 1 && profile.phone.is_some()))
        .bind(customer)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Withdraws the member's consent for `channel` only (an unsubscribe link); whether the
/// account is open.
pub async fn withdraw(
    db: &Db,
    customer: i64,
    channel: Channel,
    origin: &RequestOrigin,
) -> Result<bool, PreferencesError> {
    let Some(member) = member(db, customer).await? else {
        return Ok(false);
    };
    let choice = match channel {
        Channel::Email => MarketingChoice {
            email: false,
            ..member.marketing
        },
        Channel::Sms => MarketingChoice {
            sms: false,
            ..member.marketing
        },
    };
    set_marketing(db, customer, choice, "abonelik-iptali", origin).await?;
    Ok(true)
}

/// Why marketing choices could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum PreferencesError {
    #[error("the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("SMS needs a phone number on the profile")]
    NoPhone,
}

/// Sets the member's marketing choices; each channel that changes gets its ledger row and its
/// İYS notification, in the same transaction. `source` says where in the shop it was changed.
pub async fn set_marketing(
    db: &Db,
    customer: i64,
    choice: MarketingChoice,
    source: &'static str,
    origin: &RequestOrigin,
) -> Result<(), PreferencesError> {
    let mut tx = db.begin_write().await?;
    let row: Option<(Option<String>, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT email, phone, marketing_email, marketing_sms FROM customers \
         WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(customer)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((Some(email), phone, was_email, was_sms)) = row else {
        return Ok(());
    };
    if choice.sms && phone.is_none() {
        return Err(PreferencesError::NoPhone);
    }
    let before = MarketingChoice {
        email: was_email == 1,
        sms: was_sms == 1,
    };
    for channel in Channel::ALL {
        let granted = choice.of(channel);
        if granted != before.of(channel) {
            let recipient = recipient_of(channel, &email, phone.as_deref());
            record_consent(
                &mut tx, customer, channel, granted, recipient, source, origin,
            )
            .await?;
        }
    }
    sqlx::query("UPDATE customers SET marketing_email = $1, marketing_sms = $2 WHERE id = $3")
        .bind(i64::from(choice.email))
        .bind(i64::from(choice.sms))
        .bind(customer)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) fn recipient_of<'a>(
    channel: Channel,
    email: &'a str,
    phone: Option<&'a str>,
) -> Option<&'a str> {
    match channel {
        Channel::Email => Some(email),
        Channel::Sms => phone,
    }
}

/// One ledger row, and what İYS must be told of it (its consent API's fields: recipient, type,
/// source, status, consentDate, recipientType).
pub(super) async fn record_consent(
    tx: &mut WriteTx,
    customer: i64,
    channel: Channel,
    granted: bool,
    recipient: Option<&str>,
    source: &'static str,
    origin: &RequestOrigin,
) -> Result<(), sqlx::Error> {
    let now = time::now_seconds();
    let at = time::iso_utc(now);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO marketing_consents (customer_id, channel, granted, recipient, source, ip, \
         user_agent, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(customer)
    .bind(channel.code())
    .bind(i64::from(granted))
    .bind(recipient)
    .bind(source)
    .bind(&origin.ip)
    .bind(&origin.user_agent)
    .bind(&at)
    .fetch_one(&mut **tx)
    .await?;
    let payload = serde_json::json!({
        "recipient": recipient,
        "type": channel.iys_type(),
        "source": "HS_WEB",
        "status": if granted { "ONAY" } else { "RET" },
        "consentDate": iys_date(now),
        "recipientType": "BIREYSEL",
    });
    sqlx::query("INSERT INTO iys_queue (consent_id, payload, created_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(payload.to_string())
        .bind(&at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// İYS dates are Turkey's local time, `YYYY-MM-DD HH:MM:SS` (UTC+3 all year).
fn iys_date(seconds: i64) -> String {
    let local = time::iso_utc(seconds + 3 * 60 * 60);
    // `2026-12-01T09:30:00Z` → `2026-12-01 09:30:00`
    local.trim_end_matches('Z').replacen('T', " ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_kept_only_as_their_hash() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn iys_dates_are_in_turkish_time() {
        // 2026-12-01T06:30:00Z
        assert_eq!(iys_date(1_796_106_600), "2026-12-01 09:30:00");
    }
}
