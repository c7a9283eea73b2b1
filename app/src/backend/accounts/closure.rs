//! Üyeliği sonlandır: a member ends their membership, confirmed by their password. In one
//! transaction the person is taken out of everything the shop keeps about them:
//!
//! - the customer row keeps only its id, language and dates: e-mail, name, phone, password and
//!   the IP it was created from are erased (so the address can register again);
//! - addresses, the saved cart, e-mailed link tokens, login records and contact-form messages
//!   (with staff's replies to them) are deleted;
//! - marketing consent given is withdrawn (ledger and İYS), and the ledger rows, which must stay
//!   as proof, lose the contact details, IP and browser in them; İYS notifications keep their
//!   recipient only until İYS has them (`iys::deliver`);
//! - KVKK applications stay as the record of how each right was answered, without their IP;
//!   cayma requests stay with their orders (m.20: three years), without their IP and browser;
//! - orders (and through them invoices and the accepted documents) are kept as the law requires
//!   (VUK, TTK: ten years) but detached from the account;
//! - account e-mails waiting are dropped; the closure notice is the last, and its address is
//!   blanked once it is delivered (`mail::record_attempt`);
//! - every session ends: the account can no longer be loaded by any.
//!
//! Saved cards live at the payment provider; the caller deletes them there afterwards
//! (`cards::delete` with the source `uyelik-sonu`).

use super::super::{time, Db, RequestOrigin, WriteTx};
use super::{enqueue_mail, recipient_of, record_consent, verify_password, Channel};
use crate::model::account::AccountMail;
use crate::pages::order_mail::Composed;

/// How a request to end the membership went.
#[derive(Debug, PartialEq, Eq)]
pub enum Closure {
    Closed,
    WrongPassword,
}

pub async fn close(
    db: &Db,
    customer: i64,
    password: &str,
    origin: &RequestOrigin,
    notice: &Composed,
) -> Result<Closure, sqlx::Error> {
    let stored: Option<Option<String>> = sqlx::query_scalar(
        "SELECT password_hash FROM customers WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(customer)
    .fetch_optional(db.pool())
    .await?;
    let Some(stored) = stored else {
        return Ok(Closure::WrongPassword);
    };
    if !verify_password(password.to_string(), stored).await {
        return Ok(Closure::WrongPassword);
    }
    let mut tx = db.begin_write().await?;
    let row: Option<(String, Option<String>, String, i64, i64)> = sqlx::query_as(
        "SELECT email, phone, locale, marketing_email, marketing_sms FROM customers \
         WHERE id = $1 AND closed_at IS NULL AND email IS NOT NULL",
    )
    .bind(customer)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((email, phone, locale, marketing_email, marketing_sms)) = row else {
        return Ok(Closure::WrongPassword);
    };
    for (channel, given) in [
        (Channel::Email, marketing_email),
        (Channel::Sms, marketing_sms),
    ] {
        if given == 1 {
            let recipient = recipient_of(channel, &email, phone.as_deref());
            record_consent(
                &mut tx, customer, channel, false, recipient, "hesabim", origin,
            )
            .await?;
        }
    }
    erase(&mut tx, customer, &email).await?;
    super::iys::forget_closed_recipients(&mut tx).await?;
    enqueue_mail(
        &mut tx,
        customer,
        AccountMail::Closed,
        &email,
        &locale,
        notice,
    )
    .await?;
    tx.commit().await?;
    Ok(Closure::Closed)
}

/// Takes the person out of every row that names them (see the module's list).
async fn erase(tx: &mut WriteTx, customer: i64, email: &str) -> Result<(), sqlx::Error> {
    let now = time::iso_utc(time::now_seconds());
    let by_customer = [
        "DELETE FROM customer_addresses WHERE customer_id = $1",
        "DELETE FROM customer_carts WHERE customer_id = $1",
        "DELETE FROM account_tokens WHERE customer_id = $1",
        "DELETE FROM login_events WHERE customer_id = $1",
        "DELETE FROM outbox_emails WHERE customer_id = $1 AND order_id IS NULL AND status = 'pending'",
        "UPDATE outbox_emails SET recipient = '', body_text = '', body_html = '' \
         WHERE customer_id = $1 AND order_id IS NULL",
        "UPDATE marketing_consents SET recipient = NULL, ip = NULL, user_agent = NULL \
         WHERE customer_id = $1",
        // Cayma records stay with their orders for the law's three years (m.20), with the
        // account the refund went to, but not where they were sent from.
        "UPDATE cayma_requests SET ip = NULL, user_agent = NULL \
         WHERE order_id IN (SELECT id FROM orders WHERE customer_id = $1)",
        "UPDATE orders SET customer_id = NULL WHERE customer_id = $1",
        // Applications stay as the record of how a right was answered (KVKK m.13), without
        // where they were sent from.
        "UPDATE kvkk_applications SET ip = NULL, user_agent = NULL WHERE customer_id = $1",
        "UPDATE card_consents SET ip = NULL WHERE customer_id = $1",
    ];
    for sql in by_customer {
        sqlx::query(sql).bind(customer).execute(&mut **tx).await?;
    }
    sqlx::query(
        "DELETE FROM contact_replies WHERE message_id IN \
         (SELECT id FROM contact_messages WHERE email = $1)",
    )
    .bind(email)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM contact_messages WHERE email = $1")
        .bind(email)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE customers SET email = NULL, name = NULL, phone = NULL, password_hash = NULL, \
         created_ip = NULL, marketing_email = 0, marketing_sms = 0, closed_at = $1 WHERE id = $2",
    )
    .bind(&now)
    .bind(customer)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
