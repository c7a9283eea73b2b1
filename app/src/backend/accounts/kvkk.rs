//! KVKK m.11 from Hesabım: everything the shop holds about a member, as JSON ([`export`]), and
//! applications for the rights of the law, each with a reference and its 30-day due date.
//!
//! [`COVERAGE`] says, for every table of the schema, whether it holds personal data, which rows
//! are the member's and which columns the export gives (or withholds, and why). The export is
//! built from it, and a test compares it with the live schema of both databases: a column added
//! later without saying whether it is personal fails the build's tests, so the download never
//! silently misses something.

use serde_json::{Map, Value};

use super::super::{random_hex, time, Db, RequestOrigin};
use crate::model::kvkk::{Application, ApplicationView, KvkkRight, ANSWER_DAYS};

/// How one table relates to a member.
pub enum Holding {
    /// Rows about the member: those matching `owner` (`$1` is the member's id, `$2` the cookie
    /// choice's visitor id of the browser asking), with `exported` columns given and `withheld`
    /// ones kept back for the reason beside each.
    Personal {
        table: &'static str,
        owner: &'static str,
        exported: &'static [&'static str],
        withheld: &'static [(&'static str, &'static str)],
    },
    /// Holds nothing about a person, for this reason.
    NotPersonal {
        table: &'static str,
        why: &'static str,
    },
}

impl Holding {
    pub fn table(&self) -> &'static str {
        match self {
            Self::Personal { table, .. } | Self::NotPersonal { table, .. } => table,
        }
    }
}

const MEMBER_ORDERS: &str = "order_id IN (SELECT id FROM orders WHERE customer_id = $1)";
const CATALOGUE: &str = "the catalogue: products, prices and stock";
const COUNTER: &str = "a yearly counter of numbers";

/// Every table of the schema.
pub const COVERAGE: &[Holding] = &[
    Holding::Personal {
        table: "customers",
        owner: "id = $1",
        exported: &[
            "id", "email", "name", "phone", "locale", "email_verified_at", "marketing_email",
            "marketing_sms", "created_at", "created_ip", "password_changed_at", "closed_at",
        ],
        withheld: &[("password_hash", "a one-way hash of the password: it reveals nothing to its owner and helps only an attacker")],
    },
    Holding::Personal {
        table: "customer_addresses",
        owner: "customer_id = $1",
        exported: &[
            "id", "customer_id", "title", "first_name", "last_name", "province_code", "district",
            "line", "postcode", "is_default", "created_at",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "customer_carts",
        owner: "customer_id = $1",
        exported: &["customer_id", "items", "updated_at"],
        withheld: &[],
    },
    Holding::Personal {
        table: "account_tokens",
        owner: "customer_id = $1",
        exported: &["customer_id", "purpose", "new_email", "expires_at", "used_at", "created_at", "ip"],
        withheld: &[("token_sha256", "the hash of an e-mailed link's secret")],
    },
    Holding::Personal {
        table: "login_events",
        owner: "customer_id = $1",
        exported: &["id", "customer_id", "outcome", "ip", "user_agent", "created_at"],
        withheld: &[],
    },
    Holding::Personal {
        table: "marketing_consents",
        owner: "customer_id = $1",
        exported: &[
            "id", "customer_id", "channel", "granted", "recipient", "source", "ip", "user_agent",
            "created_at",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "card_consents",
        owner: "customer_id = $1",
        exported: &[
            "id", "customer_id", "action", "card_family", "last4", "source", "ip", "created_at",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "iys_queue",
        owner: "consent_id IN (SELECT id FROM marketing_consents WHERE customer_id = $1)",
        exported: &["id", "consent_id", "payload", "status", "created_at", "sent_at"],
        withheld: &[],
    },
    Holding::Personal {
        table: "kvkk_applications",
        owner: "customer_id = $1",
        exported: &[
            "id", "reference", "customer_id", "right_code", "details", "status", "due_at",
            "answer", "answered_at", "ip", "user_agent", "created_at",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "orders",
        owner: "customer_id = $1",
        exported: &[
            "id", "number", "status", "payment_method", "payment_status", "hold_reason",
            "cancel_reason", "shipping_method", "locale", "email", "phone", "details",
            "subtotal_kurus", "shipping_kurus", "payment_fee_kurus", "kdv_kurus", "total_kurus",
            "paid_kurus", "installments", "stock_held", "reserved_until", "provider_payment_id",
            "payment_error", "card_family", "card_last4", "ip", "user_agent", "created_at",
            "updated_at", "placed_shown_at", "customer_id", "delivered_at", "fulfilment", "carrier", "tracking_number",
            "coupon_code", "discount_kurus",
        ],
        withheld: &[
            ("checkout_id", "the checkout's random id, the secret of its cookie"),
            ("attempt_key", "an internal key that stops an order being placed twice"),
        ],
    },
    Holding::Personal {
        table: "order_lines",
        owner: MEMBER_ORDERS,
        exported: &[
            "id", "order_id", "variant_id", "sku", "product_name", "colour", "size",
            "unit_price_kurus", "kdv_rate", "quantity", "cayma_exempt", "discount_kurus",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "coupon_redemptions",
        owner: MEMBER_ORDERS,
        exported: &["id", "coupon_id", "order_id", "discount_kurus", "created_at", "released_at"],
        withheld: &[],
    },
    Holding::NotPersonal {
        table: "coupons",
        why: "the discount codes staff create: their rules and how often they were used",
    },
    Holding::NotPersonal {
        table: "coupon_categories",
        why: "which categories a discount code applies to",
    },
    Holding::NotPersonal {
        table: "image_files",
        why: "product images staff uploaded",
    },
    Holding::NotPersonal {
        table: "campaigns",
        why: "the shop's campaigns: a percentage off some categories between two days",
    },
    Holding::NotPersonal {
        table: "campaign_categories",
        why: "which categories a campaign applies to",
    },
    Holding::Personal {
        table: "cayma_requests",
        owner: "order_id IN (SELECT id FROM orders WHERE customer_id = $1)",
        exported: &[
            "id", "reference", "order_id", "reason", "refund_method", "iban", "account_holder",
            "refund_kurus", "refund_due_at", "refund_started_at", "refunded_at", "refund_error",
            "goods_received_at", "goods_note", "locale", "ip", "user_agent", "created_at",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "order_refunds",
        owner: MEMBER_ORDERS,
        exported: &[
            "id", "order_id", "amount_kurus", "method", "started_at", "refunded_at", "error",
            "created_at",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "cayma_request_lines",
        owner: "request_id IN (SELECT c.id FROM cayma_requests c JOIN orders o \
                ON o.id = c.order_id WHERE o.customer_id = $1)",
        exported: &["request_id", "order_line_id", "quantity"],
        withheld: &[],
    },
    Holding::Personal {
        table: "order_documents",
        owner: MEMBER_ORDERS,
        exported: &["order_id", "kind", "html", "sha256", "accepted_at"],
        withheld: &[],
    },
    Holding::Personal {
        table: "order_events",
        owner: MEMBER_ORDERS,
        exported: &["id", "order_id", "status", "payment_status", "note", "created_at"],
        withheld: &[],
    },
    Holding::Personal {
        table: "invoices",
        owner: MEMBER_ORDERS,
        exported: &["id", "order_id", "number", "provider", "issued_at"],
        withheld: &[],
    },
    Holding::Personal {
        table: "invoice_returns",
        owner: MEMBER_ORDERS,
        exported: &["id", "order_id", "number", "provider", "reason", "issued_at"],
        withheld: &[],
    },
    Holding::Personal {
        table: "invoice_return_lines",
        owner: "return_id IN (SELECT r.id FROM invoice_returns r JOIN orders o \
                ON o.id = r.order_id WHERE o.customer_id = $1)",
        exported: &["return_id", "order_line_id", "label", "quantity", "amount_kurus", "kdv_rate"],
        withheld: &[],
    },
    Holding::Personal {
        table: "order_line_cancellations",
        owner: MEMBER_ORDERS,
        exported: &[
            "id", "order_id", "order_line_id", "quantity", "amount_kurus", "refund_id",
            "return_id", "reason", "created_at",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "payment_attempts",
        owner: MEMBER_ORDERS,
        exported: &["order_id", "provider", "expires_at", "outcome", "created_at"],
        withheld: &[("token", "the payment provider's token for the attempt")],
    },
    Holding::Personal {
        table: "outbox_emails",
        owner: "customer_id = $1 OR order_id IN (SELECT id FROM orders WHERE customer_id = $1)",
        exported: &[
            "id", "order_id", "customer_id", "cayma_request_id", "kind", "recipient", "locale",
            "subject",
            "body_text", "status", "attempts", "next_attempt_at", "last_error", "created_at",
            "sent_at",
        ],
        withheld: &[("body_html", "the same words as body_text, in HTML")],
    },
    Holding::Personal {
        table: "contact_messages",
        owner: "email = (SELECT email FROM customers WHERE id = $1)",
        exported: &[
            "id", "reference", "topic", "name", "email", "order_number", "message", "locale",
            "status", "ip", "user_agent", "created_at",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "contact_replies",
        owner: "message_id IN (SELECT id FROM contact_messages \
                WHERE email = (SELECT email FROM customers WHERE id = $1))",
        exported: &["id", "message_id", "body", "created_at"],
        withheld: &[("staff_id", "which member of staff wrote the reply: the shop's internal record")],
    },
    Holding::Personal {
        table: "consent_ledger",
        owner: "customer_id = $1 OR visitor_id = $2",
        exported: &[
            "id", "visitor_id", "customer_id", "action", "functional", "analytics", "marketing",
            "policy_version", "policy_sha256", "locale", "ip", "user_agent", "created_at",
        ],
        withheld: &[],
    },
    Holding::Personal {
        table: "checkouts",
        owner: "id IN (SELECT checkout_id FROM orders WHERE customer_id = $1)",
        exported: &[
            "locale", "items", "details", "methods", "coupon_code", "ip", "created_at", "updated_at",
        ],
        withheld: &[("id", "the checkout's random id, the secret of its cookie")],
    },
    Holding::NotPersonal {
        table: "sessions",
        why: "the state of a login: a random id, the member's id and an expiry, gone at logout",
    },
    Holding::NotPersonal {
        table: "rate_limits",
        why: "counters per IP group for the current window only, tied to no member",
    },
    Holding::NotPersonal {
        table: "sandbox_payments",
        why: "the embedded test payment provider's own records (a real provider keeps these)",
    },
    Holding::NotPersonal {
        table: "sandbox_saved_cards",
        why: "the embedded test payment provider's own records; Kayıtlı kartlarım lists them",
    },
    Holding::NotPersonal {
        table: "sandbox_webhooks",
        why: "the embedded test payment provider's delivery queue",
    },
    Holding::NotPersonal { table: "categories", why: CATALOGUE },
    Holding::NotPersonal { table: "products", why: CATALOGUE },
    Holding::NotPersonal {
        table: "staff",
        why: "the shop's staff accounts, not customers",
    },
    Holding::NotPersonal {
        table: "staff_recovery_codes",
        why: "hashes of staff members' single-use login codes, not customers'",
    },
    Holding::NotPersonal {
        table: "staff_audit_log",
        why: "what staff did to which record: names records (an order number), never a customer's details",
    },
    Holding::NotPersonal { table: "product_images", why: CATALOGUE },
    Holding::NotPersonal { table: "variants", why: CATALOGUE },
    Holding::NotPersonal { table: "order_number_counters", why: COUNTER },
    Holding::NotPersonal { table: "invoice_number_counters", why: COUNTER },
    Holding::NotPersonal { table: "invoice_return_counters", why: COUNTER },
    Holding::NotPersonal {
        table: "shop_meta",
        why: "the shop's own settings and secrets",
    },
];

/// Everything the shop holds about `customer`, and the cookie choices of `visitor` (the
/// browser asking), table by table, every value as text.
pub async fn export(db: &Db, customer: i64, visitor: &str) -> Result<Value, sqlx::Error> {
    use sqlx::Row;
    let mut tables = Map::new();
    for holding in COVERAGE {
        let Holding::Personal {
            table,
            owner,
            exported,
            ..
        } = holding
        else {
            continue;
        };
        let columns: Vec<String> = exported
            .iter()
            .map(|column| format!("CAST({column} AS TEXT) AS {column}"))
            .collect();
        // The SQL is built only from the constants above; the values are bound.
        let sql = format!(
            "SELECT {} FROM {table} WHERE {owner} ORDER BY 1",
            columns.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(customer);
        if owner.contains("$2") {
            query = query.bind(visitor);
        }
        let rows = query.fetch_all(db.pool()).await?;
        let rows: Vec<Value> = rows
            .iter()
            .map(|row| {
                let mut object = Map::new();
                for (index, column) in exported.iter().enumerate() {
                    let value: Option<String> = row.try_get(index).unwrap_or_default();
                    object.insert(column.to_string(), value.map_or(Value::Null, Value::String));
                }
                Value::Object(object)
            })
            .collect();
        tables.insert(table.to_string(), Value::Array(rows));
    }
    let withheld: Map<String, Value> = COVERAGE
        .iter()
        .filter_map(|holding| match holding {
            Holding::Personal {
                table, withheld, ..
            } if !withheld.is_empty() => Some((
                table.to_string(),
                withheld
                    .iter()
                    .map(|(column, why)| (column.to_string(), Value::String(why.to_string())))
                    .collect::<Map<_, _>>()
                    .into(),
            )),
            _ => None,
        })
        .collect();
    Ok(serde_json::json!({
        "olusturulma": time::iso_utc(time::now_seconds()),
        "aciklama": "Les Minoria'nın hakkınızda tuttuğu tüm kişisel veriler (KVKK m.11).",
        "tablolar": tables,
        "verilmeyen_sutunlar": withheld,
    }))
}

/// Records an application for `application.right`; its reference (`KVKK-` and 8 hex digits).
pub async fn apply(
    db: &Db,
    customer: i64,
    application: &Application,
    origin: &RequestOrigin,
) -> Result<String, sqlx::Error> {
    let now = time::now_seconds();
    let reference = format!("KVKK-{}", random_hex(4).to_uppercase());
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO kvkk_applications (reference, customer_id, right_code, details, due_at, ip, \
         user_agent, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&reference)
    .bind(customer)
    .bind(application.right.code())
    .bind(&application.details)
    .bind(time::iso_utc(now + ANSWER_DAYS * 24 * 60 * 60))
    .bind(&origin.ip)
    .bind(&origin.user_agent)
    .bind(time::iso_utc(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(reference)
}

/// The member's applications, newest first.
pub async fn applications(db: &Db, customer: i64) -> Result<Vec<ApplicationView>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT reference, right_code, status, created_at, due_at, answer FROM kvkk_applications \
         WHERE customer_id = $1 ORDER BY id DESC",
    )
    .bind(customer)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(reference, right, status, created_at, due_at, answer)| {
            Some(ApplicationView {
                reference,
                right: KvkkRight::from_code(&right)?,
                status,
                created_at,
                due_at,
                answer,
            })
        })
        .collect())
}
