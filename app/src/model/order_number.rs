//! Order numbers as shoppers and staff read them: `LM-2026-000123`, the year the order was
//! placed and its sequence within that year. A number is not a secret: a guest reaches an order
//! only through a signed link (`backend::order_link`), never by its number.

/// `LM-{year}-{sequence:06}`.
pub fn format(year: i32, sequence: i64) -> String {
    format!("LM-{year:04}-{sequence:06}")
}

/// The year and sequence of a number in exactly that shape (six or more sequence digits).
pub fn parse(number: &str) -> Option<(i32, i64)> {
    let rest = number.strip_prefix("LM-")?;
    let (year, sequence) = rest.split_once('-')?;
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !digits(year) || sequence.len() < 6 || !digits(sequence) {
        return None;
    }
    let sequence: i64 = sequence.parse().ok().filter(|s| *s > 0)?;
    Some((year.parse().ok()?, sequence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_as_written() {
        assert_eq!(format(2026, 123), "LM-2026-000123");
        assert_eq!(format(2026, 1_234_567), "LM-2026-1234567");
        assert_eq!(parse("LM-2026-000123"), Some((2026, 123)));
        assert_eq!(parse(&format(2027, 1_234_567)), Some((2027, 1_234_567)));
    }

    #[test]
    fn anything_else_is_not_a_number() {
        for text in [
            "LM-2026-123",
            "lm-2026-000123",
            "LM-26-000123",
            "LM-2026-000000",
            "LM-2026-00012a",
            "LM-2026-000123 ",
            "LM-2026--00123",
            "LM-2026-+00123",
            "",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
