//! Turkish mobile numbers as shoppers write them (`0532 123 45 67`, `532-123-4567`,
//! `+90 (532) 123 45 67`), stored one way: `+905321234567`.

/// The number in `+905XXXXXXXXX` form, or `None` when it is not a Turkish mobile number (ten
/// digits starting with 5, optionally after `0`, `90` or `+90`). Spaces, dashes, dots and
/// parentheses are ignored.
pub fn normalise_mobile(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let international = trimmed.starts_with('+');
    let mut digits = String::with_capacity(13);
    for (index, character) in trimmed.chars().enumerate() {
        match character {
            '0'..='9' => digits.push(character),
            '+' if index == 0 => {}
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let national = if international {
        digits.strip_prefix("90")?
    } else if let Some(rest) = digits.strip_prefix("90").filter(|rest| rest.len() == 10) {
        rest
    } else {
        digits.strip_prefix('0').unwrap_or(&digits)
    };
    (national.len() == 10 && national.starts_with('5')).then(|| format!("+90{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_shoppers_write_a_number_become_one() {
        for written in [
            "05321234567",
            "5321234567",
            "+905321234567",
            "+90 532 123 45 67",
            "0532 123 45 67",
            "(0532) 123-45-67",
            "905321234567",
            " 532.123.45.67 ",
        ] {
            assert_eq!(
                normalise_mobile(written).as_deref(),
                Some("+905321234567"),
                "{written}"
            );
        }
    }

    #[test]
    fn landlines_foreign_numbers_and_junk_are_refused() {
        for written in [
            "02121234567",    // a landline (İstanbul)
            "+4915112345678", // a German mobile
            "+90 212 123 45 67",
            "532123456",    // nine digits
            "053212345678", // twelve
            "0532 123 45 6a",
            "+ 90 532 123 45 67 ext 1",
            "",
        ] {
            assert_eq!(normalise_mobile(written), None, "{written}");
        }
    }
}
