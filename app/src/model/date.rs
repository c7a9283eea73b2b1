//! Calendar dates without a date crate: the shop's instants are Unix seconds or ISO-8601 UTC
//! text, and what a shopper reads is a date in Türkiye (UTC+3 all year since 2016).

/// Türkiye's offset from UTC, in seconds.
pub const ISTANBUL_OFFSET_SECONDS: i64 = 3 * 3600;
pub const DAY_SECONDS: i64 = 86_400;

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar): the year, month and
/// day of the `days`th day after 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The inverse of [`civil_from_days`]: the day count of a calendar date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A date as a form's `<input type="date">` sends it (`2026-12-24`): its day count, or `None`
/// for anything that is not a real date.
pub fn parse_form_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(2000..=2200).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // 31 February reads as 3 March: refused by reading it back.
    (civil_from_days(days) == (year, month, day)).then_some(days)
}

/// The days a rule runs, as its form typed them (`2026-12-24`): the first second of the first
/// day and the first second after the last, in Türkiye. An empty day is open when `may_be_open`,
/// and missing otherwise; each problem goes beside its field.
pub fn day_range<F: Copy>(
    (starts, starts_field): (&str, F),
    (ends, ends_field): (&str, F),
    may_be_open: bool,
    problems: &mut Vec<crate::model::form::FieldProblem<F>>,
) -> (Option<i64>, Option<i64>) {
    let mut day = |typed: &str, field: F| match (typed.trim(), may_be_open) {
        ("", true) => None,
        (typed, _) => {
            let day = parse_form_date(typed);
            if day.is_none() {
                problems.push(crate::model::form::FieldProblem {
                    field,
                    message_key: "staff.coupon.error.date",
                });
            }
            day
        }
    };
    let (first, last) = (day(starts, starts_field), day(ends, ends_field));
    if let (Some(first), Some(last)) = (first, last) {
        if last < first {
            problems.push(crate::model::form::FieldProblem {
                field: ends_field,
                message_key: "staff.coupon.error.ends_before",
            });
        }
    }
    (
        first.map(start_of_istanbul_day),
        last.map(|last| start_of_istanbul_day(last + 1)),
    )
}

/// The first second (Unix) of day `days` in Türkiye.
pub fn start_of_istanbul_day(days: i64) -> i64 {
    days * DAY_SECONDS - ISTANBUL_OFFSET_SECONDS
}

/// The instant `seconds` as a form's date in Türkiye: `2026-12-24`.
pub fn istanbul_form_date(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(istanbul_day(seconds));
    format!("{year:04}-{month:02}-{day:02}")
}

/// The day in Türkiye that the instant `seconds` falls on, counted from 1970-01-01.
pub fn istanbul_day(seconds: i64) -> i64 {
    (seconds + ISTANBUL_OFFSET_SECONDS).div_euclid(DAY_SECONDS)
}

/// The instant `seconds` as a date in Türkiye, written the Turkish way: `15.12.2026`.
pub fn istanbul_date(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(istanbul_day(seconds));
    format!("{day:02}.{month:02}.{year:04}")
}

/// The last second (Unix) of the day in Türkiye `days` days after the day `seconds` falls on.
pub fn end_of_istanbul_day_after(seconds: i64, days: i64) -> i64 {
    (istanbul_day(seconds) + days + 1) * DAY_SECONDS - ISTANBUL_OFFSET_SECONDS - 1
}

/// An ISO-8601 UTC instant (`2026-11-25T08:14:13Z`) to the minute, as pages list events:
/// `2026-11-25 08:14`.
pub fn to_the_minute(iso: &str) -> String {
    iso.replace('T', " ")
        .get(..16)
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_dates_read_as_days_in_turkiye() {
        let days = parse_form_date("2026-12-24").unwrap();
        assert_eq!(civil_from_days(days), (2026, 12, 24));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_form_date("2026-02-31"), None);
        assert_eq!(parse_form_date("24.12.2026"), None);
        assert_eq!(parse_form_date(""), None);
        // Midnight in İstanbul is 21:00 UTC the day before.
        let start = start_of_istanbul_day(days);
        assert_eq!(istanbul_form_date(start), "2026-12-24");
        assert_eq!(istanbul_form_date(start - 1), "2026-12-23");
    }

    #[test]
    fn instants_are_listed_to_the_minute() {
        assert_eq!(to_the_minute("2026-11-25T08:14:13Z"), "2026-11-25 08:14");
        assert_eq!(to_the_minute("kısa"), "");
    }

    #[test]
    fn dates_are_read_in_turkiye() {
        // 2026-12-01T22:30:00Z is already 2 December in İstanbul.
        assert_eq!(istanbul_date(1_796_164_200), "02.12.2026");
        assert_eq!(istanbul_date(0), "01.01.1970");
    }

    #[test]
    fn the_end_of_a_later_day_is_its_last_second_in_turkiye() {
        // Delivered 2026-12-01 10:00 İstanbul (07:00Z); 14 days later ends 2026-12-15 23:59:59
        // İstanbul, which is 20:59:59Z.
        let delivered = 1_796_108_400;
        let end = end_of_istanbul_day_after(delivered, 14);
        assert_eq!(istanbul_date(end), "15.12.2026");
        assert_eq!(istanbul_date(end + 1), "16.12.2026");
        assert_eq!(end % DAY_SECONDS, 20 * 3600 + 59 * 60 + 59);
    }
}
