//! What the back office reads about orders: the filtered list, one order with its trail, and
//! the first page's figures. Every filter is a bound parameter; an empty one matches all.

use super::super::{time, Db};
use crate::model::checkout::order::Fulfilment;
use crate::model::checkout::{OrderStatus, PaymentStatus};
use crate::model::staff::{
    StaffDashboard, StaffOrderDetail, StaffOrderFilter, StaffOrderList, StaffOrderRow,
    StaffRefundView, ORDERS_PER_PAGE,
};
use crate::model::Money;

/// The orders `filter` names, "Onay bekliyor" first, then newest first, one page of them.
pub async fn list(db: &Db, filter: &StaffOrderFilter) -> Result<StaffOrderList, sqlx::Error> {
    let search = format!("%{}%", filter.search.to_lowercase());
    let from = if filter.from.is_empty() {
        String::new()
    } else {
        format!("{}T00:00:00Z", filter.from)
    };
    const WHERE: &str = "WHERE ($1 = '' OR status = $1) AND ($2 = '' OR payment_method = $2) \
         AND ($3 = '%%' OR LOWER(number) LIKE $3 OR LOWER(email) LIKE $3) \
         AND ($4 = '' OR created_at >= $4)";
    let total_rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM orders {WHERE}"))
        .bind(&filter.status)
        .bind(&filter.payment)
        .bind(&search)
        .bind(&from)
        .fetch_one(db.pool())
        .await?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        i64,
    )> = sqlx::query_as(&format!(
        "SELECT number, created_at, status, fulfilment, payment_method, payment_status, \
             email, total_kurus FROM orders {WHERE} \
             ORDER BY CASE WHEN status = 'on_hold' THEN 0 ELSE 1 END, id DESC \
             LIMIT $5 OFFSET $6"
    ))
    .bind(&filter.status)
    .bind(&filter.payment)
    .bind(&search)
    .bind(&from)
    .bind(ORDERS_PER_PAGE)
    .bind((filter.page.max(1) - 1) * ORDERS_PER_PAGE)
    .fetch_all(db.pool())
    .await?;
    Ok(StaffOrderList {
        filter: filter.clone(),
        total_rows,
        rows: rows
            .into_iter()
            .filter_map(
                |(number, created_at, status, fulfilment, method, payment, email, total)| {
                    Some(StaffOrderRow {
                        number,
                        created_at,
                        status: OrderStatus::from_code(&status)?,
                        fulfilment: fulfilment.as_deref().and_then(Fulfilment::from_code),
                        payment_method: method,
                        payment_status: PaymentStatus::from_code(&payment)?,
                        email,
                        total: Money(total),
                    })
                },
            )
            .collect(),
    })
}

/// id, amount, method, started at, refunded at, error.
type RefundRow = (i64, i64, String, Option<i64>, Option<i64>, Option<String>);

/// Order `number` as staff see it.
pub async fn detail(db: &Db, number: &str) -> Result<Option<StaffOrderDetail>, sqlx::Error> {
    let Some(order) = crate::backend::orders::find_by_number(db, number).await? else {
        return Ok(None);
    };
    let (id, email, ip, user_agent): (i64, String, String, String) =
        sqlx::query_as("SELECT id, email, ip, user_agent FROM orders WHERE number = $1")
            .bind(number)
            .fetch_one(db.pool())
            .await?;
    let events: Vec<(String, String)> =
        sqlx::query_as("SELECT created_at, note FROM order_events WHERE order_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(db.pool())
            .await?;
    let audit = super::audit::recent(db, Some(&format!("order:{number}")), 50)
        .await?
        .into_iter()
        .map(|entry| {
            (
                entry.at,
                entry.staff.unwrap_or_else(|| entry.ip.clone()),
                entry.action,
                entry.details,
            )
        })
        .collect();
    let refunds: Vec<RefundRow> = sqlx::query_as(
        "SELECT id, amount_kurus, method, started_at, refunded_at, error FROM order_refunds \
             WHERE order_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(Some(StaffOrderDetail {
        order,
        email,
        ip,
        user_agent,
        events,
        audit,
        refunds: refunds
            .into_iter()
            .map(
                |(id, amount, method, started, refunded, error)| StaffRefundView {
                    id,
                    amount: Money(amount),
                    method,
                    refunded: refunded.is_some(),
                    unanswered: started.is_some() && refunded.is_none(),
                    error,
                },
            )
            .collect(),
    }))
}

/// The back office's first page.
pub async fn dashboard(db: &Db) -> Result<StaffDashboard, sqlx::Error> {
    let now = time::now_seconds();
    // "Today" and the chart's days are days in Türkiye.
    let today = crate::model::date::istanbul_day(now);
    let day_start = |day: i64| {
        time::iso_utc(
            day * crate::model::date::DAY_SECONDS - crate::model::date::ISTANBUL_OFFSET_SECONDS,
        )
    };
    let (orders_today, revenue_today): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(total_kurus), 0) AS BIGINT) FROM orders \
         WHERE created_at >= $1 AND status <> 'cancelled'",
    )
    .bind(day_start(today))
    .fetch_one(db.pool())
    .await?;
    // Each figure is one COUNT; `at` is bound where the query compares with it.
    let count = |sql: &'static str, at: Option<String>| async move {
        let query = sqlx::query_scalar::<_, i64>(sql);
        match at {
            Some(at) => query.bind(at).fetch_one(db.pool()).await,
            None => query.fetch_one(db.pool()).await,
        }
    };
    let on_hold = count("SELECT COUNT(*) FROM orders WHERE status = 'on_hold'", None).await?;
    let awaiting_transfer = count(
        "SELECT COUNT(*) FROM orders WHERE payment_method = 'havale' \
         AND payment_status = 'pending' AND status = 'on_hold'",
        None,
    )
    .await?;
    let cayma_refunds_open = count(
        "SELECT COUNT(*) FROM cayma_requests WHERE refunded_at IS NULL AND refund_kurus > 0",
        None,
    )
    .await?;
    let cayma_refunds_overdue: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cayma_requests WHERE refunded_at IS NULL AND refund_kurus > 0 \
         AND refund_due_at < $1",
    )
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    let kvkk_open = count(
        "SELECT COUNT(*) FROM kvkk_applications WHERE status <> 'yanitlandi'",
        None,
    )
    .await?;
    let kvkk_overdue = count(
        "SELECT COUNT(*) FROM kvkk_applications WHERE status <> 'yanitlandi' AND due_at < $1",
        Some(time::iso_utc(now)),
    )
    .await?;
    // The last 14 days' orders in one read, counted per day in Türkiye (ISO text sorts as time).
    let placed: Vec<String> = sqlx::query_scalar(
        "SELECT created_at FROM orders WHERE created_at >= $1 AND created_at < $2 \
         AND status <> 'cancelled'",
    )
    .bind(day_start(today - 13))
    .bind(day_start(today + 1))
    .fetch_all(db.pool())
    .await?;
    let orders_per_day = (today - 13..=today)
        .map(|day| {
            let (from, to) = (day_start(day), day_start(day + 1));
            let orders = placed
                .iter()
                .filter(|at| at.as_str() >= from.as_str() && at.as_str() < to.as_str())
                .count() as i64;
            let (year, month, date) = crate::model::date::civil_from_days(day);
            (format!("{year:04}-{month:02}-{date:02}"), orders)
        })
        .collect();
    let low_stock = sqlx::query_as(
        "SELECT p.slug, p.name_tr, v.sku, v.stock FROM variants v \
         JOIN products p ON p.id = v.product_id WHERE p.published = 1 AND v.stock <= $1 \
         ORDER BY v.stock, p.name_tr LIMIT 20",
    )
    .bind(crate::model::staff::LOW_STOCK)
    .fetch_all(db.pool())
    .await?;
    // Card refunds claimed and not recorded (the answer was lost), or refused: nothing asks
    // the provider again by itself, so a person must look.
    let mut refunds_needing_staff: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT o.number, c.reference, COALESCE(c.refund_error, '') FROM cayma_requests c \
         JOIN orders o ON o.id = c.order_id WHERE c.refunded_at IS NULL AND c.refund_method = 'kart' \
         AND (c.refund_started_at IS NOT NULL OR c.refund_error IS NOT NULL) ORDER BY c.id LIMIT 50",
    )
    .fetch_all(db.pool())
    .await?;
    let order_refunds: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT o.number, 'iptal', COALESCE(r.error, '') FROM order_refunds r \
         JOIN orders o ON o.id = r.order_id WHERE r.refunded_at IS NULL AND r.method = 'kart' \
         AND (r.started_at IS NOT NULL OR r.error IS NOT NULL) ORDER BY r.id LIMIT 50",
    )
    .fetch_all(db.pool())
    .await?;
    refunds_needing_staff.extend(order_refunds);
    Ok(StaffDashboard {
        orders_today,
        revenue_today: Money(revenue_today),
        on_hold,
        awaiting_transfer,
        cayma_refunds_open,
        cayma_refunds_overdue,
        kvkk_open,
        kvkk_overdue,
        orders_per_day,
        low_stock,
        refunds_needing_staff,
    })
}
