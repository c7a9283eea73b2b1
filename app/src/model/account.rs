//! Membership's forms and what a member's pages show: registering, logging in, asking for and
//! choosing a new password, and Hesabım's profile, password and contact preferences. Every form is
//! on the form kit (`model::form`); the rules that need the server (a password's commonness, an
//! address already taken) are checked by `backend::accounts`.

use serde::{Deserialize, Serialize};

use crate::model::checkout::details::{check_address, Address};
use crate::model::contact::{is_plausible_email, EMAIL_MAX_CHARS, NAME_MAX_CHARS};
use crate::model::form::{Draft, FieldProblem, FormField};

/// The longest password kept; the backend's rules refuse longer (`backend::password`).
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Declares a form's field enum, its draft (one `String` per field) and their form-kit
/// impls; the draft's rules are its own `check` method.
macro_rules! account_form {
    ($(#[$meta:meta])* $draft:ident, $field:ident, $accepted:ty {
        $($variant:ident => $slot:ident : $name:literal, $max:expr;)+
    }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $field { $($variant),+ }

        impl FormField for $field {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn name(self) -> &'static str {
                match self { $(Self::$variant => $name),+ }
            }
            fn max_chars(self) -> usize {
                match self { $(Self::$variant => $max),+ }
            }
        }

        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $draft { $(pub $slot: String),+ }

        impl Draft for $draft {
            type Field = $field;
            type Accepted = $accepted;
            fn slot(&mut self, field: $field) -> &mut String {
                match field { $($field::$variant => &mut self.$slot),+ }
            }
            fn value(&self, field: $field) -> &str {
                match field { $($field::$variant => &self.$slot),+ }
            }
            fn validate(&self) -> Result<$accepted, Vec<FieldProblem<$field>>> {
                self.check()
            }
        }
    };
}

const EMAIL_CHARS: usize = EMAIL_MAX_CHARS + 100;
const NAME_CHARS: usize = NAME_MAX_CHARS + 100;
/// A password is never cut: one longer than the rules allow is refused, not shortened.
const PASSWORD_CHARS: usize = PASSWORD_MAX_CHARS + 100;
const PHONE_CHARS: usize = 32;
const TOKEN_CHARS: usize = 128;

account_form!(
    /// "Üye ol".
    RegisterDraft, RegisterField, NewMember {
        Name => name: "ad", NAME_CHARS;
        Email => email: "eposta", EMAIL_CHARS;
        Phone => phone: "telefon", PHONE_CHARS;
        Password => password: "sifre", PASSWORD_CHARS;
        MarketingEmail => marketing_email: "izin_eposta", 8;
        MarketingSms => marketing_sms: "izin_sms", 8;
    }
);

account_form!(
    /// "Giriş yap".
    LoginDraft, LoginField, Credentials {
        Email => email: "eposta", EMAIL_CHARS;
        Password => password: "sifre", PASSWORD_CHARS;
        // Where to go after logging in (hidden; `safe_next` decides whether it is followed).
        Next => next: "sonra", 512;
    }
);

account_form!(
    /// "Şifremi unuttum": the address to send a link to.
    ForgotDraft, ForgotField, String {
        Email => email: "eposta", EMAIL_CHARS;
    }
);

account_form!(
    /// The page the reset link opens: the link's token and the new password.
    ResetDraft, ResetField, NewPassword {
        Token => token: "anahtar", TOKEN_CHARS;
        Password => password: "yeni_sifre", PASSWORD_CHARS;
    }
);

account_form!(
    /// Hesabım › Profil.
    ProfileDraft, ProfileField, Profile {
        Name => name: "ad", NAME_CHARS;
        Phone => phone: "telefon", PHONE_CHARS;
    }
);

account_form!(
    /// Hesabım › Şifre değiştir.
    PasswordChangeDraft, PasswordChangeField, PasswordChange {
        Current => current: "mevcut_sifre", PASSWORD_CHARS;
        New => new: "yeni_sifre", PASSWORD_CHARS;
    }
);

account_form!(
    /// Hesabım › E-posta adresini değiştir: the new address, and the password to confirm.
    EmailChangeDraft, EmailChangeField, Credentials {
        Email => email: "yeni_eposta", EMAIL_CHARS;
        Password => password: "sifre_eposta", PASSWORD_CHARS;
    }
);

impl EmailChangeDraft {
    fn check(&self) -> Result<Credentials, Vec<FieldProblem<EmailChangeField>>> {
        let mut problems = Vec::new();
        let email = checked_email(&self.email, EmailChangeField::Email, &mut problems);
        checked_password(&self.password, EmailChangeField::Password, &mut problems);
        done(
            Credentials {
                email,
                password: self.password.clone(),
            },
            problems,
        )
    }
}

account_form!(
    /// Hesabım › Üyeliği sonlandır: the password, to confirm.
    CloseDraft, CloseField, String {
        Password => password: "sifre_onay", PASSWORD_CHARS;
    }
);

impl CloseDraft {
    fn check(&self) -> Result<String, Vec<FieldProblem<CloseField>>> {
        let mut problems = Vec::new();
        checked_password(&self.password, CloseField::Password, &mut problems);
        done(self.password.clone(), problems)
    }
}

account_form!(
    /// Hesabım › İletişim tercihleri: a box per channel, posted only when ticked.
    PreferencesDraft, PreferencesField, MarketingChoice {
        Email => email: "izin_eposta", 8;
        Sms => sms: "izin_sms", 8;
    }
);

account_form!(
    /// Adreslerim: one address of the book, new (no id) or being corrected.
    AddressDraft, AddressField, NamedAddress {
        Id => id: "adres_id", 20;
        Title => title: "baslik", TITLE_MAX_CHARS + 100;
        FirstName => first_name: "ad", 160;
        LastName => last_name: "soyad", 160;
        Province => province: "il", 8;
        District => district: "ilce", 120;
        Line => line: "adres", 350;
        Postcode => postcode: "posta_kodu", 16;
        Default => make_default: "varsayilan", 8;
    }
);

/// An address's name in the book ("Ev", "İş").
pub const TITLE_MAX_CHARS: usize = 40;
/// A book holds at most this many addresses.
pub const MAX_ADDRESSES: usize = 20;

/// An address of the book as the form accepts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedAddress {
    /// The address being corrected, or `None` for a new one.
    pub id: Option<i64>,
    pub title: String,
    pub address: Address,
    pub make_default: bool,
}

/// An address in a member's book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAddress {
    pub id: i64,
    pub title: String,
    pub address: Address,
    pub is_default: bool,
}

/// Adreslerim as the server loaded it (`Load::Addresses`): the book, default first, and the
/// address `?duzenle=` names when it is the member's own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressBook {
    pub addresses: Vec<SavedAddress>,
    pub editing: Option<SavedAddress>,
}

/// On Adreslerim: the id of the address to correct.
pub const EDIT_QUERY: &str = "duzenle";

impl AddressDraft {
    fn check(&self) -> Result<NamedAddress, Vec<FieldProblem<AddressField>>> {
        use AddressField as F;
        let mut problems = Vec::new();
        let id = match self.id.trim() {
            "" => None,
            id => id.parse().ok(),
        };
        let title = self.title.trim().to_string();
        if title.chars().count() > TITLE_MAX_CHARS {
            problems.push(FieldProblem {
                field: F::Title,
                message_key: "account.error.address_title",
            });
        }
        let address = check_address(
            [
                F::FirstName,
                F::LastName,
                F::Province,
                F::District,
                F::Line,
                F::Postcode,
            ],
            |field| self.value(field),
            &mut |field, message_key| problems.push(FieldProblem { field, message_key }),
        );
        match address {
            Some(address) if problems.is_empty() => Ok(NamedAddress {
                id,
                title,
                address,
                make_default: ticked(&self.make_default),
            }),
            _ => Err(problems),
        }
    }

    /// The form filled with a saved address, to correct it.
    pub fn from_saved(saved: &SavedAddress) -> Self {
        Self {
            id: saved.id.to_string(),
            title: saved.title.clone(),
            first_name: saved.address.first_name.clone(),
            last_name: saved.address.last_name.clone(),
            province: saved.address.province_code.clone(),
            district: saved.address.district.clone(),
            line: saved.address.line.clone(),
            postcode: saved.address.postcode.clone(),
            make_default: if saved.is_default {
                "1".into()
            } else {
                String::new()
            },
        }
    }
}

/// One order on Siparişlerim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberOrder {
    pub number: String,
    /// ISO date-time it was placed.
    pub placed_at: String,
    pub status: crate::model::checkout::OrderStatus,
    pub total: crate::model::Money,
    /// The order's page, by a signed link made for this member just now.
    pub link: String,
}

/// Siparişlerim as the server loaded it (`Load::MemberOrders`): the member's orders, newest
/// first, and how many guest orders with their confirmed address they could claim.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberOrders {
    pub orders: Vec<MemberOrder>,
    pub claimable: i64,
}

/// A registration that meets the form's rules (the password's other rules are the backend's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMember {
    pub name: String,
    pub email: String,
    /// `+905xxxxxxxxx`, when given.
    pub phone: Option<String>,
    pub password: String,
    pub marketing: MarketingChoice,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPassword {
    pub token: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Commercial messages a member agreed to, per channel (İYS's EPOSTA and MESAJ).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketingChoice {
    pub email: bool,
    pub sms: bool,
}

/// One marketing channel, by its ledger code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub fn code(self) -> &'static str {
        match self {
            Self::Email => "eposta",
            Self::Sms => "sms",
        }
    }

    /// İYS's name for the channel.
    pub fn iys_type(self) -> &'static str {
        match self {
            Self::Email => "EPOSTA",
            Self::Sms => "MESAJ",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|channel| channel.code() == code)
    }
}

impl MarketingChoice {
    pub fn of(self, channel: Channel) -> bool {
        match channel {
            Channel::Email => self.email,
            Channel::Sms => self.sms,
        }
    }
}

/// What Hesabım shows of the member who is logged in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub marketing: MarketingChoice,
    /// ISO date-time of joining.
    pub created_at: String,
}

/// The e-mails membership sends, by their outbox kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountMail {
    /// "Confirm your address" after registering (or logging in unconfirmed).
    Verify,
    /// Someone registered with an address that is already a member's.
    Exists,
    /// The new-password link.
    Reset,
    /// The password was changed.
    PasswordChanged,
    /// The membership was ended at the member's request.
    Closed,
    /// Confirm the new address a member asked to change to.
    EmailChange,
}

impl AccountMail {
    pub fn kind(self) -> &'static str {
        match self {
            Self::Verify => "account_verify",
            Self::Exists => "account_exists",
            Self::Reset => "password_reset",
            Self::PasswordChanged => "password_changed",
            Self::Closed => "account_closed",
            Self::EmailChange => "email_change",
        }
    }
}

/// A card the payment provider keeps for the member (Kayıtlı kartlarım): only what the
/// provider tells, never a card number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    /// The provider's token, to delete it by.
    pub token: String,
    pub family: Option<String>,
    pub last4: String,
    /// `MM/YYYY`.
    pub expiry: String,
}

/// Kayıtlı kartlarım as the server loaded it (`Load::SavedCards`); `None` when the provider
/// could not be asked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SavedCards(pub Option<Vec<CardView>>);

/// The unsubscribe link in the address is signed for its member and this channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoodUnsubscribeLink(pub Channel);

/// The cart merged at login, to hand to the browser on the first private page after it
/// (`encode_items`'s line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartHandoff(pub String);

/// The login form's field with the browser's cart.
pub const CART_FIELD: &str = "sepet";

/// The new-password link in the address is unused and unexpired (`Load::ResetLink`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoodResetLink;

/// An address as the shop keeps it: trimmed, lower-case (addresses are compared this way, so
/// `Ayse@Example.com` and `ayse@example.com` are one member).
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// `next` when it is a path of this shop (`/hesabim`, never `//elsewhere` or a full address),
/// to return to after logging in.
pub fn safe_next(next: &str) -> Option<&str> {
    let next = next.trim();
    (next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control))
    .then_some(next)
}

fn ticked(value: &str) -> bool {
    !value.trim().is_empty()
}

fn checked_email<F: Copy>(value: &str, field: F, problems: &mut Vec<FieldProblem<F>>) -> String {
    let email = normalise_email(value);
    if !is_plausible_email(&email) {
        problems.push(FieldProblem {
            field,
            message_key: "account.error.email",
        });
    }
    email
}

fn checked_name<F: Copy>(value: &str, field: F, problems: &mut Vec<FieldProblem<F>>) -> String {
    let name = value.trim().to_string();
    let chars = name.chars().count();
    if chars < 2 {
        problems.push(FieldProblem {
            field,
            message_key: "account.error.name",
        });
    } else if chars > NAME_MAX_CHARS {
        problems.push(FieldProblem {
            field,
            message_key: "account.error.name_long",
        });
    }
    name
}

fn checked_phone<F: Copy>(
    value: &str,
    field: F,
    problems: &mut Vec<FieldProblem<F>>,
) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    let phone = crate::model::phone::normalise_mobile(value);
    if phone.is_none() {
        problems.push(FieldProblem {
            field,
            message_key: "account.error.phone",
        });
    }
    phone
}

fn checked_password<F: Copy>(value: &str, field: F, problems: &mut Vec<FieldProblem<F>>) {
    if value.is_empty() {
        problems.push(FieldProblem {
            field,
            message_key: "account.error.password_empty",
        });
    }
}

fn done<T, F>(value: T, problems: Vec<FieldProblem<F>>) -> Result<T, Vec<FieldProblem<F>>> {
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(problems)
    }
}

impl RegisterDraft {
    fn check(&self) -> Result<NewMember, Vec<FieldProblem<RegisterField>>> {
        let mut problems = Vec::new();
        let name = checked_name(&self.name, RegisterField::Name, &mut problems);
        let email = checked_email(&self.email, RegisterField::Email, &mut problems);
        let phone = checked_phone(&self.phone, RegisterField::Phone, &mut problems);
        checked_password(&self.password, RegisterField::Password, &mut problems);
        let marketing = MarketingChoice {
            email: ticked(&self.marketing_email),
            sms: ticked(&self.marketing_sms),
        };
        if marketing.sms
            && phone.is_none()
            && !problems.iter().any(|p| p.field == RegisterField::Phone)
        {
            problems.push(FieldProblem {
                field: RegisterField::Phone,
                message_key: "account.error.phone_for_sms",
            });
        }
        done(
            NewMember {
                name,
                email,
                phone,
                password: self.password.clone(),
                marketing,
            },
            problems,
        )
    }
}

impl LoginDraft {
    fn check(&self) -> Result<Credentials, Vec<FieldProblem<LoginField>>> {
        let mut problems = Vec::new();
        let email = checked_email(&self.email, LoginField::Email, &mut problems);
        checked_password(&self.password, LoginField::Password, &mut problems);
        done(
            Credentials {
                email,
                password: self.password.clone(),
            },
            problems,
        )
    }
}

impl ForgotDraft {
    fn check(&self) -> Result<String, Vec<FieldProblem<ForgotField>>> {
        let mut problems = Vec::new();
        let email = checked_email(&self.email, ForgotField::Email, &mut problems);
        done(email, problems)
    }
}

impl ResetDraft {
    fn check(&self) -> Result<NewPassword, Vec<FieldProblem<ResetField>>> {
        let mut problems = Vec::new();
        checked_password(&self.password, ResetField::Password, &mut problems);
        done(
            NewPassword {
                token: self.token.trim().to_string(),
                password: self.password.clone(),
            },
            problems,
        )
    }
}

impl ProfileDraft {
    fn check(&self) -> Result<Profile, Vec<FieldProblem<ProfileField>>> {
        let mut problems = Vec::new();
        let name = checked_name(&self.name, ProfileField::Name, &mut problems);
        let phone = checked_phone(&self.phone, ProfileField::Phone, &mut problems);
        done(Profile { name, phone }, problems)
    }
}

impl PasswordChangeDraft {
    fn check(&self) -> Result<PasswordChange, Vec<FieldProblem<PasswordChangeField>>> {
        let mut problems = Vec::new();
        checked_password(&self.current, PasswordChangeField::Current, &mut problems);
        checked_password(&self.new, PasswordChangeField::New, &mut problems);
        done(
            PasswordChange {
                current: self.current.clone(),
                new: self.new.clone(),
            },
            problems,
        )
    }
}

impl PreferencesDraft {
    fn check(&self) -> Result<MarketingChoice, Vec<FieldProblem<PreferencesField>>> {
        Ok(MarketingChoice {
            email: ticked(&self.email),
            sms: ticked(&self.sms),
        })
    }
}

impl From<&MemberView> for ProfileDraft {
    fn from(member: &MemberView) -> Self {
        Self {
            name: member.name.clone(),
            phone: member.phone.clone().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_is_read_trimmed_and_lower_cased() {
        let draft = RegisterDraft::from_fields([
            ("ad", " Ayşe Yılmaz "),
            ("eposta", " Ayse@Example.COM "),
            ("telefon", "0532 123 45 67"),
            ("sifre", "  uzun bir cümle  "),
            ("izin_eposta", "1"),
        ]);
        let member = draft.validate().unwrap();
        assert_eq!(member.name, "Ayşe Yılmaz");
        assert_eq!(member.email, "ayse@example.com");
        assert_eq!(member.phone.as_deref(), Some("+905321234567"));
        // A password is taken exactly as typed, spaces and all.
        assert_eq!(member.password, "  uzun bir cümle  ");
        assert_eq!(
            member.marketing,
            MarketingChoice {
                email: true,
                sms: false
            }
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let draft = RegisterDraft::from_fields([("eposta", "ayse"), ("izin_sms", "1")]);
        let fields: Vec<_> = draft
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                RegisterField::Name,
                RegisterField::Email,
                RegisterField::Password,
                RegisterField::Phone
            ]
        );
    }

    #[test]
    fn a_password_too_long_is_refused_not_cut() {
        let long = "a".repeat(PASSWORD_MAX_CHARS + 1);
        let draft = LoginDraft::from_fields([("eposta", "a@b.co"), ("sifre", long.as_str())]);
        assert_eq!(draft.password.chars().count(), PASSWORD_MAX_CHARS + 1);
    }

    #[test]
    fn only_paths_of_the_shop_are_followed_after_login() {
        assert_eq!(safe_next("/hesabim"), Some("/hesabim"));
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(safe_next(""), None);
    }

    #[test]
    fn unticked_boxes_are_no_consent() {
        let choice = PreferencesDraft::from_fields([("izin_sms", "1")])
            .validate()
            .unwrap();
        assert_eq!(
            choice,
            MarketingChoice {
                email: false,
                sms: true
            }
        );
    }
}
