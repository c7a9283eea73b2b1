//! Adreslerim: a member's address book, used by checkout. Every query names the member as well
//! as the address, so another member's address id finds nothing, exactly like one that does not
//! exist. One address is the default (the first one added, then the member's choice).

use super::super::{time, Db, WriteTx};
use crate::model::account::{NamedAddress, SavedAddress, MAX_ADDRESSES};
use crate::model::checkout::details::Address;

/// id, title, first_name, last_name, province_code, district, line, postcode, is_default.
type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);

const COLUMNS: &str =
    "id, title, first_name, last_name, province_code, district, line, postcode, is_default";

fn saved(
    (id, title, first_name, last_name, province_code, district, line, postcode, is_default): Row,
) -> SavedAddress {
    SavedAddress {
        id,
        title,
        address: Address {
            first_name,
            last_name,
            province_code,
            district,
            line,
            postcode,
        },
        is_default: is_default == 1,
    }
}

/// The member's addresses, the default first, then the newest.
pub async fn list(db: &Db, customer: i64) -> Result<Vec<SavedAddress>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customer_addresses WHERE customer_id = $1 \
         ORDER BY is_default DESC, id DESC"
    ))
    .bind(customer)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(saved).collect())
}

/// One of the member's addresses (`None` for another member's as for a missing one).
pub async fn find(db: &Db, customer: i64, id: i64) -> Result<Option<SavedAddress>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customer_addresses WHERE id = $1 AND customer_id = $2"
    ))
    .bind(id)
    .bind(customer)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(saved))
}

/// What saving an address came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    Done,
    /// The address to correct is not the member's (or no longer exists).
    NotFound,
    /// The book already holds [`MAX_ADDRESSES`].
    Full,
}

/// Adds `named` to the book, or corrects the address it names.
pub async fn save(db: &Db, customer: i64, named: &NamedAddress) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM customer_addresses WHERE customer_id = $1")
            .bind(customer)
            .fetch_one(&mut *tx)
            .await?;
    let address = &named.address;
    let id = match named.id {
        Some(id) => {
            let changed = sqlx::query(
                "UPDATE customer_addresses SET title = $1, first_name = $2, last_name = $3, \
                 province_code = $4, district = $5, line = $6, postcode = $7 \
                 WHERE id = $8 AND customer_id = $9",
            )
            .bind(&named.title)
            .bind(&address.first_name)
            .bind(&address.last_name)
            .bind(&address.province_code)
            .bind(&address.district)
            .bind(&address.line)
            .bind(&address.postcode)
            .bind(id)
            .bind(customer)
            .execute(&mut *tx)
            .await?;
            if changed.rows_affected() != 1 {
                return Ok(Saved::NotFound);
            }
            id
        }
        None => {
            if count >= MAX_ADDRESSES as i64 {
                return Ok(Saved::Full);
            }
            sqlx::query_scalar(
                "INSERT INTO customer_addresses (customer_id, title, first_name, last_name, \
                 province_code, district, line, postcode, is_default, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) RETURNING id",
            )
            .bind(customer)
            .bind(&named.title)
            .bind(&address.first_name)
            .bind(&address.last_name)
            .bind(&address.province_code)
            .bind(&address.district)
            .bind(&address.line)
            .bind(&address.postcode)
            .bind(time::iso_utc(time::now_seconds()))
            .fetch_one(&mut *tx)
            .await?
        }
    };
    // The first address is the default whether or not it was asked for.
    if named.make_default || count == 0 {
        make_default(&mut tx, customer, id).await?;
    }
    tx.commit().await?;
    Ok(Saved::Done)
}

async fn make_default(tx: &mut WriteTx, customer: i64, id: i64) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE customer_addresses SET is_default = CASE WHEN id = $1 THEN 1 ELSE 0 END \
         WHERE customer_id = $2 AND EXISTS \
         (SELECT 1 FROM customer_addresses WHERE id = $1 AND customer_id = $2)",
    )
    .bind(id)
    .bind(customer)
    .execute(&mut **tx)
    .await?;
    Ok(changed.rows_affected() > 0)
}

/// Makes the member's address `id` the default; whether it is theirs.
pub async fn set_default(db: &Db, customer: i64, id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let found = make_default(&mut tx, customer, id).await?;
    tx.commit().await?;
    Ok(found)
}

/// Deletes the member's address `id`; the newest left becomes the default if it was. Whether it
/// was theirs.
pub async fn delete(db: &Db, customer: i64, id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let was_default: Option<i64> = sqlx::query_scalar(
        "DELETE FROM customer_addresses WHERE id = $1 AND customer_id = $2 RETURNING is_default",
    )
    .bind(id)
    .bind(customer)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(was_default) = was_default else {
        return Ok(false);
    };
    if was_default == 1 {
        let newest: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM customer_addresses WHERE customer_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(customer)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(newest) = newest {
            make_default(&mut tx, customer, newest).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}
