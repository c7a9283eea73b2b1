//! Placing an order from a review, and starting (or restarting) its card payment.

use super::{record_event, take_stock, RESERVATION_MARGIN_SECONDS};
use crate::backend::catalogue::Snapshot;
use crate::backend::checkout::{documents, Checkout, Review};
use crate::backend::payment::{PaymentProvider, ProviderError, StartPayment, StartedPayment};
use crate::backend::{time, Db, RequestOrigin, WriteTx};
use crate::model::checkout::methods::CheckoutPolicy;
use crate::model::checkout::{HoldReason, OrderStatus, PaymentMethod, PaymentStatus};
use crate::model::{order_number, Money};

/// What placing gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placed {
    /// A new order with this number.
    New { id: i64, number: String },
    /// This attempt already has its order (a double click, a reload, a retry).
    Existing { id: i64, number: String },
    /// These lines are no longer in stock in the quantity asked: nothing was placed.
    SoldOut(Vec<String>),
    /// The cart is empty (everything in it sold out or left the catalogue).
    Empty,
    /// The discount code may no longer be used (its last use went to another order, or the
    /// shopper reached their own limit): nothing was placed.
    CouponRefused(crate::model::coupon::CouponRefusal),
}

/// Places the order the shopper confirmed in `review` in `tx` (begun by the caller, who counted
/// the shopper's placements in it), or finds the one this attempt already placed. The stock,
/// the order, its lines and the documents accepted are one transaction; `tx` is committed or
/// rolled back here.
#[allow(clippy::too_many_arguments)]
/// number, status, payment_status, total_kurus, email, stock_held, locale, customer_id.
type PaymentStartRow = (
    String,
    String,
    String,
    i64,
    String,
    i64,
    String,
    Option<i64>,
);

pub async fn place(
    db: &Db,
    mut tx: WriteTx,
    snapshot: &Snapshot,
    checkout: &Checkout,
    review: &Review,
    policy: &CheckoutPolicy,
    origin: &RequestOrigin,
) -> Result<Placed, sqlx::Error> {
    if review.cart.lines.is_empty() {
        tx.rollback().await?;
        return Ok(Placed::Empty);
    }
    let base_key = format!("{}:{}", checkout.id, review.documents_sha256);
    // The number first: on PostgreSQL the counter's row is the placements' queue, so the orders
    // read below include every one committed before ours (two confirmations of one checkout at
    // once see each other). A transaction that ends up placing nothing gives its number back.
    let now = time::now_seconds();
    let year: i64 = time::iso_utc(now)[..4].parse().unwrap_or(2026);
    let sequence: i64 = sqlx::query_scalar(
        "INSERT INTO order_number_counters (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = order_number_counters.last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *tx)
    .await?;
    let number = order_number::format(year as i32, sequence);
    let earlier: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, number, attempt_key, status FROM orders WHERE checkout_id = $1 ORDER BY id DESC",
    )
    .bind(&checkout.id)
    .fetch_all(&mut *tx)
    .await?;
    let same_attempt: Vec<_> = earlier
        .iter()
        .filter(|(_, _, key, _)| key == &base_key || key.starts_with(&format!("{base_key}#")))
        .collect();
    if let Some((id, number, _, status)) = same_attempt.first() {
        if status != OrderStatus::Cancelled.code() {
            tx.rollback().await?;
            return Ok(Placed::Existing {
                id: *id,
                number: number.clone(),
            });
        }
    }
    // The same review again after its order expired: a new order, under the next key.
    let attempt_key = match same_attempt.len() {
        0 => base_key,
        n => format!("{base_key}#{}", n + 1),
    };

    let method = review.methods.payment;
    let (status, payment_status, hold, reserved_until) = match method {
        PaymentMethod::Card => (
            OrderStatus::AwaitingPayment,
            PaymentStatus::Pending,
            None,
            Some(
                now + crate::backend::payment::sandbox::TOKEN_LIFETIME_SECONDS
                    + RESERVATION_MARGIN_SECONDS,
            ),
        ),
        PaymentMethod::BankTransfer => (
            OrderStatus::OnHold,
            PaymentStatus::Pending,
            Some(HoldReason::BankTransfer),
            Some(now + policy.transfer_deadline_hours * 3600),
        ),
        PaymentMethod::CashOnDelivery => (
            OrderStatus::OnHold,
            PaymentStatus::DueOnDelivery,
            Some(HoldReason::CashOnDelivery),
            None,
        ),
    };
    let totals = &review.totals;
    let stamp = time::iso_utc(now);
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO orders (number, checkout_id, attempt_key, status, payment_method, \
         payment_status, hold_reason, shipping_method, locale, email, phone, details, \
         subtotal_kurus, shipping_kurus, payment_fee_kurus, kdv_kurus, total_kurus, \
         stock_held, reserved_until, ip, user_agent, created_at, updated_at, customer_id, \
         coupon_code, discount_kurus) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         1, $18, $19, $20, $21, $21, $22, $23, $24) ON CONFLICT (attempt_key) DO NOTHING RETURNING id",
    )
    .bind(&number)
    .bind(&checkout.id)
    .bind(&attempt_key)
    .bind(status.code())
    .bind(method.code())
    .bind(payment_status.code())
    .bind(hold.map(HoldReason::code))
    .bind(review.methods.shipping.code())
    .bind(checkout.locale.code())
    .bind(&review.details.email)
    .bind(&review.details.phone)
    .bind(serde_json::to_string(&review.details).expect("details serialise"))
    .bind(totals.subtotal.0)
    .bind(totals.shipping.0)
    .bind(totals.payment_fee.0)
    .bind(totals.kdv.0)
    .bind(totals.total.0)
    .bind(reserved_until)
    .bind(&origin.ip)
    .bind(&origin.user_agent)
    .bind(&stamp)
    .bind(checkout.customer_id)
    .bind(&totals.coupon_code)
    .bind(totals.discount.0)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order_id) = inserted else {
        // Another request placed this attempt's order between our look and our insert
        // (PostgreSQL; SQLite's writers take turns): that order is the one.
        tx.rollback().await?;
        let (id, number): (i64, String) =
            sqlx::query_as("SELECT id, number FROM orders WHERE attempt_key = $1")
                .bind(&attempt_key)
                .fetch_one(db.pool())
                .await?;
        return Ok(Placed::Existing { id, number });
    };

    // An earlier unpaid card order of this checkout (the shopper changed the cart, an address
    // or a method and confirmed again) gives its goods back now rather than at its expiry;
    // first, so that every transaction locks orders before variants.
    let mut superseded = Vec::new();
    // What each variant's stock moves by: the superseded orders' goods come back, this order's
    // go out, netted per variant and applied in one pass in variant id order, as every stock
    // move is (`lines_of`), so no two transactions lock variants in crossed orders.
    let mut moves: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    for (id, _, key, status) in &earlier {
        if key == &attempt_key || status != OrderStatus::AwaitingPayment.code() {
            continue;
        }
        if let Some(held) =
            super::release::cancel_unpaid(&mut tx, *id, "superseded by a later confirmation")
                .await?
        {
            for (variant_id, quantity) in held {
                *moves.entry(variant_id).or_default() -= quantity;
            }
            superseded.push(*id);
        }
    }
    for line in &review.cart.lines {
        *moves.entry(line.variant_id).or_default() += line.quantity;
    }
    let mut sold_out = Vec::new();
    for (variant_id, taken) in moves {
        if taken < 0 {
            super::give_back(&mut tx, variant_id, -taken).await?;
        } else if taken > 0 && !take_stock(&mut tx, variant_id, taken).await? {
            for line in review
                .cart
                .lines
                .iter()
                .filter(|line| line.variant_id == variant_id)
            {
                sold_out.push(format!("{} ({} / {})", line.name, line.colour, line.size));
            }
        }
    }
    if !sold_out.is_empty() {
        tx.rollback().await?;
        return Ok(Placed::SoldOut(sold_out));
    }
    // Codes' rows are locked after the variants' (every placement and cancellation does so):
    // the superseded orders' uses given back, then this order's taken.
    for id in superseded {
        crate::backend::coupons::release(&mut tx, id).await?;
    }
    if let Some(discount) = &review.discount {
        let shopper = crate::backend::coupons::Shopper {
            email: &review.details.email,
            customer_id: checkout.customer_id,
        };
        if let Err(refusal) =
            crate::backend::coupons::redeem(&mut tx, order_id, discount, shopper).await?
        {
            tx.rollback().await?;
            return Ok(Placed::CouponRefused(refusal));
        }
    }
    for (index, line) in review.cart.lines.iter().enumerate() {
        let sku = snapshot
            .variant(line.variant_id)
            .map(|(_, variant)| variant.sku.clone())
            .unwrap_or_default();
        sqlx::query(
            // The product's cayma exemption as it stands now is the one the order keeps.
            "INSERT INTO order_lines (order_id, variant_id, sku, product_name, colour, size, \
             unit_price_kurus, kdv_rate, quantity, discount_kurus, cayma_exempt) VALUES ($1, $2, \
             $3, $4, $5, $6, $7, $8, $9, $10, (SELECT p.cayma_exempt FROM variants v \
             JOIN products p ON p.id = v.product_id WHERE v.id = $2))",
        )
        .bind(order_id)
        .bind(line.variant_id)
        .bind(sku)
        .bind(&line.name)
        .bind(&line.colour)
        .bind(&line.size)
        .bind(line.unit_price.0)
        .bind(line.kdv_rate)
        .bind(line.quantity)
        .bind(
            review
                .discount
                .as_ref()
                .map_or(0, |discount| discount.line(index).0),
        )
        .execute(&mut *tx)
        .await?;
    }
    for (kind, html) in [
        ("on_bilgilendirme", &review.pre_information_html),
        ("mesafeli_satis", &review.contract_html),
    ] {
        sqlx::query(
            "INSERT INTO order_documents (order_id, kind, html, sha256, accepted_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(order_id)
        .bind(kind)
        .bind(html)
        .bind(documents::sha256(html))
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
    }
    record_event(&mut tx, order_id, status, payment_status, "placed").await?;
    // Havale/EFT and kapıda ödeme orders are placed now; a card order is confirmed by e-mail
    // once its payment is taken (`settle`).
    if method != PaymentMethod::Card {
        crate::backend::mail::enqueue_order_confirmation(
            &mut tx,
            order_id,
            &review.details.email,
            checkout.locale.code(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Placed::New {
        id: order_id,
        number,
    })
}

/// The most hosted payments one order may start: each extends its reservation, so without a cap
/// one unpaid order could hold its goods for as long as someone kept confirming again.
pub const MAX_PAYMENT_ATTEMPTS: i64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the order no longer waits for a card payment")]
    NotAwaitingPayment,
    #[error("the order started {MAX_PAYMENT_ATTEMPTS} payments already")]
    TooManyAttempts,
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Starts a hosted card payment for an order that waits for one, for the total stored with the
/// order, and records its token; the reservation is extended to outlive the token.
pub async fn start_payment(
    db: &Db,
    provider: &dyn PaymentProvider,
    order_id: i64,
    callback_url: String,
    max_installments: u32,
    origin: &RequestOrigin,
) -> Result<StartedPayment, StartError> {
    let row: Option<PaymentStartRow> = sqlx::query_as(
        "SELECT number, status, payment_status, total_kurus, email, stock_held, locale, \
         customer_id FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(db.pool())
    .await?;
    let Some((number, status, payment_status, total, email, stock_held, locale, customer)) = row
    else {
        return Err(StartError::NotAwaitingPayment);
    };
    if status != OrderStatus::AwaitingPayment.code()
        || payment_status == PaymentStatus::Paid.code()
        || stock_held != 1
    {
        return Err(StartError::NotAwaitingPayment);
    }
    let attempts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM payment_attempts WHERE order_id = $1")
            .bind(order_id)
            .fetch_one(db.pool())
            .await?;
    if attempts >= MAX_PAYMENT_ATTEMPTS {
        return Err(StartError::TooManyAttempts);
    }
    let started = provider
        .start(StartPayment {
            conversation_id: number,
            price: Money(total),
            callback_url,
            locale: crate::model::Locale::from_code(Some(&locale)),
            buyer_email: email,
            buyer_ip: origin.ip.clone(),
            max_installments,
            // Guests' cards are never kept; a member's may be, if they tick "Kartımı kaydet".
            card_user_key: customer.map(crate::backend::accounts::card_user_key),
        })
        .await?;
    let mut tx = db.begin_write().await?;
    let extended = sqlx::query(
        "UPDATE orders SET reserved_until = CASE WHEN reserved_until < $1 THEN $1 ELSE reserved_until END, \
         updated_at = $2 WHERE id = $3 AND stock_held = 1 AND status = 'awaiting_payment'",
    )
    .bind(started.expires_at + RESERVATION_MARGIN_SECONDS)
    .bind(time::iso_utc(time::now_seconds()))
    .bind(order_id)
    .execute(&mut *tx)
    .await?;
    if extended.rows_affected() != 1 {
        // Released between our read and now: the token is left to expire unused.
        tx.rollback().await?;
        return Err(StartError::NotAwaitingPayment);
    }
    sqlx::query(
        "INSERT INTO payment_attempts (token, order_id, provider, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&started.token)
    .bind(order_id)
    .bind(provider.name())
    .bind(started.expires_at)
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(started)
}
