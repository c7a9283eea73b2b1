//! The link a guest reaches their order by (`/siparis/{number}?erisim=…`, sent in the order's
//! e-mails): an expiry and an HMAC over the order number and that expiry, under the shop's
//! secret. Knowing an order number, or a number and an e-mail address, is not enough.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL, Engine as _};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How long a link from an order's e-mail opens the order: long enough for a cayma request
/// months later, not forever.
pub const LINK_LIFETIME_SECONDS: i64 = 400 * 24 * 60 * 60;
/// The query parameter that carries the token: `/siparis/LM-2026-000123?erisim=…`.
pub const ACCESS_QUERY: &str = "erisim";

/// The key that signs order links: `configured` (`LESMINORIA_ORDER_LINK_SECRET`) when given,
/// otherwise one made on the shop's first start and kept in `shop_meta`, so links stay valid
/// across restarts and across the processes that share the database.
pub async fn shop_secret(
    db: &crate::backend::Db,
    configured: Option<&str>,
) -> Result<Vec<u8>, sqlx::Error> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO shop_meta (key, value) VALUES ('order_link_secret', $1) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(crate::backend::random_hex(32))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let secret: String =
        sqlx::query_scalar("SELECT value FROM shop_meta WHERE key = 'order_link_secret'")
            .fetch_one(db.pool())
            .await?;
    Ok(secret.into_bytes())
}

/// Why a link does not open its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Not a link we made for this order (tampered, another order's, another secret's).
    Invalid,
    /// Ours, but past its expiry: the shopper is offered a fresh one by e-mail.
    Expired,
}

fn mac(secret: &[u8], number: &str, expires_at: i64) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
    // Versioned and labelled, so that no other signature of the shop can stand in for it.
    mac.update(format!("lesminoria-order-link:v1:{number}:{expires_at}").as_bytes());
    mac
}

/// The access token for `number`, valid until `expires_at` (Unix seconds).
pub fn sign(secret: &[u8], number: &str, expires_at: i64) -> String {
    let mut token = expires_at.to_be_bytes().to_vec();
    token.extend_from_slice(&mac(secret, number, expires_at).finalize().into_bytes());
    BASE64URL.encode(token)
}

/// Whether `token` opens `number` at `now` (Unix seconds); compared in constant time.
pub fn verify(secret: &[u8], number: &str, token: &str, now: i64) -> Result<(), LinkRefusal> {
    let bytes = BASE64URL
        .decode(token.trim())
        .map_err(|_| LinkRefusal::Invalid)?;
    if bytes.len() != 8 + 32 {
        return Err(LinkRefusal::Invalid);
    }
    let (expiry, signature) = bytes.split_at(8);
    let expires_at = i64::from_be_bytes(expiry.try_into().map_err(|_| LinkRefusal::Invalid)?);
    mac(secret, number, expires_at)
        .verify_slice(signature)
        .map_err(|_| LinkRefusal::Invalid)?;
    if now >= expires_at {
        return Err(LinkRefusal::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a secret of at least thirty-two bytes.";

    #[test]
    fn a_link_opens_its_own_order_until_it_expires() {
        let token = sign(SECRET, "LM-2026-000123", 1_000);
        assert_eq!(verify(SECRET, "LM-2026-000123", &token, 999), Ok(()));
        assert_eq!(
            verify(SECRET, "LM-2026-000123", &token, 1_000),
            Err(LinkRefusal::Expired)
        );
    }

    #[test]
    fn another_order_a_changed_expiry_or_another_secret_does_not_open() {
        let token = sign(SECRET, "LM-2026-000123", 1_000);
        assert_eq!(
            verify(SECRET, "LM-2026-000124", &token, 10),
            Err(LinkRefusal::Invalid)
        );
        assert_eq!(
            verify(b"another secret", "LM-2026-000123", &token, 10),
            Err(LinkRefusal::Invalid)
        );
        // A later expiry written into the token breaks its signature.
        let mut bytes = BASE64URL.decode(&token).unwrap();
        bytes[..8].copy_from_slice(&i64::MAX.to_be_bytes());
        let extended = BASE64URL.encode(bytes);
        assert_eq!(
            verify(SECRET, "LM-2026-000123", &extended, 10),
            Err(LinkRefusal::Invalid)
        );
        for junk in ["", "%%%", "AAAA", &token[..token.len() - 2]] {
            assert_eq!(
                verify(SECRET, "LM-2026-000123", junk, 10),
                Err(LinkRefusal::Invalid),
                "{junk:?}"
            );
        }
    }
}
