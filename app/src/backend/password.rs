//! Members' passwords (issue 14): what a new password must be, and how it is kept.
//!
//! - Kept as argon2id with OWASP's minimum parameters (19 MiB of memory, 2 passes, 1 lane),
//!   as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) that carries its parameters,
//!   so stronger ones later still verify old hashes ([`needs_rehash`] says when to upgrade).
//! - A new password has at least [`MIN_CHARS`] characters (NIST SP 800-63B asks for 8; a shop
//!   account that keeps addresses and saved cards asks for a little more), at most
//!   [`MAX_CHARS`] (argon2 takes any length; the bound keeps a request's work bounded), is not
//!   one of the 20,000 most common passwords (`app/data/common-passwords.txt`) nor a Turkish
//!   favourite, and does not contain the member's e-mail name. No rules about character classes:
//!   they make passwords harder to remember, not to guess (NIST SP 800-63B 5.1.1.2).
//!
//! Hashing takes tens of milliseconds of one core on purpose: callers run [`hash`] and
//! [`verify`] on the blocking pool (`tokio::task::spawn_blocking`), never on a request's task.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_CHARS: usize = 10;
pub const MAX_CHARS: usize = 128;

/// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// Common Turkish passwords the (English-leaning) list lacks: football clubs, "şifre" and
/// "parola" with the usual digits, cities and the country.
const TURKISH_COMMON: &[&str] = &[
    "sifre",
    "sifre123",
    "sifre1234",
    "şifre",
    "şifre123",
    "parola",
    "parola123",
    "parola1234",
    "galatasaray",
    "galatasaray1905",
    "fenerbahce",
    "fenerbahçe",
    "fenerbahce1907",
    "besiktas",
    "beşiktaş",
    "besiktas1903",
    "trabzonspor",
    "trabzonspor1967",
    "istanbul",
    "istanbul34",
    "ankara",
    "ankara06",
    "izmir",
    "izmir35",
    "turkiye",
    "türkiye",
    "turkey",
    "askim",
    "aşkım",
    "sevgilim",
    "canim",
    "canım",
    "bismillah",
    "qwertyuiop",
];

/// Why a new password is refused; each has its sentence in `locales/*.yml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    Common,
    ContainsEmail,
}

impl PasswordProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::TooShort => "password.too_short",
            Self::TooLong => "password.too_long",
            Self::Common => "password.common",
            Self::ContainsEmail => "password.contains_email",
        }
    }
}

/// Whether `password` may become the password of the member with `email`.
pub fn check_new(password: &str, email: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lowered = crate::model::text::lowercase_tr(password);
    if is_common(&lowered) || is_common(&password.to_lowercase()) {
        return Err(PasswordProblem::Common);
    }
    let name = email.split('@').next().unwrap_or_default();
    if name.chars().count() >= 4 && lowered.contains(&crate::model::text::lowercase_tr(name)) {
        return Err(PasswordProblem::ContainsEmail);
    }
    Ok(())
}

fn is_common(lowered: &str) -> bool {
    static COMMON: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    let common = COMMON.get_or_init(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .chain(TURKISH_COMMON.iter().copied())
            .collect()
    });
    common.contains(lowered)
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("OWASP's argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string to keep for `password` (a fresh random salt each time).
pub fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2id hashes any password up to MAX_CHARS")
        .to_string()
}

/// Whether `password` is the one `stored` was made from, in constant time. A malformed stored
/// value verifies nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    hasher()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Whether `stored` was made with other parameters than today's (then hash the password again
/// at the next successful login).
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    let current = |name: &str, value: u32| {
        parsed
            .params
            .get_decimal(name)
            .is_some_and(|found| found == value)
    };
    parsed.algorithm.as_str() != "argon2id"
        || !(current("m", MEMORY_KIB) && current("t", PASSES) && current("p", LANES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_salted_and_verifiable() {
        let stored = hash("kırmızı elbise 2026");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("kırmızı elbise 2026", &stored));
        assert!(!verify("kirmizi elbise 2026", &stored));
        assert!(!verify("kırmızı elbise 2026", "not a hash"));
        assert_ne!(
            stored,
            hash("kırmızı elbise 2026"),
            "a fresh salt each time"
        );
        assert!(!needs_rehash(&stored));
        // A hash made with weaker parameters verifies, and asks to be replaced.
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).unwrap(),
        )
        .hash_password(
            b"eski parola 1234",
            &SaltString::encode_b64(&[7; 16]).unwrap(),
        )
        .unwrap()
        .to_string();
        assert!(verify("eski parola 1234", &weak));
        assert!(needs_rehash(&weak));
    }

    #[test]
    fn new_passwords_are_long_enough_uncommon_and_not_the_e_mail() {
        let email = "ayse.yilmaz@example.com";
        assert_eq!(check_new("kısa1", email), Err(PasswordProblem::TooShort));
        assert_eq!(
            check_new(&"x".repeat(MAX_CHARS + 1), email),
            Err(PasswordProblem::TooLong)
        );
        for common in [
            "1234567890",
            "Password123",
            "qwertyuiop",
            "Galatasaray",
            "FENERBAHÇE",
        ] {
            assert_eq!(
                check_new(common, email),
                Err(PasswordProblem::Common),
                "{common}"
            );
        }
        assert_eq!(
            check_new("Ayse.Yilmaz-2026!", email),
            Err(PasswordProblem::ContainsEmail)
        );
        assert_eq!(check_new("mavi keten gömlek", email), Ok(()));
        // Counted in characters, not bytes: ten Turkish letters are enough.
        assert_eq!(check_new("ığüşöçığüş", email), Ok(()));
    }

    #[test]
    fn every_problem_has_its_sentence_in_both_languages() {
        for problem in [
            PasswordProblem::TooShort,
            PasswordProblem::TooLong,
            PasswordProblem::Common,
            PasswordProblem::ContainsEmail,
        ] {
            for locale in crate::model::Locale::ALL {
                let sentence = crate::i18n::text(locale, problem.message_key());
                // A missing key comes back as the key itself.
                assert!(
                    !sentence.contains(problem.message_key()),
                    "{locale:?}: {sentence}"
                );
            }
        }
    }
}
