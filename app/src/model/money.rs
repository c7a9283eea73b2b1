//! Money in kuruş. Prices include KDV; the KDV share of a price is derived from its rate.

use serde::{Deserialize, Serialize};

use super::Locale;

/// An amount in kuruş (1 TL = 100 kuruş). Never a float.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn kurus(self) -> i64 {
        self.0
    }

    /// The KDV contained in this KDV-inclusive amount at `rate` percent, rounded to the
    /// nearest kuruş (half up): price × rate / (100 + rate).
    pub fn kdv_share(self, rate: i64) -> Money {
        let denominator = 100 + rate;
        Money((self.0 * rate * 2 + denominator) / (denominator * 2))
    }

    /// `1.299,90 TL` in Turkish, `TRY 1,299.90` in English.
    pub fn format(self, locale: Locale) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let kurus = self.0.unsigned_abs();
        let (lira, rest) = (kurus / 100, kurus % 100);
        let (thousands, decimal) = match locale {
            Locale::Tr => ('.', ','),
            Locale::En => (',', '.'),
        };
        let digits = lira.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(thousands);
            }
            grouped.push(digit);
        }
        match locale {
            Locale::Tr => format!("{sign}{grouped}{decimal}{rest:02} TL"),
            Locale::En => format!("{sign}TRY {grouped}{decimal}{rest:02}"),
        }
    }

    /// Reads an amount of lira written by a person (configuration): `1500`, `79,90`, `79.90`.
    /// At most two decimals; no thousands separators, signs or units.
    pub fn parse_lira(text: &str) -> Option<Money> {
        let text = text.trim();
        let (lira, kurus) = match text.split_once([',', '.']) {
            Some((lira, kurus)) => (lira, kurus),
            None => (text, ""),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(lira) || !(kurus.is_empty() || (digits(kurus) && kurus.len() <= 2)) {
            return None;
        }
        let lira: i64 = lira.parse().ok()?;
        let kurus: i64 = format!("{kurus:0<2}").parse().ok()?;
        lira.checked_mul(100)?.checked_add(kurus).map(Money)
    }

    /// The amount as the decimal string schema.org and feeds expect: `1299.90`.
    pub fn decimal(self) -> String {
        format!("{}.{:02}", self.0 / 100, (self.0 % 100).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_turkish_and_english_style() {
        assert_eq!(Money(129_990).format(Locale::Tr), "1.299,90 TL");
        assert_eq!(Money(129_990).format(Locale::En), "TRY 1,299.90");
        assert_eq!(Money(5).format(Locale::Tr), "0,05 TL");
        assert_eq!(Money(123_456_789).format(Locale::Tr), "1.234.567,89 TL");
        assert_eq!(Money(99_900).format(Locale::En), "TRY 999.00");
        assert_eq!(Money(-1_000).format(Locale::Tr), "-10,00 TL");
    }

    #[test]
    fn kdv_share_is_derived_from_the_inclusive_price() {
        // 110,00 TL at 10 % contains 10,00 TL KDV; 120,00 TL at 20 % contains 20,00 TL.
        assert_eq!(Money(11_000).kdv_share(10), Money(1_000));
        assert_eq!(Money(12_000).kdv_share(20), Money(2_000));
        // 1.899,90 TL at 10 %: 172,718… TL, rounded to 172,72 TL.
        assert_eq!(Money(189_990).kdv_share(10), Money(17_272));
        assert_eq!(Money(0).kdv_share(20), Money(0));
    }

    #[test]
    fn lira_amounts_from_configuration() {
        assert_eq!(Money::parse_lira("1500"), Some(Money(150_000)));
        assert_eq!(Money::parse_lira(" 79,90 "), Some(Money(7_990)));
        assert_eq!(Money::parse_lira("79.9"), Some(Money(7_990)));
        assert_eq!(Money::parse_lira("0"), Some(Money(0)));
        for bad in [
            "",
            "-5",
            "1.500,00",
            "12,345",
            "abc",
            "1e3",
            ",5",
            "99999999999999999999",
        ] {
            assert_eq!(Money::parse_lira(bad), None, "{bad}");
        }
    }

    #[test]
    fn decimal_for_structured_data() {
        assert_eq!(Money(129_990).decimal(), "1299.90");
        assert_eq!(Money(5).decimal(), "0.05");
    }
}
