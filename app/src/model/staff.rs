//! The back office's people: staff with a role, logged in with a password and, for a
//! yonetici, a TOTP code from an authenticator app.

use serde::{Deserialize, Serialize};

use super::form::{Draft, FieldProblem, FormField};

/// What a member of staff may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StaffRole {
    /// Orders, messages, KVKK applications: the daily work. No catalogue, no staff.
    Destek,
    /// Everything, with a second factor.
    Yonetici,
}

impl StaffRole {
    pub fn code(self) -> &'static str {
        match self {
            Self::Destek => "destek",
            Self::Yonetici => "yonetici",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "destek" => Some(Self::Destek),
            "yonetici" => Some(Self::Yonetici),
            _ => None,
        }
    }

    /// Whether this role may do what `needed` may.
    pub fn covers(self, needed: StaffRole) -> bool {
        self >= needed
    }

    /// Whether a login with this role needs the second factor.
    pub fn needs_second_factor(self) -> bool {
        self == Self::Yonetici
    }
}

/// The member of staff a back-office request is made by (put on the request by the guard).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaffLoginField {
    Email,
    Password,
    Code,
}

impl FormField for StaffLoginField {
    const ALL: &'static [Self] = &[Self::Email, Self::Password, Self::Code];
    fn name(self) -> &'static str {
        match self {
            Self::Email => "eposta",
            Self::Password => "sifre",
            Self::Code => "kod",
        }
    }
    fn max_chars(self) -> usize {
        match self {
            Self::Email => 320,
            Self::Password => 228,
            Self::Code => 16,
        }
    }
}

/// The back office's login form: the address, the password and (for a yonetici) the code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffLoginDraft {
    pub email: String,
    pub password: String,
    pub code: String,
}

/// What a login form says, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffCredentials {
    pub email: String,
    pub password: String,
    /// The app's six digits or a recovery code, without spaces; empty when none was typed.
    pub code: String,
}

impl Draft for StaffLoginDraft {
    type Field = StaffLoginField;
    type Accepted = StaffCredentials;

    fn slot(&mut self, field: StaffLoginField) -> &mut String {
        match field {
            StaffLoginField::Email => &mut self.email,
            StaffLoginField::Password => &mut self.password,
            StaffLoginField::Code => &mut self.code,
        }
    }

    fn value(&self, field: StaffLoginField) -> &str {
        match field {
            StaffLoginField::Email => &self.email,
            StaffLoginField::Password => &self.password,
            StaffLoginField::Code => &self.code,
        }
    }

    fn validate(&self) -> Result<StaffCredentials, Vec<FieldProblem<StaffLoginField>>> {
        let email = self.email.trim().to_lowercase();
        let code: String = self.code.chars().filter(|c| !c.is_whitespace()).collect();
        let mut problems = Vec::new();
        if !email.contains('@') {
            problems.push(FieldProblem {
                field: StaffLoginField::Email,
                message_key: "staff.problem.email",
            });
        }
        if self.password.is_empty() {
            problems.push(FieldProblem {
                field: StaffLoginField::Password,
                message_key: "staff.problem.password",
            });
        }
        let app_code = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
        // A recovery code: ten letters and digits, perhaps typed with a dash or in lower case
        // (the server checks it against the ones it gave).
        let recovery_code = code
            .chars()
            .filter(|c| *c != '-')
            .filter(char::is_ascii_alphanumeric)
            .count()
            == 10
            && code.chars().all(|c| c == '-' || c.is_ascii_alphanumeric());
        if !code.is_empty() && !app_code && !recovery_code {
            problems.push(FieldProblem {
                field: StaffLoginField::Code,
                message_key: "staff.problem.code",
            });
        }
        if problems.is_empty() {
            Ok(StaffCredentials {
                email,
                password: self.password.clone(),
                code,
            })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yonetici_covers_destek_and_not_the_other_way() {
        assert!(StaffRole::Yonetici.covers(StaffRole::Destek));
        assert!(StaffRole::Destek.covers(StaffRole::Destek));
        assert!(!StaffRole::Destek.covers(StaffRole::Yonetici));
        assert!(StaffRole::Yonetici.needs_second_factor());
        assert!(!StaffRole::Destek.needs_second_factor());
        assert_eq!(StaffRole::from_code("yonetici"), Some(StaffRole::Yonetici));
    }

    #[test]
    fn the_login_reads_the_code_without_spaces_and_refuses_other_shapes() {
        let draft = StaffLoginDraft::from_fields([
            ("eposta", " Ops@LesMinoria.com "),
            ("sifre", "uzun bir şifre"),
            ("kod", "123 456"),
        ]);
        let accepted = draft.validate().unwrap();
        assert_eq!(accepted.email, "ops@lesminoria.com");
        assert_eq!(accepted.code, "123456");
        let problems =
            StaffLoginDraft::from_fields([("eposta", "x@y"), ("sifre", "p"), ("kod", "12a456")])
                .validate()
                .unwrap_err();
        assert_eq!(problems[0].field, StaffLoginField::Code);
    }
}

/// The back office's order list: which orders, and which page of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOrderFilter {
    /// An order status code (`on_hold`, `confirmed`…), or empty for all.
    pub status: String,
    /// A payment method code (`kart`, `havale`, `kapida`), or empty for all.
    pub payment: String,
    /// Part of an order number or of the customer's e-mail address.
    pub search: String,
    /// From this day (`YYYY-MM-DD`), inclusive; empty for no bound.
    pub from: String,
    /// 1-based.
    pub page: i64,
}

/// The query parameters of the order list, in the address so a view can be shared.
pub const ORDER_LIST_QUERY: &[&str] = &["durum", "odeme", "ara", "tarih", "sayfa"];
pub const ORDERS_PER_PAGE: i64 = 25;

impl StaffOrderFilter {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut filter = Self {
            page: 1,
            ..Self::default()
        };
        for (key, value) in pairs {
            let value: String = value.trim().chars().take(100).collect();
            match key {
                "durum" if crate::model::checkout::OrderStatus::from_code(&value).is_some() => {
                    filter.status = value
                }
                "odeme" if matches!(value.as_str(), "kart" | "havale" | "kapida") => {
                    filter.payment = value
                }
                "ara" => filter.search = value,
                "tarih"
                    if value.len() == 10
                        && value.bytes().enumerate().all(|(i, b)| {
                            if i == 4 || i == 7 {
                                b == b'-'
                            } else {
                                b.is_ascii_digit()
                            }
                        }) =>
                {
                    filter.from = value
                }
                "sayfa" => filter.page = value.parse::<i64>().unwrap_or(1).clamp(1, 10_000),
                _ => {}
            }
        }
        filter
    }

    /// The query string for this filter on page `page`.
    pub fn query(&self, page: i64) -> String {
        let mut pairs = Vec::new();
        for (key, value) in [
            ("durum", &self.status),
            ("odeme", &self.payment),
            ("ara", &self.search),
            ("tarih", &self.from),
        ] {
            if !value.is_empty() {
                pairs.push(format!(
                    "{key}={}",
                    crate::model::catalogue::encode_query_value(value)
                ));
            }
        }
        if page > 1 {
            pairs.push(format!("sayfa={page}"));
        }
        pairs.join("&")
    }
}

/// One row of the order list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOrderRow {
    pub number: String,
    pub created_at: String,
    pub status: crate::model::checkout::OrderStatus,
    pub fulfilment: Option<crate::model::checkout::order::Fulfilment>,
    pub payment_method: String,
    pub payment_status: crate::model::checkout::PaymentStatus,
    pub email: String,
    pub total: crate::model::Money,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOrderList {
    pub filter: StaffOrderFilter,
    pub rows: Vec<StaffOrderRow>,
    pub total_rows: i64,
}

/// An order as staff see it: everything the shopper sees, and who placed it from where, what
/// happened to it with the notes, and what staff did to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOrderDetail {
    pub order: crate::model::checkout::OrderView,
    pub email: String,
    pub ip: String,
    pub user_agent: String,
    /// (when, note) of every order event, oldest first.
    pub events: Vec<(String, String)>,
    /// (when, who, action, details), newest first.
    pub audit: Vec<(String, String, String, String)>,
    /// The money owed back after staff cancelled it or some of its pieces, oldest first.
    pub refunds: Vec<StaffRefundView>,
}

/// A refund of a cancellation, as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRefundView {
    pub id: i64,
    pub amount: crate::model::Money,
    /// `kart` or `havale`.
    pub method: String,
    pub refunded: bool,
    /// Asked of the provider and not answered: staff check its panel before anything else.
    pub unanswered: bool,
    pub error: Option<String>,
}

/// What the back office's first page counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDashboard {
    pub orders_today: i64,
    pub revenue_today: crate::model::Money,
    pub on_hold: i64,
    pub awaiting_transfer: i64,
    pub cayma_refunds_open: i64,
    pub cayma_refunds_overdue: i64,
    pub kvkk_open: i64,
    pub kvkk_overdue: i64,
    /// Orders per day for the last 14 days, oldest first: (day `YYYY-MM-DD`, count).
    pub orders_per_day: Vec<(String, i64)>,
    /// Variants on sale with [`LOW_STOCK`] or fewer left: (product slug, name, SKU, stock).
    pub low_stock: Vec<(String, String, String, i64)>,
    /// Refunds that need staff: refused by the provider, or asked and never answered (check
    /// the provider's panel first). (order number, what, the provider's words.)
    pub refunds_needing_staff: Vec<(String, String, String)>,
}

/// At or below this many pieces a variant on sale is "low" on the first page.
pub const LOW_STOCK: i64 = 2;

/// One contact message in the back office's inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMessage {
    pub id: i64,
    pub reference: String,
    /// `sikayet`, `oneri`, `soru`, `siparis`.
    pub topic: String,
    pub name: String,
    pub email: String,
    pub order_number: Option<String>,
    pub message: String,
    /// `yeni`, `inceleniyor`, `yanitlandi`, `kapandi`.
    pub status: String,
    pub created_at: String,
    /// (when, who, what was written), oldest first.
    pub replies: Vec<(String, String, String)>,
}

/// The inbox: messages with the status asked for (all when empty), new ones first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub status: String,
    pub messages: Vec<InboxMessage>,
}

/// The statuses a contact message moves through.
pub const MESSAGE_STATUSES: [&str; 4] = ["yeni", "inceleniyor", "yanitlandi", "kapandi"];

/// One KVKK application as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KvkkCase {
    pub id: i64,
    pub reference: String,
    pub right: crate::model::kvkk::KvkkRight,
    pub details: String,
    /// The applicant's address, while their account is open.
    pub email: Option<String>,
    pub status: String,
    pub created_at: String,
    pub due_at: String,
    pub overdue: bool,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
}

/// The KVKK applications, unanswered and overdue first, then by due date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KvkkDesk {
    pub cases: Vec<KvkkCase>,
}

/// One product in the back office's catalogue list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProductRow {
    pub slug: String,
    pub name: String,
    pub published: bool,
    pub variants: i64,
    pub stock: i64,
    pub lowest_price: crate::model::Money,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProducts {
    pub search: String,
    pub rows: Vec<StaffProductRow>,
    /// Every category (id, Turkish name, parent), for the new product and category forms.
    pub categories: Vec<(i64, String, Option<i64>)>,
}

/// A variant as staff edit it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffVariant {
    pub id: i64,
    pub sku: String,
    pub size: String,
    pub colour: String,
    pub price: crate::model::Money,
    pub compare_at: Option<crate::model::Money>,
    pub stock: i64,
}

/// A product as staff edit it: its names, whether it is on sale, its cayma exemption and its
/// variants' prices and stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProduct {
    pub id: i64,
    pub slug: String,
    pub name_tr: String,
    pub name_en: String,
    pub published: bool,
    pub cayma_exempt: Option<crate::model::cayma::CaymaExemption>,
    pub variants: Vec<StaffVariant>,
    /// Its images in order: (address, Turkish description).
    pub images: Vec<(String, String)>,
}

/// What the product form sends, read: every price in kuruş, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductChanges {
    pub name_tr: String,
    pub name_en: String,
    pub published: bool,
    pub cayma_exempt: Option<crate::model::cayma::CaymaExemption>,
    pub variants: Vec<VariantChange>,
}

/// One variant's new price, list price and stock. The stock is applied as the change from the
/// stock the form showed (`seen_stock`), so orders taken since the page was opened are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantChange {
    pub id: i64,
    pub price: crate::model::Money,
    pub compare_at: Option<crate::model::Money>,
    pub stock: i64,
    pub seen_stock: i64,
}

/// Reads a price as staff type it (`1.299,90`, `1299.90`, `1299`) into kuruş.
pub fn parse_price(typed: &str) -> Option<crate::model::Money> {
    let typed = typed.trim().replace(' ', "");
    if typed.is_empty() {
        return None;
    }
    // A comma is the decimal mark (Turkish); dots before it group thousands.
    let normalised = if typed.contains(',') {
        typed.replace('.', "").replace(',', ".")
    } else {
        typed
    };
    let (lira, kurus) = match normalised.split_once('.') {
        Some((lira, kurus)) if kurus.len() <= 2 => (lira, format!("{kurus:0<2}")),
        Some(_) => return None,
        None => (normalised.as_str(), "00".to_string()),
    };
    if lira.is_empty()
        || !lira.bytes().all(|b| b.is_ascii_digit())
        || !kurus.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let kurus: i64 = lira
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(kurus.parse().ok()?)?;
    (kurus <= 100_000_000).then_some(crate::model::Money(kurus))
}

#[cfg(test)]
mod price_tests {
    use super::*;
    use crate::model::Money;

    #[test]
    fn prices_are_read_as_staff_type_them() {
        assert_eq!(parse_price("1.299,90"), Some(Money(129_990)));
        assert_eq!(parse_price("1299.9"), Some(Money(129_990)));
        assert_eq!(parse_price("1299"), Some(Money(129_900)));
        assert_eq!(parse_price("0,5"), Some(Money(50)));
        assert_eq!(parse_price(""), None);
        assert_eq!(parse_price("12,345"), None);
        assert_eq!(parse_price("-5"), None);
        assert_eq!(parse_price("abc"), None);
    }
}

/// The consent ledgers searched by a visitor id or a member's e-mail.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentSearch {
    pub query: String,
    pub cookie_rows: Vec<CookieConsentRow>,
    pub marketing_rows: Vec<MarketingConsentRow>,
}

/// One cookie choice, as the ledger keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CookieConsentRow {
    pub at: String,
    pub visitor_id: String,
    /// `kabul`, `red`, `tercih`.
    pub action: String,
    pub functional: bool,
    pub analytics: bool,
    pub marketing: bool,
    pub policy_version: String,
    pub ip: String,
}

/// One marketing consent given or withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketingConsentRow {
    pub at: String,
    /// `eposta` or `sms`.
    pub channel: String,
    pub granted: bool,
    pub source: String,
    pub ip: Option<String>,
}

/// The e-mail outbox as staff see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxView {
    pub status: String,
    pub rows: Vec<OutboxRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// A member of staff as the team page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub second_factor: bool,
    pub disabled: bool,
    pub created_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub members: Vec<TeamMember>,
}

/// Shown once, right after a yonetici was created or promoted: the TOTP secret to put in
/// their authenticator app, and its `otpauth://` address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSecondFactor {
    pub email: String,
    pub secret: String,
    pub uri: String,
    /// Single-use codes for when the authenticator is lost.
    pub recovery_codes: Vec<String>,
}
