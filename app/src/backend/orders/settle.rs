//! The one state transition of a card payment. The browser's return and the provider's webhook
//! both call [`settle_card_payment`] with a verified retrieve; it is safe to run twice, or at
//! the same time: the payment's token is recorded with its outcome once (a second call finds it
//! decided and changes nothing), and the order's row is locked (PostgreSQL `FOR UPDATE`; on
//! SQLite writers take turns) while it is read and changed.

use super::{give_back, lines_of, record_event, take_stock};
use crate::backend::invoices::InvoiceProvider;
use crate::backend::payment::{FraudStatus, PaymentOutcome, PaymentProvider, PaymentResult};
use crate::backend::{time, Db, Dialect};
use crate::model::checkout::{HoldReason, OrderStatus, PaymentStatus};
use crate::model::Money;

/// What a settlement left the order as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settled {
    /// Paid: confirmed, or on hold with its reason.
    Paid {
        number: String,
        hold: Option<HoldReason>,
    },
    /// Declined: the order still waits for a payment while its reservation lasts.
    Declined { number: String, message: String },
    /// The provider has no outcome yet.
    Pending { number: String },
    /// Money was taken that the order cannot keep (paid twice, paid after its goods were
    /// released and sold, or for another amount): it was cancelled at the provider.
    GivenBack {
        number: String,
        reason: &'static str,
    },
    /// No order has this token.
    Unknown,
}

/// What must happen at the provider once the transaction committed.
enum Compensation {
    None,
    Cancel(String),
}

pub async fn settle_card_payment(
    db: &Db,
    provider: &dyn PaymentProvider,
    invoices: &dyn InvoiceProvider,
    result: &PaymentResult,
) -> Result<Settled, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let order_id: Option<i64> =
        sqlx::query_scalar("SELECT order_id FROM payment_attempts WHERE token = $1")
            .bind(&result.token)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(order_id) = order_id else {
        tx.rollback().await?;
        return Ok(Settled::Unknown);
    };
    let lock = match db.dialect() {
        Dialect::Postgres => " FOR UPDATE",
        Dialect::Sqlite => "",
    };
    #[allow(clippy::type_complexity)]
    let (number, status, payment_status, total, email, phone, hold, payment_error, locale): (
        String,
        String,
        String,
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
    ) = sqlx::query_as(&format!(
        "SELECT number, status, payment_status, total_kurus, email, phone, hold_reason, \
         payment_error, locale FROM orders WHERE id = $1{lock}"
    ))
    .bind(order_id)
    .fetch_one(&mut *tx)
    .await?;
    // Read only now, holding the order's lock: every settlement of this order waits for the lock
    // first, so a second one sees what the first decided (PostgreSQL reads what was committed
    // before each statement) instead of deciding again.
    let decided: Option<String> =
        sqlx::query_scalar("SELECT outcome FROM payment_attempts WHERE token = $1")
            .bind(&result.token)
            .fetch_one(&mut *tx)
            .await?;
    if decided.is_some() {
        // Settled before (the return and the webhook, or a reload): report, change nothing.
        tx.rollback().await?;
        return Ok(current(
            number,
            &status,
            &payment_status,
            hold,
            payment_error,
        ));
    }
    let now = time::iso_utc(time::now_seconds());
    let mut compensation = Compensation::None;
    let settled = match result.outcome {
        PaymentOutcome::Pending => {
            tx.rollback().await?;
            return Ok(Settled::Pending { number });
        }
        PaymentOutcome::Failure => {
            let message = result
                .decline
                .as_ref()
                .map(|decline| format!("{} ({})", decline.message, decline.code))
                .unwrap_or_default();
            if payment_status != PaymentStatus::Paid.code() {
                sqlx::query(
                    "UPDATE orders SET payment_status = 'failed', payment_error = $1, updated_at = $2 \
                     WHERE id = $3",
                )
                .bind(&message)
                .bind(&now)
                .bind(order_id)
                .execute(&mut *tx)
                .await?;
                let status =
                    OrderStatus::from_code(&status).unwrap_or(OrderStatus::AwaitingPayment);
                record_event(
                    &mut tx,
                    order_id,
                    status,
                    PaymentStatus::Failed,
                    &format!("declined: {message}"),
                )
                .await?;
            }
            mark_attempt(&mut tx, &result.token, "failure").await?;
            Settled::Declined {
                number: number.clone(),
                message,
            }
        }
        PaymentOutcome::Success => {
            let payment_id = result.payment_id.clone().unwrap_or_default();
            let give_back = if result.price != Money(total) || result.paid_price < result.price {
                Some("amount differs from the order")
            } else if result.fraud == FraudStatus::Rejected {
                Some("rejected by the provider's fraud check")
            } else if payment_status == PaymentStatus::Paid.code() {
                Some("the order was already paid")
            } else if status == OrderStatus::Cancelled.code() {
                revive(&mut tx, order_id).await?
            } else {
                None
            };
            match give_back {
                Some(reason) => {
                    compensation = Compensation::Cancel(payment_id);
                    mark_attempt(&mut tx, &result.token, "given_back").await?;
                    let status = OrderStatus::from_code(&status).unwrap_or(OrderStatus::Cancelled);
                    let payment_status =
                        PaymentStatus::from_code(&payment_status).unwrap_or(PaymentStatus::Failed);
                    record_event(
                        &mut tx,
                        order_id,
                        status,
                        payment_status,
                        &format!("payment given back: {reason}"),
                    )
                    .await?;
                    Settled::GivenBack {
                        number: number.clone(),
                        reason,
                    }
                }
                None => {
                    let hold = if result.fraud == FraudStatus::Review {
                        Some(HoldReason::FraudReview)
                    } else if is_first_order(&mut tx, order_id, &email, &phone).await? {
                        Some(HoldReason::FirstOrder)
                    } else {
                        None
                    };
                    let new_status = if hold.is_some() {
                        OrderStatus::OnHold
                    } else {
                        OrderStatus::Confirmed
                    };
                    sqlx::query(
                        "UPDATE orders SET status = $1, payment_status = 'paid', hold_reason = $2, \
                         paid_kurus = $3, installments = $4, provider_payment_id = $5, \
                         card_family = $6, card_last4 = $7, payment_error = NULL, stock_held = 1, \
                         reserved_until = NULL, cancel_reason = NULL, updated_at = $8 WHERE id = $9",
                    )
                    .bind(new_status.code())
                    .bind(hold.map(HoldReason::code))
                    .bind(result.paid_price.0)
                    .bind(i64::from(result.installment))
                    .bind(&payment_id)
                    .bind(&result.card_family)
                    .bind(&result.card_last4)
                    .bind(&now)
                    .bind(order_id)
                    .execute(&mut *tx)
                    .await?;
                    mark_attempt(&mut tx, &result.token, "success").await?;
                    // The member ticked "Kartımı kaydet": a consent, ledgered with the payment.
                    if result.saved_card_token.is_some() {
                        crate::backend::accounts::cards::record_kept(
                            &mut tx,
                            order_id,
                            result.card_family.as_deref(),
                            result.card_last4.as_deref(),
                        )
                        .await?;
                    }
                    record_event(
                        &mut tx,
                        order_id,
                        new_status,
                        PaymentStatus::Paid,
                        "paid by card",
                    )
                    .await?;
                    crate::backend::mail::enqueue_order_confirmation(
                        &mut tx, order_id, &email, &locale,
                    )
                    .await?;
                    if new_status == OrderStatus::Confirmed {
                        invoices.issue(&mut tx, order_id).await?;
                    }
                    Settled::Paid {
                        number: number.clone(),
                        hold,
                    }
                }
            }
        }
    };
    tx.commit().await?;
    if let Compensation::Cancel(payment_id) = compensation {
        if let Err(error) = provider.cancel(&payment_id).await {
            // Staff see the event above; the provider's panel shows the payment to refund.
            tracing::error!(%error, order = %number, "a payment to give back could not be cancelled");
        }
    }
    Ok(settled)
}

async fn mark_attempt(
    tx: &mut crate::backend::WriteTx,
    token: &str,
    outcome: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payment_attempts SET outcome = $1 WHERE token = $2")
        .bind(outcome)
        .bind(token)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A cancelled order paid late takes its goods again if they are all still there; if one line
/// is short, the lines already taken are given back (nothing is held for an order that is not).
/// A cancelled order paid after all takes its goods and its discount code's use again (in
/// that order, as placing does); otherwise why the payment is given back.
async fn revive(
    tx: &mut crate::backend::WriteTx,
    order_id: i64,
) -> Result<Option<&'static str>, sqlx::Error> {
    if !retake_stock(tx, order_id).await? {
        return Ok(Some(
            "paid after the reservation ended, and the goods were sold",
        ));
    }
    if !crate::backend::coupons::retake(tx, order_id).await? {
        super::give_back_stock(tx, order_id).await?;
        return Ok(Some(
            "paid after the reservation ended, and the discount code was used up",
        ));
    }
    Ok(None)
}

async fn retake_stock(
    tx: &mut crate::backend::WriteTx,
    order_id: i64,
) -> Result<bool, sqlx::Error> {
    let lines = lines_of(tx, order_id).await?;
    for (taken, &(variant_id, quantity)) in lines.iter().enumerate() {
        if !take_stock(tx, variant_id, quantity).await? {
            for &(variant_id, quantity) in &lines[..taken] {
                give_back(tx, variant_id, quantity).await?;
            }
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether no earlier order of this e-mail or phone was ever released by staff (confirmed):
/// the notice's "first order of a new customer".
async fn is_first_order(
    tx: &mut crate::backend::WriteTx,
    order_id: i64,
    email: &str,
    phone: &str,
) -> Result<bool, sqlx::Error> {
    let known: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM orders WHERE id <> $1 AND status = 'confirmed' AND (email = $2 OR phone = $3) LIMIT 1",
    )
    .bind(order_id)
    .bind(email)
    .bind(phone)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(known.is_none())
}

fn current(
    number: String,
    status: &str,
    payment_status: &str,
    hold: Option<String>,
    payment_error: Option<String>,
) -> Settled {
    if payment_status == PaymentStatus::Paid.code() && status != OrderStatus::Cancelled.code() {
        Settled::Paid {
            number,
            hold: hold.as_deref().and_then(HoldReason::from_code),
        }
    } else if payment_status == PaymentStatus::Failed.code() {
        Settled::Declined {
            number,
            message: payment_error.unwrap_or_default(),
        }
    } else {
        Settled::Pending { number }
    }
}
