//! The numbers an invoice carries for its buyer: a person's T.C. kimlik no (optional on a
//! bireysel invoice; checked by its two check digits) or a company's vergi kimlik no (VKN, ten
//! digits, on a kurumsal invoice).

/// Whether `number` is a valid T.C. kimlik no: eleven digits, not starting with 0, the tenth
/// and eleventh being the check digits the population register computes.
pub fn is_tc_kimlik_no(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 11 || number.len() != 11 || digits[0] == 0 {
        return false;
    }
    let odd: u32 = digits[0..9].iter().step_by(2).sum();
    let even: u32 = digits[1..8].iter().step_by(2).sum();
    let tenth = (odd * 7 + 10 * 10 - even) % 10;
    let eleventh = digits[0..10].iter().sum::<u32>() % 10;
    digits[9] == tenth && digits[10] == eleventh
}

/// Whether `number` has the shape of a vergi kimlik no: exactly ten digits.
pub fn is_vkn(number: &str) -> bool {
    number.len() == 10 && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kimlik_numbers_are_checked_by_both_check_digits() {
        // 10000000146 is the register's well-known test number; the others are built with the
        // same rule (odd-place sum × 7 − even-place sum, then the sum of the first ten).
        for valid in ["10000000146", "12345678950", "11111111110"] {
            assert!(is_tc_kimlik_no(valid), "{valid}");
        }
        for invalid in [
            "10000000147", // wrong eleventh digit
            "10000000156", // wrong tenth digit
            "01234567890", // starts with 0
            "1000000014",  // ten digits
            "1000000014a",
            "１0000000146", // a full-width digit
            "",
        ] {
            assert!(!is_tc_kimlik_no(invalid), "{invalid}");
        }
    }

    #[test]
    fn a_vkn_is_ten_digits() {
        assert!(is_vkn("1234567890"));
        assert!(!is_vkn("123456789"));
        assert!(!is_vkn("12345678901"));
        assert!(!is_vkn("12345 6789"));
    }
}
