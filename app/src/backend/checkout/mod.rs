//! A guest's checkout: the attempt row that carries the cart it started with and each step's
//! accepted answers (so a reload, going back or another tab keeps them), and the review built
//! from it against the catalogue as of now. Orders are placed from a review (`backend::orders`).

pub mod documents;

use serde::{de::DeserializeOwned, Serialize};

use super::{random_hex, time, Db, RequestOrigin, WriteTx};
use crate::backend::catalogue::Snapshot;
use crate::backend::coupons::{CouponOutcome, Shopper};
use crate::model::brand::SellerIdentity;
use crate::model::cart::{decode_items, encode_items, CartItem, PricedCart};
use crate::model::checkout::methods::CheckoutPolicy;
use crate::model::checkout::{CheckoutDetails, CheckoutMethods, OrderTotals};
use crate::model::coupon::Discount;
use crate::model::Locale;

/// The cookie that names the shopper's checkout (HttpOnly, SameSite=Lax; never read by script).
pub const COOKIE: &str = "lm_odeme";
/// A checkout is forgotten by the browser after a week without an order.
pub const COOKIE_MAX_AGE_SECONDS: i64 = 7 * 24 * 60 * 60;

/// A checkout attempt as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkout {
    pub id: String,
    pub locale: Locale,
    pub items: Vec<CartItem>,
    pub details: Option<CheckoutDetails>,
    pub methods: Option<CheckoutMethods>,
    /// The discount code entered (normalised; checked again wherever it is applied).
    pub coupon_code: Option<String>,
    /// The member confirming it, when logged in (from the session at confirmation, never
    /// stored on the checkout): the order becomes theirs.
    pub customer_id: Option<i64>,
}

/// Whether `text` has the shape of a checkout id (32 lower-case hex digits): anything else is
/// not looked up.
pub fn is_id(text: &str) -> bool {
    text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Starts a checkout for the cart `items` (with the discount code typed in the cart, if any);
/// its id (for the cookie).
pub async fn start(
    tx: &mut WriteTx,
    items: &[CartItem],
    coupon_code: Option<&str>,
    locale: Locale,
    origin: &RequestOrigin,
) -> Result<String, sqlx::Error> {
    let id = random_hex(16);
    let now = time::iso_utc(time::now_seconds());
    sqlx::query(
        "INSERT INTO checkouts (id, locale, items, coupon_code, ip, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(locale.code())
    .bind(encode_items(items))
    .bind(coupon_code)
    .bind(&origin.ip)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// locale, items, details, methods, coupon_code.
type CheckoutRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub async fn load(db: &Db, id: &str) -> Result<Option<Checkout>, sqlx::Error> {
    if !is_id(id) {
        return Ok(None);
    }
    let row: Option<CheckoutRow> = sqlx::query_as(
        "SELECT locale, items, details, methods, coupon_code FROM checkouts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(
        row.map(|(locale, items, details, methods, coupon_code)| Checkout {
            id: id.to_string(),
            locale: Locale::from_code(Some(&locale)),
            items: decode_items(&items).unwrap_or_default(),
            details: details.as_deref().and_then(from_json),
            methods: methods.as_deref().and_then(from_json),
            coupon_code,
            customer_id: None,
        }),
    )
}

/// Keeps the first step's answers. Saving them again after an order was placed and not paid
/// leaves that order to its reservation's end: the next review is a new attempt.
pub async fn save_details(
    tx: &mut WriteTx,
    id: &str,
    details: &CheckoutDetails,
) -> Result<bool, sqlx::Error> {
    save(tx, id, "details", details).await
}

/// Keeps the discount code entered (normalised), or forgets it (`None`).
pub async fn save_coupon(
    tx: &mut WriteTx,
    id: &str,
    code: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE checkouts SET coupon_code = $1, updated_at = $2 WHERE id = $3")
        .bind(code)
        .bind(time::iso_utc(time::now_seconds()))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn save_methods(
    tx: &mut WriteTx,
    id: &str,
    methods: &CheckoutMethods,
) -> Result<bool, sqlx::Error> {
    save(tx, id, "methods", methods).await
}

async fn save(
    tx: &mut WriteTx,
    id: &str,
    column: &'static str,
    value: &impl Serialize,
) -> Result<bool, sqlx::Error> {
    let json = serde_json::to_string(value).expect("checkout answers serialise");
    // `column` is one of two names above, never input.
    let done = sqlx::query(&format!(
        "UPDATE checkouts SET {column} = $1, updated_at = $2 WHERE id = $3"
    ))
    .bind(json)
    .bind(time::iso_utc(time::now_seconds()))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn from_json<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

/// Everything the review step shows and the order is placed from, computed from the database
/// as of now: the cart priced, the totals, and the two legal documents filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub cart: PricedCart,
    pub details: CheckoutDetails,
    pub methods: CheckoutMethods,
    pub totals: OrderTotals,
    /// The discount code applied, with each line's share (in the cart's line order).
    pub discount: Option<Discount>,
    pub pre_information_html: String,
    pub contract_html: String,
    /// SHA-256 over both documents: the review the shopper confirms names it, and an order is
    /// placed only when the documents computed at that moment have the same hash.
    pub documents_sha256: String,
}

/// The cart of `checkout` priced against `snapshot` as of now.
pub fn priced(snapshot: &Snapshot, checkout: &Checkout, policy: &CheckoutPolicy) -> PricedCart {
    super::cart::price(snapshot, &checkout.items, checkout.locale, policy.shipping)
}

/// The discount code of `checkout` against its cart as priced, and against the shopper's own
/// uses once the first step named them.
pub async fn coupon(
    db: &Db,
    snapshot: &Snapshot,
    checkout: &Checkout,
    cart: &PricedCart,
) -> Result<CouponOutcome, sqlx::Error> {
    let shopper = checkout.details.as_ref().map(|details| Shopper {
        email: &details.email,
        customer_id: checkout.customer_id,
    });
    super::coupons::check(
        db,
        snapshot,
        checkout.coupon_code.as_deref(),
        &cart.lines,
        shopper,
    )
    .await
}

/// The review of `checkout`'s `cart` (as `priced`, with `discount` as `coupon` found it), once
/// both steps are done; `None` before.
pub fn review(
    checkout: &Checkout,
    cart: PricedCart,
    discount: Option<&Discount>,
    policy: &CheckoutPolicy,
    seller: &SellerIdentity,
    today: &str,
) -> Option<Review> {
    let details = checkout.details.clone()?;
    let methods = checkout.methods?;
    let totals = OrderTotals::of(&cart.lines, discount, methods, policy);
    let order = documents::OrderFacts {
        locale: checkout.locale,
        cart: &cart,
        details: &details,
        methods,
        totals: &totals,
        date: today,
    };
    let pre_information_html = documents::pre_information(&order, seller);
    let contract_html = documents::contract(&order, seller);
    let documents_sha256 = documents::sha256_of(&pre_information_html, &contract_html);
    Some(Review {
        cart,
        details,
        methods,
        totals,
        discount: discount.cloned(),
        pre_information_html,
        contract_html,
        documents_sha256,
    })
}

/// How many checkouts one IP address (IPv6: one /64) may start in ten minutes: a shopper who
/// goes back to the cart many times stays far below it; a script filling the table does not.
pub const START_LIMIT: super::rate_limit::Limit = super::rate_limit::Limit {
    name: "checkout-ip",
    max_hits: 60,
    window_seconds: 10 * 60,
};

/// How many orders one IP address (IPv6: one /64) may place in an hour: a family ordering
/// from one home stays far below it; holding the shop's stock with made-up orders does not.
pub const PLACE_LIMIT: super::rate_limit::Limit = super::rate_limit::Limit {
    name: "order-ip",
    max_hits: 20,
    window_seconds: 60 * 60,
};

/// Why the last card payment of this checkout's unpaid order failed, if it did.
pub async fn last_payment_error(db: &Db, checkout_id: &str) -> Result<Option<String>, sqlx::Error> {
    let error: Option<Option<String>> = sqlx::query_scalar(
        "SELECT payment_error FROM orders WHERE checkout_id = $1 AND status = 'awaiting_payment' \
         AND payment_status = 'failed' ORDER BY id DESC LIMIT 1",
    )
    .bind(checkout_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(error.flatten())
}
