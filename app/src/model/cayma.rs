//! Cayma hakkı (Mesafeli Sözleşmeler Yönetmeliği m.9–15): the shopper may withdraw from the
//! contract for any line of an order, without a reason, from the order's confirmation until
//! 14 days after delivery; goods made to their specification and hygiene goods whose seal was
//! opened are exempt (m.15). The shop refunds everything for the withdrawn goods, the original
//! delivery too when the whole order is withdrawn, within 14 days of the notice (m.12), on the
//! instrument paid with: the card through the payment provider, a transfer to the IBAN the
//! shopper gives for havale/EFT and kapıda ödeme.

use serde::{Deserialize, Serialize};

use super::date::{end_of_istanbul_day_after, DAY_SECONDS};
use super::form::{Draft, FieldProblem, FormField};
use super::Money;

/// Days after delivery in which a cayma may be declared (m.9).
pub const CAYMA_DAYS: i64 = 14;
/// Days after the notice within which everything is refunded (m.12).
pub const REFUND_DAYS: i64 = 14;
/// Days after the notice within which the shopper sends the goods back (m.13).
pub const RETURN_DAYS: i64 = 10;
/// The most pieces of one line a form may name (an order line's own bound is lower).
const MAX_QUANTITY: i64 = 99;

/// Why a product cannot be withdrawn from (m.15), as the catalogue and the order line say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaymaExemption {
    /// m.15/1-b: made to the buyer's specification (tailoring, monogram, print).
    Personalised,
    /// m.15/1-ç: underwear, swimwear, earrings: no return once their seal is opened.
    Hygiene,
}

impl CaymaExemption {
    pub fn code(self) -> &'static str {
        match self {
            Self::Personalised => "kisiye_ozel",
            Self::Hygiene => "hijyen",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "kisiye_ozel" => Some(Self::Personalised),
            "hijyen" => Some(Self::Hygiene),
            _ => None,
        }
    }

    /// Whether a notice may still name such goods: hygiene goods may come back while their
    /// seal is intact (before delivery, or unopened), which staff judge when they arrive; goods
    /// made to the buyer's specification never.
    pub fn may_be_requested(self) -> bool {
        self == Self::Hygiene
    }

    /// The key of the sentence that tells the shopper why.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Personalised => "cayma.exempt.personalised",
            Self::Hygiene => "cayma.exempt.hygiene",
        }
    }
}

/// The last second (Unix) in which a cayma may be declared for goods delivered at
/// `delivered_at`: the end, in Türkiye, of the 14th day after the day of delivery (the day of
/// delivery itself is not counted, as Türk Borçlar Kanunu m.92 counts periods).
pub fn deadline(delivered_at: i64) -> i64 {
    end_of_istanbul_day_after(delivered_at, CAYMA_DAYS)
}

/// When the refund for a notice received at `noticed_at` is due at the latest (m.12).
pub fn refund_due(noticed_at: i64) -> i64 {
    noticed_at + REFUND_DAYS * DAY_SECONDS
}

/// How the money goes back: on the instrument the order was paid with (m.12/2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefundMethod {
    /// To the card, through the payment provider.
    Card,
    /// By bank transfer to the IBAN the shopper gave (havale/EFT, kapıda ödeme).
    BankTransfer,
}

impl RefundMethod {
    pub fn code(self) -> &'static str {
        match self {
            Self::Card => "kart",
            Self::BankTransfer => "havale",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "kart" => Some(Self::Card),
            "havale" => Some(Self::BankTransfer),
            _ => None,
        }
    }
}

/// Where a request stands, as the shopper sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaymaStatus {
    /// Received; the refund is owed by `refund_due_at`.
    Received,
    /// The refund was sent to the provider and its answer is awaited (or must be checked).
    Refunding,
    /// The money went back.
    Refunded,
    /// Nothing had been paid (kapıda ödeme before delivery): nothing to give back.
    NothingPaid,
}

impl CaymaStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Received => "cayma.status.received",
            Self::Refunding => "cayma.status.refunding",
            Self::Refunded => "cayma.status.refunded",
            Self::NothingPaid => "cayma.status.nothing_paid",
        }
    }
}

/// One withdrawal request as the order page and its e-mails show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaymaRequestView {
    pub id: i64,
    /// `LM-2026-000123-C1`: the order's number and the request's place among its requests.
    pub reference: String,
    /// When the notice was received (Unix seconds).
    pub noticed_at: i64,
    /// What is withdrawn: the line's name and variant, and how many.
    pub lines: Vec<(String, String, i64)>,
    pub refund: Money,
    pub refund_method: RefundMethod,
    pub refund_due_at: i64,
    pub status: CaymaStatus,
    /// When the money went back (Unix seconds).
    pub refunded_at: Option<i64>,
    /// When staff received and checked the goods sent back (Unix seconds).
    pub goods_received_at: Option<i64>,
}

/// An order's cayma, as its page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCayma {
    /// When the goods were delivered (Unix seconds), once the courier reported it.
    pub delivered_at: Option<i64>,
    /// Whether a request can be made now: the order is paid or due on delivery, not past its
    /// deadline, and some line can still be withdrawn.
    pub open: bool,
    pub requests: Vec<CaymaRequestView>,
}

impl OrderCayma {
    pub fn deadline(&self) -> Option<i64> {
        self.delivered_at.map(deadline)
    }
}

/// The cayma form's fields. The quantities are one field per order line (`adet-{line id}`,
/// [`crate::wire::cayma::QUANTITY_PREFIX`]), gathered into [`CaymaField::Lines`] as
/// `id:quantity,…` so that a refused form shows what was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaymaField {
    Lines,
    Reason,
    Iban,
    Holder,
}

impl FormField for CaymaField {
    const ALL: &'static [Self] = &[Self::Lines, Self::Reason, Self::Iban, Self::Holder];
    fn name(self) -> &'static str {
        match self {
            Self::Lines => "adetler",
            Self::Reason => "gerekce",
            Self::Iban => "iban",
            Self::Holder => "hesap_sahibi",
        }
    }
    fn max_chars(self) -> usize {
        match self {
            Self::Lines => 2_000,
            Self::Reason => 1_000,
            Self::Iban => 64,
            Self::Holder => 200,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaymaDraft {
    pub lines: String,
    pub reason: String,
    pub iban: String,
    pub holder: String,
}

/// Where a transfer refund goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundAccount {
    /// Without spaces, upper case: `TR330006100519786457841326`.
    pub iban: String,
    pub holder: String,
}

/// A cayma form that reads well; the order decides whether it can be granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaymaForm {
    /// (order line id, how many), each line once, quantities above zero.
    pub lines: Vec<(i64, i64)>,
    pub reason: String,
    pub account: Option<RefundAccount>,
}

/// The reason is optional (m.9: "without giving a reason"); it is kept when given.
pub const REASON_MAX_CHARS: usize = 500;

impl CaymaDraft {
    /// The quantity chosen for order line `line`, as typed (0 when none).
    pub fn quantity(&self, line: i64) -> i64 {
        parse_lines(&self.lines)
            .into_iter()
            .find(|(id, _)| *id == line)
            .map_or(0, |(_, quantity)| quantity)
    }
}

fn parse_lines(text: &str) -> Vec<(i64, i64)> {
    text.split(',')
        .filter_map(|pair| {
            let (id, quantity) = pair.split_once(':')?;
            Some((id.trim().parse().ok()?, quantity.trim().parse().ok()?))
        })
        .collect()
}

impl Draft for CaymaDraft {
    type Field = CaymaField;
    type Accepted = CaymaForm;

    fn slot(&mut self, field: CaymaField) -> &mut String {
        match field {
            CaymaField::Lines => &mut self.lines,
            CaymaField::Reason => &mut self.reason,
            CaymaField::Iban => &mut self.iban,
            CaymaField::Holder => &mut self.holder,
        }
    }

    fn value(&self, field: CaymaField) -> &str {
        match field {
            CaymaField::Lines => &self.lines,
            CaymaField::Reason => &self.reason,
            CaymaField::Iban => &self.iban,
            CaymaField::Holder => &self.holder,
        }
    }

    /// Reads the named fields as any draft does, and each line's quantity field into `lines`.
    fn from_fields<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut draft = Self::default();
        let mut lines = Vec::new();
        for (key, value) in fields {
            if let Some(id) = key.strip_prefix(crate::wire::cayma::QUANTITY_PREFIX) {
                if let (Ok(id), Ok(quantity)) = (id.parse::<i64>(), value.trim().parse::<i64>()) {
                    if quantity != 0 && lines.len() < 200 {
                        lines.push(format!("{id}:{quantity}"));
                    }
                }
                continue;
            }
            let Some(field) = CaymaField::ALL.iter().find(|f| f.name() == key) else {
                continue;
            };
            if *field == CaymaField::Lines {
                continue;
            }
            *draft.slot(*field) = value.chars().take(field.max_chars()).collect();
        }
        draft.lines = lines.join(",");
        draft
    }

    fn validate(&self) -> Result<CaymaForm, Vec<FieldProblem<CaymaField>>> {
        let mut problems = Vec::new();
        let mut lines: Vec<(i64, i64)> = Vec::new();
        for (id, quantity) in parse_lines(&self.lines) {
            if !(1..=MAX_QUANTITY).contains(&quantity) || lines.iter().any(|(seen, _)| *seen == id)
            {
                problems.push(FieldProblem {
                    field: CaymaField::Lines,
                    message_key: "cayma.problem.quantity",
                });
                break;
            }
            lines.push((id, quantity));
        }
        if lines.is_empty() && problems.is_empty() {
            problems.push(FieldProblem {
                field: CaymaField::Lines,
                message_key: "cayma.problem.no_line",
            });
        }
        let reason = self.reason.trim().to_string();
        if reason.chars().count() > REASON_MAX_CHARS {
            problems.push(FieldProblem {
                field: CaymaField::Reason,
                message_key: "cayma.problem.reason_long",
            });
        }
        let iban = normalise_iban(&self.iban);
        let holder = self.holder.trim().to_string();
        let account = if iban.is_empty() && holder.is_empty() {
            None
        } else {
            if !is_valid_tr_iban(&iban) {
                problems.push(FieldProblem {
                    field: CaymaField::Iban,
                    message_key: "cayma.problem.iban",
                });
            }
            if holder.chars().count() < 3 || holder.chars().count() > 120 {
                problems.push(FieldProblem {
                    field: CaymaField::Holder,
                    message_key: "cayma.problem.holder",
                });
            }
            Some(RefundAccount { iban, holder })
        };
        if problems.is_empty() {
            Ok(CaymaForm {
                lines,
                reason,
                account,
            })
        } else {
            Err(problems)
        }
    }
}

/// An IBAN as typed, without spaces and in capitals.
pub fn normalise_iban(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether `iban` (normalised) is a Turkish IBAN: `TR`, two check digits, 22 digits, and the
/// ISO 13616 check (the number read with the country moved to the end is 1 modulo 97).
pub fn is_valid_tr_iban(iban: &str) -> bool {
    if iban.len() != 26 || !iban.starts_with("TR") || !iban[2..].bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    let mut remainder: u32 = 0;
    for c in rearranged.chars() {
        let value = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return false,
        };
        let width = if value >= 10 { 100 } else { 10 };
        remainder = (remainder * width + value) % 97;
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_ibans_are_checked() {
        assert!(is_valid_tr_iban(&normalise_iban(
            "TR33 0006 1005 1978 6457 8413 26"
        )));
        assert!(is_valid_tr_iban(&normalise_iban(
            "tr330006100519786457841326"
        )));
        // One digit changed, another country, too short.
        assert!(!is_valid_tr_iban("TR330006100519786457841327"));
        assert!(!is_valid_tr_iban("DE89370400440532013000"));
        assert!(!is_valid_tr_iban("TR33000610051978645784132"));
    }

    #[test]
    fn the_deadline_is_the_end_of_the_fourteenth_day_after_delivery() {
        // Delivered 2026-12-01 10:00 in İstanbul: open until 15.12.2026 23:59:59 there.
        let delivered = 1_796_108_400;
        assert_eq!(
            crate::model::date::istanbul_date(deadline(delivered)),
            "15.12.2026"
        );
        assert_eq!(
            crate::model::date::istanbul_date(deadline(delivered) + 1),
            "16.12.2026"
        );
        assert_eq!(refund_due(delivered) - delivered, 14 * 86_400);
    }

    #[test]
    fn the_form_reads_each_lines_quantity_and_keeps_what_was_typed() {
        let draft = CaymaDraft::from_fields([
            ("adet-12", "1"),
            ("adet-13", "0"),
            ("adet-14", "2"),
            ("adet-x", "5"),
            ("gerekce", "Beden olmadı"),
        ]);
        assert_eq!(draft.lines, "12:1,14:2");
        assert_eq!(draft.quantity(14), 2);
        assert_eq!(draft.quantity(13), 0);
        let form = draft.validate().expect("a good form");
        assert_eq!(form.lines, vec![(12, 1), (14, 2)]);
        assert_eq!(form.reason, "Beden olmadı");
        assert_eq!(form.account, None);
    }

    #[test]
    fn a_form_without_a_line_or_with_a_bad_iban_is_refused_beside_its_fields() {
        let problems = CaymaDraft::from_fields([("adet-12", "0")])
            .validate()
            .unwrap_err();
        assert_eq!(problems[0].field, CaymaField::Lines);
        let problems = CaymaDraft::from_fields([
            ("adet-12", "1"),
            ("iban", "TR33 0006 1005 1978 6457 8413 27"),
            ("hesap_sahibi", "Ay"),
        ])
        .validate()
        .unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec![CaymaField::Iban, CaymaField::Holder]);
        let problems = CaymaDraft::from_fields([("adet-12", "-1")])
            .validate()
            .unwrap_err();
        assert_eq!(problems[0].message_key, "cayma.problem.quantity");
    }

    #[test]
    fn exemption_codes_read_back() {
        for exemption in [CaymaExemption::Personalised, CaymaExemption::Hygiene] {
            assert_eq!(CaymaExemption::from_code(exemption.code()), Some(exemption));
        }
        assert_eq!(CaymaExemption::from_code("başka"), None);
    }

    #[test]
    fn hygiene_goods_may_be_named_and_made_to_order_goods_never() {
        let line = |exempt| crate::model::checkout::OrderLineView {
            id: 1,
            sku: "X".into(),
            name: "X".into(),
            colour: "X".into(),
            size: "M".into(),
            unit_price: Money(1_000),
            kdv_rate: 10,
            quantity: 2,
            cayma_exempt: exempt,
            withdrawn: 1,
            cancelled: 0,
            discount: Money::ZERO,
        };
        assert_eq!(line(None).withdrawable(), 1);
        assert_eq!(line(Some(CaymaExemption::Hygiene)).withdrawable(), 1);
        assert_eq!(line(Some(CaymaExemption::Personalised)).withdrawable(), 0);
    }
}
