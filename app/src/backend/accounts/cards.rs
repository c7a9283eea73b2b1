//! Kayıtlı kartlarım ("hızlı alışveriş"): the cards the payment provider keeps for a member,
//! listed and deleted through the payment trait (the shop never holds a card, only the
//! provider's token while it asks). Keeping a card is a consent and deleting it its withdrawal:
//! both go into `card_consents` with the card's family and last four digits.

use super::super::payment::{PaymentProvider, ProviderError};
use super::super::{time, Db, RequestOrigin, WriteTx};
use super::card_user_key;
use crate::model::account::CardView;

/// Records that the member who placed `order_id` kept a card while paying for it (nothing for a
/// guest's order: guests' cards are never kept).
pub async fn record_kept(
    tx: &mut WriteTx,
    order_id: i64,
    card_family: Option<&str>,
    last4: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO card_consents (customer_id, action, card_family, last4, source, ip, created_at) \
         SELECT customer_id, 'kaydet', $1, $2, 'odeme', ip, $3 FROM orders \
         WHERE id = $4 AND customer_id IS NOT NULL",
    )
    .bind(card_family)
    .bind(last4)
    .bind(time::iso_utc(time::now_seconds()))
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The member's cards as the provider keeps them.
pub async fn list(
    provider: &dyn PaymentProvider,
    customer: i64,
) -> Result<Vec<CardView>, ProviderError> {
    let cards = provider.saved_cards(&card_user_key(customer)).await?;
    Ok(cards
        .into_iter()
        .map(|card| CardView {
            token: card.card_token,
            family: card.card_family,
            last4: card.last4,
            expiry: format!("{:02}/{}", card.expiry_month, card.expiry_year),
        })
        .collect())
}

/// Why a card was not deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteError {
    /// Not one of the member's cards (another member's token included).
    #[error("not the member's card")]
    NotFound,
    #[error("the provider: {0}")]
    Provider(ProviderError),
    #[error("the database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Deletes the member's card `token` at the provider, then records the withdrawal. `source` is
/// `hesabim`, or `uyelik-sonu` when the membership ended (then without an IP: nothing of the
/// person is kept).
pub async fn delete(
    db: &Db,
    provider: &dyn PaymentProvider,
    customer: i64,
    token: &str,
    source: &'static str,
    origin: Option<&RequestOrigin>,
) -> Result<(), DeleteError> {
    let cards = list(provider, customer)
        .await
        .map_err(DeleteError::Provider)?;
    let Some(card) = cards.into_iter().find(|card| card.token == token) else {
        return Err(DeleteError::NotFound);
    };
    match provider
        .delete_saved_card(&card_user_key(customer), token)
        .await
    {
        Ok(()) => {}
        Err(ProviderError::UnknownPayment) => return Err(DeleteError::NotFound),
        Err(error) => return Err(DeleteError::Provider(error)),
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO card_consents (customer_id, action, card_family, last4, source, ip, created_at) \
         VALUES ($1, 'sil', $2, $3, $4, $5, $6)",
    )
    .bind(customer)
    .bind(&card.family)
    .bind(&card.last4)
    .bind(source)
    .bind(origin.map(|origin| origin.ip.as_str()))
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
