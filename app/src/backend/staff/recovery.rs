//! A yonetici's way back in when their authenticator is lost: ten single-use recovery codes
//! given with every new TOTP secret, each accepted once in place of a code; logged in, they
//! renew the secret themselves (new codes with it). Another yonetici can also reset a
//! colleague's second factor, which ends that colleague's sessions. Codes are 50 random bits
//! (ten characters of an alphabet without look-alikes), so a SHA-256 of each is enough to keep.

use sha2::{Digest, Sha256};

use super::totp;
use crate::backend::WriteTx;

/// How many codes come with a secret.
pub const CODES: usize = 10;
/// 32 letters and digits without 0/O, 1/I: a byte modulo 32 picks one without bias.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters in a code (shown as two groups of five).
pub const CODE_CHARS: usize = 10;

/// A second factor as issued: the TOTP secret and its recovery codes, shown once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub secret: String,
    pub recovery_codes: Vec<String>,
}

/// New codes, as shown: `ABCDE-FGH23`.
pub fn new_codes() -> Vec<String> {
    let mut bytes = vec![0_u8; CODES * CODE_CHARS];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes
        .chunks(CODE_CHARS)
        .map(|chunk| {
            let code: String = chunk
                .iter()
                .map(|byte| ALPHABET[usize::from(*byte) % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &code[..5], &code[5..])
        })
        .collect()
}

/// The code as typed, without spaces or dashes and in capitals; `None` when it cannot be one.
pub fn normalise(code: &str) -> Option<String> {
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_CHARS && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

fn hash(normalised: &str) -> String {
    Sha256::digest(normalised.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Gives member of staff `staff_id` a new TOTP secret and new recovery codes (the old ones stop
/// working), in `tx`.
pub async fn issue(tx: &mut WriteTx, staff_id: i64) -> Result<Issued, sqlx::Error> {
    let issued = Issued {
        secret: totp::new_secret(),
        recovery_codes: new_codes(),
    };
    sqlx::query("UPDATE staff SET totp_secret = $1, totp_last_step = NULL WHERE id = $2")
        .bind(&issued.secret)
        .bind(staff_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut **tx)
        .await?;
    for code in &issued.recovery_codes {
        sqlx::query("INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)")
            .bind(staff_id)
            .bind(hash(&normalise(code).unwrap_or_default()))
            .execute(&mut **tx)
            .await?;
    }
    Ok(issued)
}

/// Uses recovery code `code` of member of staff `staff_id`: whether it was theirs and unused
/// (a conditional update, so two logins with one code cannot both pass).
pub async fn take(
    tx: &mut WriteTx,
    staff_id: i64,
    code: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let Some(code) = normalise(code) else {
        return Ok(false);
    };
    let taken = sqlx::query(
        "UPDATE staff_recovery_codes SET used_at = $1 WHERE staff_id = $2 AND code_hash = $3 \
         AND used_at IS NULL",
    )
    .bind(now)
    .bind(staff_id)
    .bind(hash(&code))
    .execute(&mut **tx)
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// How many unused recovery codes member of staff `staff_id` has.
pub async fn left(db: &crate::backend::Db, staff_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_recovery_codes WHERE staff_id = $1 AND used_at IS NULL",
    )
    .bind(staff_id)
    .fetch_one(db.pool())
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ten_different_and_read_back_however_typed() {
        let codes = new_codes();
        assert_eq!(codes.len(), CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), CODES);
        for code in &codes {
            assert_eq!(code.len(), CODE_CHARS + 1);
            let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
            assert_eq!(normalise(&typed), Some(code.replace('-', "")));
        }
        assert_eq!(normalise("123456"), None);
        assert_eq!(
            normalise("ABCDE-FGHI0"),
            None,
            "0 and I are not in the alphabet"
        );
    }
}
