//! The second factor of staff: RFC 6238 codes (six digits, 30-second steps, HMAC-SHA1), as
//! every authenticator app makes them, through the totp-rs crate. A code is accepted one step
//! early or late (clocks drift) and only once: the step it matched is remembered, and a code of
//! that step or an earlier one is refused after.

use totp_rs::{Algorithm, Secret, TOTP};

const STEP_SECONDS: u64 = 30;
/// 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;

fn totp(secret_base32: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_string()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECONDS, bytes).ok()
}

/// A new secret, base32 as authenticator apps take it.
pub fn new_secret() -> String {
    let mut bytes = vec![0_u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    Secret::Raw(bytes).to_encoded().to_string()
}

/// The `otpauth://` address an authenticator app reads (typed, or as a QR code).
pub fn provisioning_uri(secret_base32: &str, email: &str) -> String {
    let label: String = format!("Les Minoria:{email}")
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("otpauth://totp/{label}?secret={secret_base32}&issuer=Les%20Minoria&digits=6&period=30")
}

/// The step `code` belongs to at `now` (Unix seconds), if it is the code of this step or of
/// one next to it and of a later step than `last_step`.
pub fn accepted_step(
    secret_base32: &str,
    code: &str,
    now: i64,
    last_step: Option<i64>,
) -> Option<i64> {
    let totp = totp(secret_base32)?;
    let current = now.max(0) as u64 / STEP_SECONDS;
    let mut matched = None;
    for step in current.saturating_sub(1)..=current + 1 {
        // Every candidate is computed and compared, so the time taken says nothing.
        let candidate = totp.generate(step * STEP_SECONDS);
        let equal = candidate.len() == code.len()
            && candidate
                .bytes()
                .zip(code.bytes())
                .fold(0_u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if equal {
            matched = Some(step as i64);
        }
    }
    matched.filter(|step| last_step.is_none_or(|last| *step > last))
}

/// The code of `secret_base32` at `now`: what an authenticator app shows (tests and the
/// enrolment check use it).
pub fn code_at(secret_base32: &str, now: i64) -> String {
    totp(secret_base32)
        .map(|totp| totp.generate(now.max(0) as u64))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, key "12345678901234567890", the last six digits.
    #[test]
    fn codes_match_the_rfc_vectors() {
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(code_at(&secret, 59), "287082");
        assert_eq!(code_at(&secret, 1_111_111_109), "081804");
        assert_eq!(code_at(&secret, 2_000_000_000), "279037");
    }

    #[test]
    fn a_code_is_taken_once_and_only_near_its_time() {
        let secret = new_secret();
        let now = 1_796_108_400;
        let code = code_at(&secret, now);
        let step = accepted_step(&secret, &code, now, None).expect("the current code");
        assert_eq!(
            accepted_step(&secret, &code, now + 30, None),
            Some(step),
            "a step late"
        );
        assert_eq!(
            accepted_step(&secret, &code, now, Some(step)),
            None,
            "used once"
        );
        assert_eq!(
            accepted_step(&secret, &code, now + 120, None),
            None,
            "too late"
        );
        assert_eq!(accepted_step(&secret, "000000x", now, None), None);
    }

    #[test]
    fn the_provisioning_address_names_the_shop_and_the_account() {
        let uri = provisioning_uri("JBSWY3DPEHPK3PXP", "ops@lesminoria.com");
        assert_eq!(
            uri,
            "otpauth://totp/Les%20Minoria%3Aops@lesminoria.com?secret=JBSWY3DPEHPK3PXP&issuer=Les%20Minoria&digits=6&period=30"
        );
    }
}
