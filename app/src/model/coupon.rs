//! Discount codes ("indirim kodu"): what a code takes off a cart, and why a code is refused.
//! The checkout's summary, its review, placing the order and the back office's form all read
//! these rules, so the discount the shopper is shown is the one the order is charged.
//!
//! A discount is shared out over the lines it applies to in proportion to their value (largest
//! remainder, so the shares add up to the kuruş): the KDV of each rate is then computed on what
//! is actually charged, and a cayma refund gives back what was paid for the goods withdrawn.

use serde::{Deserialize, Serialize};

use super::form::{Draft, FieldProblem, FormField};
use super::Money;

/// The longest code staff may create (and a shopper may type).
pub const MAX_CODE_CHARS: usize = 32;

/// A code as shoppers and staff type it, written the one way it is stored: trimmed, upper
/// case (Turkish dotted and dotless i both become `I`), letters, digits and dashes only.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .trim()
        .chars()
        .map(|c| match c {
            'i' | 'ı' | 'İ' => 'I',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    let shaped = (3..=MAX_CODE_CHARS).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    shaped.then_some(code)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiscountKind {
    /// A percentage of the goods it applies to.
    Percent,
    /// A fixed amount off the goods it applies to (never more than they cost).
    Amount,
}

impl DiscountKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Percent => "yuzde",
            Self::Amount => "tutar",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "yuzde" => Some(Self::Percent),
            "tutar" => Some(Self::Amount),
            _ => None,
        }
    }
}

/// A discount code as stored, with its categories resolved to every category it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponRule {
    pub id: i64,
    pub code: String,
    pub description: String,
    pub kind: DiscountKind,
    /// Per cent (1–100) or kuruş, by `kind`.
    pub amount: i64,
    pub min_basket: Money,
    /// Unix seconds.
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub usage_limit: Option<i64>,
    pub per_customer_limit: Option<i64>,
    pub used_count: i64,
    pub active: bool,
    /// The categories it applies to, parents with their children; empty: every product.
    pub category_ids: Vec<i64>,
}

/// Why a code does not apply. Each has a sentence for the shopper (`message_key`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CouponRefusal {
    #[error("no such code")]
    Unknown,
    #[error("the code is not valid yet")]
    NotStarted,
    #[error("the code has ended")]
    Ended,
    #[error("the goods come to less than the code's minimum of {0:?}")]
    BelowMinimum(Money),
    #[error("nothing in the cart is in the code's categories")]
    NothingEligible,
    #[error("the code has been used as often as it may be")]
    UsedUp,
    #[error("this shopper has used the code as often as they may")]
    UsedByShopper,
}

impl CouponRefusal {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Unknown => "coupon.refused.unknown",
            Self::NotStarted => "coupon.refused.not_started",
            Self::Ended => "coupon.refused.ended",
            Self::BelowMinimum(_) => "coupon.refused.below_minimum",
            Self::NothingEligible => "coupon.refused.nothing_eligible",
            Self::UsedUp => "coupon.refused.used_up",
            Self::UsedByShopper => "coupon.refused.used_by_shopper",
        }
    }
}

/// One cart line as a discount sees it: what it costs and whether the code covers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiscountableLine {
    pub total: Money,
    pub eligible: bool,
}

/// A code applied: the amount off, and each line's share of it (in the cart's line order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    pub code: String,
    pub total: Money,
    pub per_line: Vec<Money>,
}

impl Discount {
    /// Line `index`'s share (zero for a line it does not cover).
    pub fn line(&self, index: usize) -> Money {
        self.per_line.get(index).copied().unwrap_or(Money::ZERO)
    }
}

impl CouponRule {
    /// What this code takes off `lines` at `now` (unix seconds), or why it does not apply.
    /// Whether the shop-wide and per-shopper limits are reached is the database's to say; the
    /// count read with the rule is checked here too, so a used-up code is refused early.
    pub fn apply(&self, lines: &[DiscountableLine], now: i64) -> Result<Discount, CouponRefusal> {
        if !self.active {
            return Err(CouponRefusal::Unknown);
        }
        if self.starts_at.is_some_and(|starts| now < starts) {
            return Err(CouponRefusal::NotStarted);
        }
        if self.ends_at.is_some_and(|ends| now >= ends) {
            return Err(CouponRefusal::Ended);
        }
        if self
            .usage_limit
            .is_some_and(|limit| self.used_count >= limit)
        {
            return Err(CouponRefusal::UsedUp);
        }
        let basket: i64 = lines.iter().map(|line| line.total.0).sum();
        if basket < self.min_basket.0 {
            return Err(CouponRefusal::BelowMinimum(self.min_basket));
        }
        let eligible: i64 = lines
            .iter()
            .filter(|line| line.eligible)
            .map(|line| line.total.0)
            .sum();
        if eligible <= 0 {
            return Err(CouponRefusal::NothingEligible);
        }
        let total = match self.kind {
            // Rounded half up to the kuruş.
            DiscountKind::Percent => (eligible * self.amount.clamp(0, 100) + 50) / 100,
            DiscountKind::Amount => self.amount.min(eligible),
        };
        if total <= 0 {
            // A percentage of goods worth less than a kuruş's worth of it.
            return Err(CouponRefusal::NothingEligible);
        }
        Ok(Discount {
            code: self.code.clone(),
            total: Money(total),
            per_line: share_out(total, lines),
        })
    }
}

/// `total` over the eligible lines in proportion to their value, largest remainder first (the
/// earlier line on a tie), so the shares add up to `total` exactly and none exceeds its line.
fn share_out(total: i64, lines: &[DiscountableLine]) -> Vec<Money> {
    let eligible: i64 = lines
        .iter()
        .filter(|line| line.eligible)
        .map(|line| line.total.0)
        .sum();
    if eligible <= 0 || total <= 0 {
        return vec![Money::ZERO; lines.len()];
    }
    let mut shares: Vec<i64> = Vec::with_capacity(lines.len());
    let mut remainders: Vec<(i64, usize)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if !line.eligible {
            shares.push(0);
            continue;
        }
        let exact = i128::from(total) * i128::from(line.total.0);
        let share = (exact / i128::from(eligible)) as i64;
        let remainder = (exact % i128::from(eligible)) as i64;
        shares.push(share);
        remainders.push((remainder, index));
    }
    let mut left = total - shares.iter().sum::<i64>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders {
        if left == 0 {
            break;
        }
        if shares[index] < lines[index].total.0 {
            shares[index] += 1;
            left -= 1;
        }
    }
    shares.into_iter().map(Money).collect()
}

/// The code form at checkout (the cart's "Ödemeye geç" carries the same field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CouponField {
    Code,
}

impl FormField for CouponField {
    const ALL: &'static [Self] = &[Self::Code];

    fn name(self) -> &'static str {
        crate::wire::checkout::COUPON_CODE
    }

    fn max_chars(self) -> usize {
        MAX_CODE_CHARS * 2
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CouponDraft {
    pub code: String,
}

impl Draft for CouponDraft {
    type Field = CouponField;
    type Accepted = String;

    fn slot(&mut self, _: CouponField) -> &mut String {
        &mut self.code
    }

    fn value(&self, _: CouponField) -> &str {
        &self.code
    }

    fn validate(&self) -> Result<String, Vec<FieldProblem<CouponField>>> {
        normalise_code(&self.code).ok_or_else(|| {
            vec![FieldProblem {
                field: CouponField::Code,
                message_key: if self.code.trim().is_empty() {
                    "coupon.refused.empty"
                } else {
                    "coupon.refused.unknown"
                },
            }]
        })
    }
}

/// The back office's form for a discount code (a yonetici's): new, or the one being changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CouponRuleField {
    Code,
    Description,
    Kind,
    Amount,
    MinBasket,
    Starts,
    Ends,
    UsageLimit,
    PerCustomerLimit,
    Active,
}

impl FormField for CouponRuleField {
    const ALL: &'static [Self] = &[
        Self::Code,
        Self::Description,
        Self::Kind,
        Self::Amount,
        Self::MinBasket,
        Self::Starts,
        Self::Ends,
        Self::UsageLimit,
        Self::PerCustomerLimit,
        Self::Active,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Code => "kod",
            Self::Description => "aciklama",
            Self::Kind => "tur",
            Self::Amount => "deger",
            Self::MinBasket => "en_az",
            Self::Starts => "baslangic",
            Self::Ends => "bitis",
            Self::UsageLimit => "limit",
            Self::PerCustomerLimit => "kisi_limiti",
            Self::Active => "etkin",
        }
    }

    fn max_chars(self) -> usize {
        match self {
            Self::Description => 200,
            Self::Code => MAX_CODE_CHARS * 2,
            _ => 20,
        }
    }
}

/// The form's field for the categories a code applies to (checkboxes, one value each).
pub const CATEGORY_FIELD: &str = "kategori";

/// The code form as typed. The categories ticked travel beside the fields (several values of
/// one name), read by the handler into `category_ids`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CouponRuleDraft {
    pub code: String,
    pub description: String,
    pub kind: String,
    pub amount: String,
    pub min_basket: String,
    pub starts: String,
    pub ends: String,
    pub usage_limit: String,
    pub per_customer_limit: String,
    pub active: String,
    pub category_ids: Vec<i64>,
}

/// A discount code as staff set it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponChanges {
    pub code: String,
    pub description: String,
    pub kind: DiscountKind,
    pub amount: i64,
    pub min_basket: Money,
    /// The first second of the start day and the last of the end day, in Türkiye.
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub usage_limit: Option<i64>,
    pub per_customer_limit: Option<i64>,
    pub active: bool,
    pub category_ids: Vec<i64>,
}

impl CouponRuleDraft {
    /// The form filled with `rule` as stored, to change it.
    pub fn of(rule: &CouponRule) -> Self {
        use super::date::istanbul_form_date;
        let typed_price = |money: Money| format!("{},{:02}", money.0 / 100, money.0 % 100);
        Self {
            code: rule.code.clone(),
            description: rule.description.clone(),
            kind: rule.kind.code().to_string(),
            amount: match rule.kind {
                DiscountKind::Percent => rule.amount.to_string(),
                DiscountKind::Amount => typed_price(Money(rule.amount)),
            },
            min_basket: if rule.min_basket.0 > 0 {
                typed_price(rule.min_basket)
            } else {
                String::new()
            },
            starts: rule.starts_at.map(istanbul_form_date).unwrap_or_default(),
            // Stored as the next day's first second: the day before it is the last one.
            ends: rule
                .ends_at
                .map(|ends| istanbul_form_date(ends - 1))
                .unwrap_or_default(),
            usage_limit: rule.usage_limit.map(|n| n.to_string()).unwrap_or_default(),
            per_customer_limit: rule
                .per_customer_limit
                .map(|n| n.to_string())
                .unwrap_or_default(),
            active: if rule.active { "1" } else { "" }.to_string(),
            category_ids: rule.category_ids.clone(),
        }
    }
}

fn limit(typed: &str) -> Result<Option<i64>, ()> {
    match typed.trim() {
        "" => Ok(None),
        typed => match typed.parse::<i64>() {
            Ok(n) if (1..=1_000_000).contains(&n) => Ok(Some(n)),
            _ => Err(()),
        },
    }
}

impl Draft for CouponRuleDraft {
    type Field = CouponRuleField;
    type Accepted = CouponChanges;

    fn slot(&mut self, field: CouponRuleField) -> &mut String {
        match field {
            CouponRuleField::Code => &mut self.code,
            CouponRuleField::Description => &mut self.description,
            CouponRuleField::Kind => &mut self.kind,
            CouponRuleField::Amount => &mut self.amount,
            CouponRuleField::MinBasket => &mut self.min_basket,
            CouponRuleField::Starts => &mut self.starts,
            CouponRuleField::Ends => &mut self.ends,
            CouponRuleField::UsageLimit => &mut self.usage_limit,
            CouponRuleField::PerCustomerLimit => &mut self.per_customer_limit,
            CouponRuleField::Active => &mut self.active,
        }
    }

    fn value(&self, field: CouponRuleField) -> &str {
        match field {
            CouponRuleField::Code => &self.code,
            CouponRuleField::Description => &self.description,
            CouponRuleField::Kind => &self.kind,
            CouponRuleField::Amount => &self.amount,
            CouponRuleField::MinBasket => &self.min_basket,
            CouponRuleField::Starts => &self.starts,
            CouponRuleField::Ends => &self.ends,
            CouponRuleField::UsageLimit => &self.usage_limit,
            CouponRuleField::PerCustomerLimit => &self.per_customer_limit,
            CouponRuleField::Active => &self.active,
        }
    }

    fn validate(&self) -> Result<CouponChanges, Vec<FieldProblem<CouponRuleField>>> {
        use super::date::day_range;
        use super::staff::parse_price;
        use CouponRuleField as F;
        let mut problems = Vec::new();
        let code = normalise_code(&self.code);
        if code.is_none() {
            problems.push(FieldProblem {
                field: F::Code,
                message_key: "staff.coupon.error.code",
            });
        }
        let kind = DiscountKind::from_code(&self.kind);
        let amount = match kind {
            Some(DiscountKind::Percent) => self
                .amount
                .trim()
                .trim_start_matches('%')
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=100).contains(n)),
            Some(DiscountKind::Amount) => parse_price(&self.amount)
                .map(|money| money.0)
                .filter(|n| *n > 0),
            None => {
                problems.push(FieldProblem {
                    field: F::Kind,
                    message_key: "staff.coupon.error.kind",
                });
                None
            }
        };
        if kind.is_some() && amount.is_none() {
            problems.push(FieldProblem {
                field: F::Amount,
                message_key: "staff.coupon.error.amount",
            });
        }
        let min_basket = match self.min_basket.trim() {
            "" => Some(Money::ZERO),
            typed => parse_price(typed),
        };
        if min_basket.is_none() {
            problems.push(FieldProblem {
                field: F::MinBasket,
                message_key: "staff.coupon.error.price",
            });
        }
        let (starts_at, ends_at) = day_range(
            (&self.starts, F::Starts),
            (&self.ends, F::Ends),
            true,
            &mut problems,
        );
        let usage_limit = limit(&self.usage_limit);
        if usage_limit.is_err() {
            problems.push(FieldProblem {
                field: F::UsageLimit,
                message_key: "staff.coupon.error.limit",
            });
        }
        let per_customer_limit = limit(&self.per_customer_limit);
        if per_customer_limit.is_err() {
            problems.push(FieldProblem {
                field: F::PerCustomerLimit,
                message_key: "staff.coupon.error.limit",
            });
        }
        match (
            code,
            kind,
            amount,
            min_basket,
            usage_limit,
            per_customer_limit,
        ) {
            (
                Some(code),
                Some(kind),
                Some(amount),
                Some(min_basket),
                Ok(usage_limit),
                Ok(per_customer_limit),
            ) if problems.is_empty() => Ok(CouponChanges {
                code,
                description: self.description.trim().to_string(),
                kind,
                amount,
                min_basket,
                starts_at,
                ends_at,
                usage_limit,
                per_customer_limit,
                active: self.active == "1",
                category_ids: self.category_ids.clone(),
            }),
            _ => Err(problems),
        }
    }
}

/// Every code, and the categories a code may be limited to: (id, name, parent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponDesk {
    pub rules: Vec<CouponRule>,
    pub categories: Vec<(i64, String, Option<i64>)>,
    /// The code whose form is open to change it (`?duzenle=`).
    pub editing: Option<CouponRule>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: DiscountKind, amount: i64) -> CouponRule {
        CouponRule {
            id: 1,
            code: "KIS10".into(),
            description: String::new(),
            kind,
            amount,
            min_basket: Money::ZERO,
            starts_at: None,
            ends_at: None,
            usage_limit: None,
            per_customer_limit: None,
            used_count: 0,
            active: true,
            category_ids: Vec::new(),
        }
    }

    fn line(total: i64, eligible: bool) -> DiscountableLine {
        DiscountableLine {
            total: Money(total),
            eligible,
        }
    }

    #[test]
    fn codes_are_read_in_one_spelling() {
        assert_eq!(normalise_code("  kış-10 "), None, "ş is not a code letter");
        assert_eq!(normalise_code(" yaz-10 ").as_deref(), Some("YAZ-10"));
        assert_eq!(normalise_code("ilkbahar").as_deref(), Some("ILKBAHAR"));
        assert_eq!(normalise_code("ılık").as_deref(), Some("ILIK"));
        assert_eq!(normalise_code("ab"), None);
        assert_eq!(normalise_code("KOD 10"), None);
        assert_eq!(normalise_code(&"A".repeat(33)), None);
    }

    #[test]
    fn a_percentage_is_shared_over_the_lines_in_proportion_and_adds_up() {
        // 10 % of 333,33 + 333,33 + 333,34 = 100,00, shared 33,33 / 33,33 / 33,34.
        let lines = [line(33_333, true), line(33_333, true), line(33_334, true)];
        let discount = rule(DiscountKind::Percent, 10).apply(&lines, 0).unwrap();
        assert_eq!(discount.total, Money(10_000));
        assert_eq!(
            discount.per_line,
            [Money(3_333), Money(3_333), Money(3_334)]
        );
        // 15 % of 0,99 = 0,1485 → 0,15 (half up).
        let discount = rule(DiscountKind::Percent, 15)
            .apply(&[line(99, true)], 0)
            .unwrap();
        assert_eq!(discount.total, Money(15));
    }

    #[test]
    fn only_the_covered_lines_are_discounted_and_a_fixed_amount_never_exceeds_them() {
        let lines = [line(50_000, false), line(20_000, true), line(10_000, true)];
        let discount = rule(DiscountKind::Amount, 100_000)
            .apply(&lines, 0)
            .unwrap();
        assert_eq!(discount.total, Money(30_000));
        assert_eq!(discount.per_line, [Money(0), Money(20_000), Money(10_000)]);
        let discount = rule(DiscountKind::Amount, 100).apply(&lines, 0).unwrap();
        assert_eq!(discount.per_line, [Money(0), Money(67), Money(33)]);
        assert_eq!(
            rule(DiscountKind::Amount, 100).apply(&[line(5_000, false)], 0),
            Err(CouponRefusal::NothingEligible)
        );
    }

    #[test]
    fn dates_minimum_limits_and_switching_off_refuse_with_their_reason() {
        let lines = [line(40_000, true)];
        let mut code = rule(DiscountKind::Percent, 10);
        code.starts_at = Some(100);
        code.ends_at = Some(200);
        assert_eq!(code.apply(&lines, 99), Err(CouponRefusal::NotStarted));
        assert!(code.apply(&lines, 100).is_ok());
        assert_eq!(code.apply(&lines, 200), Err(CouponRefusal::Ended));
        let mut code = rule(DiscountKind::Percent, 10);
        code.min_basket = Money(50_000);
        assert_eq!(
            code.apply(&lines, 0),
            Err(CouponRefusal::BelowMinimum(Money(50_000)))
        );
        let mut code = rule(DiscountKind::Percent, 10);
        code.usage_limit = Some(3);
        code.used_count = 3;
        assert_eq!(code.apply(&lines, 0), Err(CouponRefusal::UsedUp));
        let mut code = rule(DiscountKind::Percent, 10);
        code.active = false;
        assert_eq!(code.apply(&lines, 0), Err(CouponRefusal::Unknown));
    }

    #[test]
    fn the_staff_form_reads_dates_as_whole_days_in_turkiye_and_refuses_what_cannot_be() {
        let draft = CouponRuleDraft {
            code: "yilbasi-25".into(),
            kind: "yuzde".into(),
            amount: "25".into(),
            min_basket: "1.000,00".into(),
            starts: "2026-12-24".into(),
            ends: "2026-12-31".into(),
            usage_limit: "100".into(),
            active: "1".into(),
            category_ids: vec![3],
            ..CouponRuleDraft::default()
        };
        let changes = draft.validate().unwrap();
        assert_eq!(changes.code, "YILBASI-25");
        assert_eq!(changes.min_basket, Money(100_000));
        // 24 December 00:00 in İstanbul to 1 January 00:00.
        assert_eq!(changes.starts_at, Some(1_798_059_600));
        assert_eq!(changes.ends_at, Some(1_798_750_800));
        let mut stored = rule(DiscountKind::Percent, 25);
        stored.starts_at = changes.starts_at;
        stored.ends_at = changes.ends_at;
        stored.min_basket = changes.min_basket;
        let again = CouponRuleDraft::of(&stored);
        assert_eq!(
            (again.starts.as_str(), again.ends.as_str()),
            ("2026-12-24", "2026-12-31")
        );
        assert_eq!(again.min_basket, "1000,00");

        let wrong = CouponRuleDraft {
            code: "x".into(),
            kind: "yuzde".into(),
            amount: "150".into(),
            starts: "2026-12-31".into(),
            ends: "2026-12-24".into(),
            usage_limit: "0".into(),
            ..CouponRuleDraft::default()
        };
        let fields: Vec<CouponRuleField> = wrong
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|problem| problem.field)
            .collect();
        assert_eq!(
            fields,
            [
                CouponRuleField::Code,
                CouponRuleField::Amount,
                CouponRuleField::Ends,
                CouponRuleField::UsageLimit
            ]
        );
    }
}
