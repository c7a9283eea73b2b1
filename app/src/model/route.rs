//! The shop's pages in one table: for each, its address words in both languages, whether its
//! rendering may be shared between visitors, and what the server loads before rendering it.
//! Everything that needs a page's address or policy reads it here: links (`Locale::path`), the
//! Leptos route group (`app::routes`) and the server's page router (`server/src/pages.rs`), so
//! a page cannot be reachable under one word and linked under another, and a new page cannot
//! be added without saying whether it may be cached.

use super::{Locale, Page};

/// Whether a page's rendering may be shared between visitors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caching {
    /// The same for every visitor in the same cookie-choice state: served from and stored in
    /// the page cache and marked cacheable. Only the query parameters listed reach the page
    /// (and the cache key); any others are dropped before rendering, so they can neither
    /// change what is shown nor create new cache entries.
    Public { query: &'static [&'static str] },
    /// Rendered for every request and answered `Cache-Control: no-store`: anything personal,
    /// and anything reached through a link that carries a secret (an order number, a reset
    /// token, a reference), cookies or not.
    Private,
    /// The back office: private, behind staff sessions. With a role, only staff with that role
    /// (or a higher one) may open it; anyone else gets the 404 page. Without one it is the
    /// back office's login.
    Staff {
        role: Option<crate::model::staff::StaffRole>,
    },
}

/// What the server reads from the database before a page renders (pages render synchronously
/// from it; see `server/src/pages.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Load {
    /// The catalogue snapshot: every page's menu, and the catalogue pages themselves.
    Catalogue,
    /// Whether the contact reference in `?ref=` exists.
    ContactReference,
    /// The shopper's checkout (its cookie), priced as of now, with the step to show.
    Checkout,
    /// The order in the address, when the request carries a valid link to it.
    Order,
    /// The member who is logged in, when one is (`model::account::MemberView`).
    Member,
    /// The member's address book, and the address `?duzenle=` names (`AddressBook`).
    Addresses,
    /// The member's orders and the guest orders they could claim (`MemberOrders`).
    MemberOrders,
    /// The member's KVKK applications (`KvkkPageData`).
    KvkkApplications,
    /// The cards the payment provider keeps for the member (`SavedCards`).
    SavedCards,
    /// Whether the unsubscribe link in the address is signed for its member and channel.
    UnsubscribeLink,
    /// Whether the new-password link in `?anahtar=` is still good.
    ResetLink,
    /// A member must be logged in: anyone else is sent to Giriş, to come back after.
    MemberRequired,
    /// The back office's first page: today's figures and what waits (`StaffDashboard`).
    StaffDashboard,
    /// The back office's order list for the filter in the query (`StaffOrderList`).
    StaffOrders,
    /// One order as staff see it (`StaffOrderDetail`).
    StaffOrder,
    /// The contact inbox for the status in `?durum=` (`Inbox`).
    StaffInbox,
    /// One contact message with its replies (`InboxMessage`).
    StaffMessage,
    /// The KVKK applications (`KvkkDesk`).
    StaffKvkk,
    /// One KVKK application (`KvkkCase`).
    StaffKvkkCase,
    /// The catalogue's products for `?ara=` (`StaffProducts`).
    StaffProducts,
    /// One product as staff edit it (`StaffProduct`).
    StaffProduct,
    /// The campaigns and discount codes, and the ones `?kampanya=` and `?duzenle=` open
    /// (`StaffCampaigns`).
    StaffCampaigns,
    /// The consent ledgers for `?ara=` (`ConsentSearch`).
    StaffConsents,
    /// The e-mail outbox for `?durum=` (`OutboxView`).
    StaffOutbox,
    /// Everyone on staff (`Team`).
    StaffTeam,
}

/// One page: its words, its parameter and its policies.
#[derive(Debug)]
pub struct PageRoute {
    /// The page this row serves (with an empty slug for a page that has one).
    pub page: Page,
    /// Path words after `/` (Turkish) or `/en/` (English), `/`-separated; empty for home.
    pub tr: &'static str,
    pub en: &'static str,
    /// The name of the trailing parameter segment (`slug`), if the page has one.
    pub param: Option<&'static str>,
    pub caching: Caching,
    pub loads: &'static [Load],
}

/// The query parameters a category listing reads (`ListingQuery::from_pairs`).
pub const LISTING_QUERY: &[&str] = &["beden", "renk", "min", "max", "stok", "sirala", "sayfa"];
/// The search page's query parameter.
pub const SEARCH_QUERY: &str = "q";
/// On the cookie preferences page: the choice was just saved.
pub const SAVED_QUERY: &str = "kaydedildi";
/// On the contact confirmation: the message's reference number.
pub const REFERENCE_QUERY: &str = "ref";
/// On Giriş: where to go after logging in (a path of this shop).
pub const NEXT_QUERY: &str = "sonra";
/// On membership pages: what just happened (`gonderildi`, `dogrulandi`, `yenilendi`…).
pub const STATE_QUERY: &str = "durum";
/// The token of an e-mailed link.
pub const TOKEN_QUERY: &str = "anahtar";

const CATALOGUE: &[Load] = &[Load::Catalogue];
const PUBLIC: Caching = Caching::Public { query: &[] };
const DESTEK: Caching = Caching::Staff {
    role: Some(crate::model::staff::StaffRole::Destek),
};
/// The catalogue and the team are a yonetici's alone.
const YONETICI: Caching = Caching::Staff {
    role: Some(crate::model::staff::StaffRole::Yonetici),
};

const fn route(
    page: Page,
    tr: &'static str,
    en: &'static str,
    param: Option<&'static str>,
    caching: Caching,
    loads: &'static [Load],
) -> PageRoute {
    PageRoute {
        page,
        tr,
        en,
        param,
        caching,
        loads,
    }
}

/// Every page. A `static`, so that rows can be borrowed for the life of the program.
#[rustfmt::skip]
pub static ROUTES: [PageRoute; 42] = [
    route(Page::Home, "", "", None, PUBLIC, CATALOGUE),
    route(Page::Category(String::new()), "kategori", "category", Some("slug"), Caching::Public { query: LISTING_QUERY }, CATALOGUE),
    route(Page::Product(String::new()), "urun", "product", Some("slug"), PUBLIC, CATALOGUE),
    route(Page::Search, "arama", "search", None, Caching::Public { query: &[SEARCH_QUERY] }, CATALOGUE),
    // The cart itself lives in the browser; the page around it is the same for everyone.
    route(Page::Cart, "sepet", "cart", None, PUBLIC, CATALOGUE),
    route(Page::Privacy, "gizlilik-ve-cerez-politikasi", "privacy-and-cookie-policy", None, PUBLIC, CATALOGUE),
    route(Page::Kvkk, "kvkk-aydinlatma-metni", "kvkk-privacy-notice", None, PUBLIC, CATALOGUE),
    route(Page::DistanceSales, "mesafeli-satis-sozlesmesi", "distance-sales-contract", None, PUBLIC, CATALOGUE),
    route(Page::PreContract, "on-bilgilendirme-formu", "pre-contractual-information", None, PUBLIC, CATALOGUE),
    route(Page::Returns, "iade-ve-cayma", "returns-and-withdrawal", None, PUBLIC, CATALOGUE),
    // The form's GET; its POST is the contact handler's (server/src/contact_form.rs).
    route(Page::Contact, "iletisim", "contact", None, PUBLIC, CATALOGUE),
    // Reached with a reference number in the address: never shared.
    route(Page::ContactSent, "iletisim/gonderildi", "contact/sent", None, Caching::Private, &[Load::Catalogue, Load::ContactReference]),
    // Shows the visitor's current choice, which is part of the cache key (consent state).
    route(Page::CookiePreferences, "cerez-tercihleri", "cookie-preferences", None, Caching::Public { query: &[SAVED_QUERY] }, CATALOGUE),
    // The checkout named by the shopper's cookie; its POSTs are server/src/checkout_form.rs's.
    route(Page::Checkout, "odeme", "checkout", None, Caching::Private, &[Load::Catalogue, Load::Member, Load::Checkout]),
    // Opened with a signed link (`?erisim=`), never by number alone.
    route(Page::Order(String::new()), "siparis", "order", Some("number"), Caching::Private, &[Load::Catalogue, Load::Order]),
    // The order's invoice, with the same signed link.
    route(Page::Invoice(String::new()), "fatura", "invoice", Some("number"), Caching::Private, &[Load::Catalogue, Load::Order]),
    // The order's cayma form, with the same signed link; its POST is server/src/cayma_form.rs's.
    route(Page::Cayma(String::new()), "cayma", "withdrawal", Some("number"), Caching::Private, &[Load::Catalogue, Load::Order]),
    // Membership (issue 14): private, because each may show who is logged in, and the reset
    // page's address carries a secret. Their POSTs are server/src/account_forms.rs's.
    route(Page::Login, "giris", "login", None, Caching::Private, &[Load::Catalogue, Load::Member]),
    route(Page::Register, "uye-ol", "register", None, Caching::Private, &[Load::Catalogue, Load::Member]),
    route(Page::ForgotPassword, "sifremi-unuttum", "forgot-password", None, Caching::Private, CATALOGUE),
    route(Page::ResetPassword, "sifre-yenile", "reset-password", None, Caching::Private, &[Load::Catalogue, Load::ResetLink]),
    // Only for a member who is logged in: anyone else is sent to Giriş and back.
    route(Page::Account, "hesabim", "account", None, Caching::Private, &[Load::Catalogue, Load::Member, Load::MemberRequired]),
    route(Page::Addresses, "hesabim/adreslerim", "account/addresses", None, Caching::Private, &[Load::Catalogue, Load::Member, Load::MemberRequired, Load::Addresses]),
    route(Page::Orders, "hesabim/siparislerim", "account/orders", None, Caching::Private, &[Load::Catalogue, Load::Member, Load::MemberRequired, Load::MemberOrders]),
    route(Page::PersonalData, "hesabim/kisisel-verilerim", "account/personal-data", None, Caching::Private, &[Load::Catalogue, Load::Member, Load::MemberRequired, Load::KvkkApplications]),
    route(Page::Cards, "hesabim/kayitli-kartlarim", "account/saved-cards", None, Caching::Private, &[Load::Catalogue, Load::Member, Load::MemberRequired, Load::SavedCards]),
    // The back office (issue 15): staff only, in Turkish (the English words only mirror the
    // table's shape). Its POSTs are server/src/staff_forms.rs's.
    route(Page::StaffLogin, "yonetim/giris", "management/login", None, Caching::Staff { role: None }, CATALOGUE),
    route(Page::StaffHome, "yonetim", "management", None, DESTEK, &[Load::Catalogue, Load::StaffDashboard]),
    route(Page::StaffOrders, "yonetim/siparisler", "management/orders", None, DESTEK, &[Load::Catalogue, Load::StaffOrders]),
    route(Page::StaffOrder(String::new()), "yonetim/siparis", "management/order", Some("number"), DESTEK, &[Load::Catalogue, Load::StaffOrder]),
    route(Page::StaffInbox, "yonetim/mesajlar", "management/messages", None, DESTEK, &[Load::Catalogue, Load::StaffInbox]),
    route(Page::StaffMessage(String::new()), "yonetim/mesaj", "management/message", Some("reference"), DESTEK, &[Load::Catalogue, Load::StaffMessage]),
    route(Page::StaffKvkk, "yonetim/kvkk", "management/kvkk", None, DESTEK, &[Load::Catalogue, Load::StaffKvkk]),
    route(Page::StaffConsents, "yonetim/izinler", "management/consents", None, DESTEK, &[Load::Catalogue, Load::StaffConsents]),
    route(Page::StaffOutbox, "yonetim/e-postalar", "management/e-mails", None, DESTEK, &[Load::Catalogue, Load::StaffOutbox]),
    route(Page::StaffPassword, "yonetim/sifre", "management/password", None, DESTEK, CATALOGUE),
    route(Page::StaffTeam, "yonetim/ekip", "management/team", None, YONETICI, &[Load::Catalogue, Load::StaffTeam]),
    route(Page::StaffCampaigns, "yonetim/kampanyalar", "management/campaigns", None, YONETICI, &[Load::Catalogue, Load::StaffCampaigns]),
    route(Page::StaffProducts, "yonetim/urunler", "management/products", None, YONETICI, &[Load::Catalogue, Load::StaffProducts]),
    route(Page::StaffProduct(String::new()), "yonetim/urun", "management/product", Some("slug"), YONETICI, &[Load::Catalogue, Load::StaffProduct]),
    route(Page::StaffKvkkCase(String::new()), "yonetim/kvkk-basvuru", "management/kvkk-application", Some("reference"), DESTEK, &[Load::Catalogue, Load::StaffKvkkCase]),
    // Opened from a commercial e-mail's signed link, without logging in; its POST withdraws.
    route(Page::Unsubscribe, "abonelik-iptali", "unsubscribe", None, Caching::Private, &[Load::Catalogue, Load::UnsubscribeLink]),
];

impl PageRoute {
    /// The address words in `locale`, one per path segment, without the parameter:
    /// `["en", "contact", "sent"]`.
    pub fn segments(&self, locale: Locale) -> Vec<&'static str> {
        let words = locale.pick(self.tr, self.en);
        let prefix = locale.pick(None, Some("en"));
        prefix
            .into_iter()
            .chain(words.split('/').filter(|word| !word.is_empty()))
            .collect()
    }

    /// The address pattern in axum's syntax: `/en/product/{slug}`.
    pub fn axum_path(&self, locale: Locale) -> String {
        let param = self.param.map(|name| format!("{{{name}}}"));
        self.path(locale, param.as_deref())
    }

    /// The address of this page in `locale` with `param` as its parameter.
    pub fn path(&self, locale: Locale, param: Option<&str>) -> String {
        let mut path: String = self
            .segments(locale)
            .iter()
            .map(|word| format!("/{word}"))
            .collect();
        if let Some(param) = param {
            path.push('/');
            path.push_str(param);
        }
        if path.is_empty() {
            path.push('/');
        }
        path
    }
}

impl Page {
    /// This page's row of [`ROUTES`].
    pub fn route(&self) -> &'static PageRoute {
        let kind = std::mem::discriminant(self);
        ROUTES
            .iter()
            .find(|row| std::mem::discriminant(&row.page) == kind)
            .expect("every page has a row in ROUTES")
    }

    /// The page's parameter (a slug), if it has one.
    pub fn param(&self) -> Option<&str> {
        match self {
            Page::Category(slug)
            | Page::Product(slug)
            | Page::Order(slug)
            | Page::Invoice(slug)
            | Page::Cayma(slug)
            | Page::StaffOrder(slug)
            | Page::StaffMessage(slug)
            | Page::StaffKvkkCase(slug)
            | Page::StaffProduct(slug) => Some(slug),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_one_row() {
        for route in &ROUTES {
            assert!(std::ptr::eq(route.page.route(), route), "{route:?}");
        }
    }

    #[test]
    fn axum_patterns_follow_the_words() {
        assert_eq!(Page::Home.route().axum_path(Locale::Tr), "/");
        assert_eq!(Page::Home.route().axum_path(Locale::En), "/en");
        assert_eq!(
            Page::Product(String::new()).route().axum_path(Locale::En),
            "/en/product/{slug}"
        );
        assert_eq!(
            Page::ContactSent.route().axum_path(Locale::Tr),
            "/iletisim/gonderildi"
        );
    }

    #[test]
    fn every_address_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for route in &ROUTES {
            for locale in Locale::ALL {
                assert!(seen.insert(route.axum_path(locale)), "{route:?}");
            }
        }
    }

    #[test]
    fn every_page_loads_the_catalogue_for_its_menu() {
        for route in &ROUTES {
            assert!(route.loads.contains(&Load::Catalogue), "{route:?}");
        }
    }
}
