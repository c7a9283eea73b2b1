//! The shop's two languages and the addresses of its pages in each. Turkish is the default and
//! lives at the root; English mirrors every page under `/en` with English path words.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Tr,
    En,
}

/// The pages that exist in both languages, for links and `hreflang` alternates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Category(String),
    Product(String),
    Search,
    Cart,
    Privacy,
    Kvkk,
    DistanceSales,
    PreContract,
    Returns,
    Contact,
    /// The confirmation after the contact form was sent.
    ContactSent,
    /// The cookie choice as a page of its own (the footer's "Çerez tercihleri" without JavaScript).
    CookiePreferences,
    /// Ödeme: the checkout's steps, for the checkout named by the shopper's cookie.
    Checkout,
    /// An order's page, by its number (opened only with a signed link or right after paying).
    Order(String),
    /// An order's invoice, by the order's number (the same signed link).
    Invoice(String),
    /// The cayma form of an order, by its number (the same signed link).
    Cayma(String),
    /// Giriş yap.
    Login,
    /// Üye ol, and after it "check your e-mail".
    Register,
    /// Şifremi unuttum: asks for the link.
    ForgotPassword,
    /// The page the e-mailed link opens, to choose a new password.
    ResetPassword,
    /// Hesabım: the member's profile, password and contact preferences.
    Account,
    /// Hesabım › Adreslerim: the member's address book.
    Addresses,
    /// Hesabım › Siparişlerim: the member's orders.
    Orders,
    /// Hesabım › Kişisel verilerim: the download of everything held, and KVKK applications.
    PersonalData,
    /// The one-click unsubscribe of commercial e-mail (a signed link, no login).
    Unsubscribe,
    /// Hesabım › Kayıtlı kartlarım: the cards the payment provider keeps for the member.
    Cards,
    /// The back office's login.
    StaffLogin,
    /// The back office's first page.
    StaffHome,
    /// The back office's order list.
    StaffOrders,
    /// One order in the back office, by its number.
    StaffOrder(String),
    /// The back office's contact inbox.
    StaffInbox,
    /// One contact message, by its reference.
    StaffMessage(String),
    /// The KVKK applications.
    StaffKvkk,
    /// One KVKK application, by its reference.
    StaffKvkkCase(String),
    /// The back office's catalogue.
    StaffProducts,
    /// One product in the back office, by its slug.
    StaffProduct(String),
    /// The consent ledgers, searched.
    StaffConsents,
    /// The e-mail outbox.
    StaffOutbox,
    /// The staff and their roles.
    StaffTeam,
    /// Campaigns and discount codes: the lists, a new one, one being changed.
    StaffCampaigns,
    /// A member of staff changes their own password.
    StaffPassword,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Tr, Locale::En];

    /// The language a `dil` parameter or `lang` attribute names: English for `en`, Turkish
    /// for anything else (or nothing).
    pub fn from_code(code: Option<&str>) -> Locale {
        if code == Some("en") {
            Self::En
        } else {
            Self::Tr
        }
    }

    /// BCP 47 code for `lang` and `hreflang`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Tr => "tr",
            Self::En => "en",
        }
    }

    /// Open Graph locale.
    pub fn og_locale(self) -> &'static str {
        match self {
            Self::Tr => "tr_TR",
            Self::En => "en_GB",
        }
    }

    /// The other language (for the language switch).
    pub fn other(self) -> Locale {
        match self {
            Self::Tr => Self::En,
            Self::En => Self::Tr,
        }
    }

    /// The address of `page` in this language, from the words in [`super::route::ROUTES`].
    pub fn path(self, page: &Page) -> String {
        page.route().path(self, page.param())
    }

    /// Picks the text for this language from a Turkish/English pair.
    pub fn pick<T>(self, turkish: T, english: T) -> T {
        match self {
            Self::Tr => turkish,
            Self::En => english,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_at_the_root_english_under_en() {
        assert_eq!(Locale::Tr.path(&Page::Home), "/");
        assert_eq!(Locale::En.path(&Page::Home), "/en");
        assert_eq!(
            Locale::Tr.path(&Page::Product("keten-gomlek".into())),
            "/urun/keten-gomlek"
        );
        assert_eq!(
            Locale::En.path(&Page::Product("keten-gomlek".into())),
            "/en/product/keten-gomlek"
        );
        assert_eq!(
            Locale::Tr.path(&Page::Category("kadin".into())),
            "/kategori/kadin"
        );
        assert_eq!(Locale::En.path(&Page::Search), "/en/search");
        assert_eq!(Locale::Tr.path(&Page::Returns), "/iade-ve-cayma");
    }

    #[test]
    fn the_contact_confirmation_lives_under_the_contact_page() {
        assert_eq!(Locale::Tr.path(&Page::ContactSent), "/iletisim/gonderildi");
        assert_eq!(Locale::En.path(&Page::ContactSent), "/en/contact/sent");
    }
}
