//! Discount codes in the database: reading a code's rule, checking it against a cart and a
//! shopper, and using it up when an order is placed, in that order's transaction.
//!
//! How often a code may be used holds under orders placed at the same moment: the use is taken
//! with a conditional update of the code's row (`used_count < usage_limit`, rows affected
//! checked, and a CHECK constraint behind it), and that row stays locked until the placing
//! transaction ends, so the per-shopper count read after it sees every use committed before.
//! A cancelled order gives its use back.

use super::catalogue::Snapshot;
use super::{time, Db, WriteTx};
use crate::model::cart::PricedLine;
use crate::model::catalogue::within;
use crate::model::coupon::{CouponRefusal, CouponRule, Discount, DiscountKind, DiscountableLine};
use crate::model::Money;

/// How many codes one IP address (IPv6: one /64) may try in ten minutes: a shopper correcting
/// a typo stays far below it; guessing codes does not get far.
pub const TRY_LIMIT: super::rate_limit::Limit = super::rate_limit::Limit {
    name: "coupon-ip",
    max_hits: 20,
    window_seconds: 10 * 60,
};

/// id, code, description, kind, amount, min_basket_kurus, starts_at, ends_at, usage_limit,
/// per_customer_limit, used_count, active.
type RuleRow = (
    i64,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
);

const RULE_COLUMNS: &str = "id, code, description, kind, amount, min_basket_kurus, starts_at, \
     ends_at, usage_limit, per_customer_limit, used_count, active";

fn rule_of(row: RuleRow, category_ids: Vec<i64>) -> CouponRule {
    let (
        id,
        code,
        description,
        kind,
        amount,
        min_basket,
        starts_at,
        ends_at,
        usage_limit,
        per_customer_limit,
        used_count,
        active,
    ) = row;
    CouponRule {
        id,
        code,
        description,
        kind: DiscountKind::from_code(&kind).unwrap_or(DiscountKind::Amount),
        amount,
        min_basket: Money(min_basket),
        starts_at,
        ends_at,
        usage_limit,
        per_customer_limit,
        used_count,
        active: active == 1,
        category_ids,
    }
}

/// The rule of `code` (as normalised), with the categories it names (not yet their children).
pub async fn find(db: &Db, code: &str) -> Result<Option<CouponRule>, sqlx::Error> {
    let row: Option<RuleRow> = sqlx::query_as(&format!(
        "SELECT {RULE_COLUMNS} FROM coupons WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let categories = categories_of(db, row.0).await?;
    Ok(Some(rule_of(row, categories)))
}

async fn categories_of(db: &Db, coupon_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT category_id FROM coupon_categories WHERE coupon_id = $1 ORDER BY category_id",
    )
    .bind(coupon_id)
    .fetch_all(db.pool())
    .await
}

/// Every code, newest first, for the back office.
pub async fn all(db: &Db) -> Result<Vec<CouponRule>, sqlx::Error> {
    let rows: Vec<RuleRow> = sqlx::query_as(&format!(
        "SELECT {RULE_COLUMNS} FROM coupons ORDER BY id DESC"
    ))
    .fetch_all(db.pool())
    .await?;
    let links: Vec<(i64, i64)> =
        sqlx::query_as("SELECT coupon_id, category_id FROM coupon_categories ORDER BY category_id")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let categories = links
                .iter()
                .filter(|(coupon, _)| *coupon == row.0)
                .map(|(_, category)| *category)
                .collect();
            rule_of(row, categories)
        })
        .collect())
}

/// Whether the product of each line is in one of `rule`'s categories (or below one of them).
pub fn discountable(
    snapshot: &Snapshot,
    rule: &CouponRule,
    lines: &[PricedLine],
) -> Vec<DiscountableLine> {
    lines
        .iter()
        .map(|line| DiscountableLine {
            total: line.total(),
            eligible: rule.category_ids.is_empty()
                || snapshot
                    .variant(line.variant_id)
                    .is_some_and(|(product, _)| {
                        within(product.category_id, &rule.category_ids, |id| {
                            snapshot.category_by_id(id).and_then(|c| c.parent_id)
                        })
                    }),
        })
        .collect()
}

/// Who is using a code: the order's e-mail, and the member's account when logged in.
#[derive(Clone, Copy, Debug)]
pub struct Shopper<'a> {
    pub email: &'a str,
    pub customer_id: Option<i64>,
}

/// What a code entered for a checkout comes to now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CouponOutcome {
    /// No code was entered.
    None,
    Applied(Discount),
    /// The code as entered, and why it does not apply (the page says so beside it).
    Refused(String, CouponRefusal),
}

impl CouponOutcome {
    pub fn discount(&self) -> Option<&Discount> {
        match self {
            Self::Applied(discount) => Some(discount),
            _ => None,
        }
    }
}

/// `code` against `lines` as of now, and against the shopper's own uses once they are known
/// (the checkout's first step gives the e-mail).
pub async fn check(
    db: &Db,
    snapshot: &Snapshot,
    code: Option<&str>,
    lines: &[PricedLine],
    shopper: Option<Shopper<'_>>,
) -> Result<CouponOutcome, sqlx::Error> {
    let Some(code) = code else {
        return Ok(CouponOutcome::None);
    };
    let refused = |why| Ok(CouponOutcome::Refused(code.to_string(), why));
    let Some(rule) = find(db, code).await? else {
        return refused(CouponRefusal::Unknown);
    };
    let discount = match rule.apply(&discountable(snapshot, &rule, lines), time::now_seconds()) {
        Ok(discount) => discount,
        Err(why) => return refused(why),
    };
    if let (Some(limit), Some(shopper)) = (rule.per_customer_limit, shopper) {
        let used: i64 = sqlx::query_scalar(USES_BY_SHOPPER)
            .bind(rule.id)
            .bind(shopper.email)
            .bind(shopper.customer_id.unwrap_or(-1))
            .fetch_one(db.pool())
            .await?;
        if used >= limit {
            return refused(CouponRefusal::UsedByShopper);
        }
    }
    Ok(CouponOutcome::Applied(discount))
}

/// The uses of a code ($1) not given back, by orders of the e-mail ($2) or the account ($3).
/// Both e-mails go through the database's own `lower`, so they compare the same way whatever
/// letters they hold.
const USES_BY_SHOPPER: &str = "SELECT COUNT(*) FROM coupon_redemptions r \
     JOIN orders o ON o.id = r.order_id WHERE r.coupon_id = $1 AND r.released_at IS NULL \
     AND (lower(o.email) = lower($2) OR o.customer_id = $3)";

/// Uses `discount`'s code for order `order_id` (placed by `shopper`, in `tx`), or says why it
/// may not be used any more: the last use was taken by another order meanwhile, or the shopper
/// reached their own limit. Nothing is written when it is refused.
pub async fn redeem(
    tx: &mut WriteTx,
    order_id: i64,
    discount: &Discount,
    shopper: Shopper<'_>,
) -> Result<Result<(), CouponRefusal>, sqlx::Error> {
    let now = time::now_seconds();
    let taken: Option<(i64, Option<i64>)> = sqlx::query_as(
        "UPDATE coupons SET used_count = used_count + 1, updated_at = $2 WHERE code = $1 \
         AND active = 1 AND (usage_limit IS NULL OR used_count < usage_limit) \
         AND (starts_at IS NULL OR starts_at <= $3) AND (ends_at IS NULL OR ends_at > $3) \
         RETURNING id, per_customer_limit",
    )
    .bind(&discount.code)
    .bind(time::iso_utc(now))
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((coupon_id, per_customer_limit)) = taken else {
        return Ok(Err(CouponRefusal::UsedUp));
    };
    if let Some(limit) = per_customer_limit {
        let used: i64 = sqlx::query_scalar(USES_BY_SHOPPER)
            .bind(coupon_id)
            .bind(shopper.email)
            .bind(shopper.customer_id.unwrap_or(-1))
            .fetch_one(&mut **tx)
            .await?;
        if used >= limit {
            return Ok(Err(CouponRefusal::UsedByShopper));
        }
    }
    sqlx::query(
        "INSERT INTO coupon_redemptions (coupon_id, order_id, discount_kurus, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(coupon_id)
    .bind(order_id)
    .bind(discount.total.0)
    .bind(time::iso_utc(now))
    .execute(&mut **tx)
    .await?;
    Ok(Ok(()))
}

/// Takes back the use a cancelled order `order_id` gave back, when it is paid after all (a late
/// card payment revives it): `false` when the code may not be used that often any more (the
/// payment is then given back). Nothing to take: `true`.
pub async fn retake(tx: &mut WriteTx, order_id: i64) -> Result<bool, sqlx::Error> {
    let released: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT r.coupon_id, o.email, o.customer_id FROM coupon_redemptions r \
         JOIN orders o ON o.id = r.order_id WHERE r.order_id = $1 AND r.released_at IS NOT NULL",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((coupon_id, email, customer_id)) = released else {
        return Ok(true);
    };
    // What the shopper agreed to was the code's use at confirmation: its days and switch are
    // not asked again, only whether another order took the last use meanwhile.
    let taken: Option<Option<i64>> = sqlx::query_scalar(
        "UPDATE coupons SET used_count = used_count + 1, updated_at = $2 WHERE id = $1 \
         AND (usage_limit IS NULL OR used_count < usage_limit) RETURNING per_customer_limit",
    )
    .bind(coupon_id)
    .bind(time::iso_utc(time::now_seconds()))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(per_customer_limit) = taken else {
        return Ok(false);
    };
    if let Some(limit) = per_customer_limit {
        let used: i64 = sqlx::query_scalar(USES_BY_SHOPPER)
            .bind(coupon_id)
            .bind(&email)
            .bind(customer_id.unwrap_or(-1))
            .fetch_one(&mut **tx)
            .await?;
        if used >= limit {
            return Ok(false);
        }
    }
    sqlx::query("UPDATE coupon_redemptions SET released_at = NULL WHERE order_id = $1")
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Gives back the use of a code by order `order_id`, cancelled in `tx` (nothing when it used
/// none, or gave it back already).
pub async fn release(tx: &mut WriteTx, order_id: i64) -> Result<(), sqlx::Error> {
    let released: Option<i64> = sqlx::query_scalar(
        "UPDATE coupon_redemptions SET released_at = $2 WHERE order_id = $1 \
         AND released_at IS NULL RETURNING coupon_id",
    )
    .bind(order_id)
    .bind(time::iso_utc(time::now_seconds()))
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(coupon_id) = released {
        sqlx::query("UPDATE coupons SET used_count = used_count - 1 WHERE id = $1")
            .bind(coupon_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
