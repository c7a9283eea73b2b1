//! The names that tie the shop's markup, its islands and its server handlers together: the
//! paths forms post to and islands fetch from, their fields and query parameters, the headers of
//! their answers, and the `data-*` hooks islands find in server-rendered markup. Each is defined
//! here once and used by all three sides, so renaming one is a compile error, not a silent break.
//! (CSS and the browser tests read some of the same hooks; they name them as text.)

/// Declares a `data-*` hook: its attribute name, and the CSS selector that finds it.
macro_rules! hooks {
    ($($(#[$doc:meta])* $name:ident, $selector:ident = $attribute:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: &str = $attribute;
            #[doc = concat!("`[", $attribute, "]`")]
            pub const $selector: &str = concat!("[", $attribute, "]");
        )*
    };
}

/// The language of a request to an island's endpoint: `tr` or `en` (`Locale::code`).
pub const LOCALE: &str = "dil";

/// The cookie choice: the banner's and the preferences page's form, and the banner's island.
pub mod consent {
    /// Where the form posts (server/src/consent_form.rs).
    pub const PATH: &str = "/cerez-tercihi";
    /// Sent by the island: answer 204 instead of redirecting.
    pub const ISLAND_HEADER: &str = "x-ada";
    /// The new state's token (`ConsentState::token`) in the island's answer.
    pub const STATE_HEADER: &str = "x-cerez";
    /// The answer: `kabul`, `red` or `tercih` (`ConsentAction::code`). The switches are named
    /// by `ConsentCategory::field`.
    pub const CHOICE: &str = "secim";
    /// Where to go back to after a choice without JavaScript.
    pub const RETURN_TO: &str = "geri";
    /// The longest return address the choice form carries and the handler follows. Every page
    /// holds the form, so an address with a long query string would otherwise be echoed in full
    /// into each page; a longer one returns to the page without its query.
    pub const RETURN_TO_MAX_BYTES: usize = 1024;
    /// The page's consent state, on `<html>`, for the islands to start from.
    pub const PAGE_STATE: &str = "data-cerez";
    hooks! {
        /// A link that opens the banner in place ("Çerez tercihleri").
        OPEN_PREFERENCES, OPEN_PREFERENCES_SELECTOR = "data-cerez-tercihleri";
    }
}

/// The cart islands' view of the cart (server/src/cart_view.rs).
pub mod cart_view {
    pub const ENDPOINT: &str = "/api/sepet/gorunum";
    /// Which view: [`VIEW_PAGE`] or [`VIEW_ADDED`].
    pub const VIEW: &str = "gorunum";
    pub const VIEW_PAGE: &str = "sayfa";
    pub const VIEW_ADDED: &str = "ekle";
    /// The variant just added, with [`VIEW_ADDED`]; also the cart page's `?varyant=` from the
    /// product page's form without JavaScript.
    pub const VARIANT: &str = "varyant";
    /// The corrected items, in `encode_items` form.
    pub const ITEMS_HEADER: &str = "x-sepet";
    /// [`REFUSED`] when the variant being added cannot be bought, [`ADDED`] otherwise.
    pub const OUTCOME_HEADER: &str = "x-sepet-durum";
    pub const REFUSED: &str = "reddedildi";
    pub const ADDED: &str = "eklendi";
    hooks! {
        /// The header's cart count badge.
        COUNT, COUNT_SELECTOR = "data-cart-count";
        /// What a button in a cart view does: [`ACTION_QUANTITY`] or [`ACTION_CLOSE`].
        ACTION, ACTION_SELECTOR = "data-action";
        /// The variant a cart line or quantity button is about.
        LINE_VARIANT, LINE_VARIANT_SELECTOR = "data-variant";
        /// A quantity button's change: `-1`, `1` or [`CHANGE_REMOVE`].
        CHANGE, CHANGE_SELECTOR = "data-change";
        /// On the product form: what to say when no size was chosen.
        CHOOSE_FIRST, CHOOSE_FIRST_SELECTOR = "data-choose-first";
        /// On a variant's radio button: its price in kuruş, as the page showed it.
        PRICE, PRICE_SELECTOR = "data-price";
    }
    pub const ACTION_QUANTITY: &str = "adet";
    pub const ACTION_CLOSE: &str = "kapat";
    pub const CHANGE_REMOVE: &str = "sil";
    /// `[data-action=adet]`
    pub const QUANTITY_BUTTON_SELECTOR: &str = "[data-action=adet]";
    /// `[data-action=kapat]`
    pub const CLOSE_BUTTON_SELECTOR: &str = "[data-action=kapat]";
}

/// The product page's "recently viewed" island (server/src/recently_viewed.rs).
pub mod recently_viewed {
    pub const ENDPOINT: &str = "/api/son-bakilanlar";
    /// The slugs to show, comma-separated.
    pub const PRODUCTS: &str = "urunler";
    hooks! {
        /// The section, carrying the slug of the product on the page.
        PRODUCT, PRODUCT_SELECTOR = "data-urun";
        /// Where the cards go.
        LIST, LIST_SELECTOR = "data-liste";
    }
}

/// The menu drawer ("LES MENÜ").
pub mod menu {
    hooks! {
        TOGGLE, TOGGLE_SELECTOR = "data-menu-toggle";
        CLOSE, CLOSE_SELECTOR = "data-menu-close";
    }
}

/// Marks islands set on their own roots, for CSS and the browser tests.
pub mod state {
    /// The island has started (its listeners are attached).
    pub const LIVE: &str = "data-live";
    /// The menu drawer is open.
    pub const OPEN: &str = "data-open";
    /// The menu island has hydrated.
    pub const HYDRATED: &str = "data-hydrated";
    /// The cart page: the first answer arrived; no answer came; the saved cart was unreadable.
    pub const READY: &str = "data-ready";
    pub const OFFLINE: &str = "data-offline";
    pub const UNREADABLE: &str = "data-unreadable";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_find_their_hooks() {
        assert_eq!(
            consent::OPEN_PREFERENCES_SELECTOR,
            "[data-cerez-tercihleri]"
        );
        assert_eq!(
            cart_view::QUANTITY_BUTTON_SELECTOR,
            format!("[{}={}]", cart_view::ACTION, cart_view::ACTION_QUANTITY)
        );
        assert_eq!(
            cart_view::CLOSE_BUTTON_SELECTOR,
            format!("[{}={}]", cart_view::ACTION, cart_view::ACTION_CLOSE)
        );
    }
}

/// Checkout: where its forms post and what they carry (server/src/checkout_form.rs).
pub mod checkout {
    hooks! {
        /// On the order page right after the order was placed: the browser's cart has been
        /// ordered, and the cart store empties it.
        ORDER_PLACED, ORDER_PLACED_SELECTOR = "data-siparis-verildi";
        /// A step's form or a link between steps that the checkout island answers in place
        /// (fetches the next step and swaps it in) instead of loading a whole page.
        IN_PLACE, IN_PLACE_SELECTOR = "data-yerinde";
        /// On a province `<select>`: the id of the `<datalist>` of its districts, which the
        /// checkout island refills when the province changes.
        DISTRICT_LIST, DISTRICT_LIST_SELECTOR = "data-ilce-listesi";
        /// The summary's totals, which follow the shipping and payment method chosen.
        TOTALS, TOTALS_SELECTOR = "data-toplamlar";
        /// A `<template>` with the totals of one choice (`TotalsForChoice::key`).
        TOTALS_FOR, TOTALS_FOR_SELECTOR = "data-toplam-secimi";
    }
    /// The checkout island's root: what a step's answer is swapped in from.
    pub const FLOW_CLASS: &str = "checkout-flow";
    /// The districts of a province as a JSON array of names (`?il=` its plate code).
    pub const DISTRICTS_PATH: &str = "/odeme/ilceler";
    pub const PROVINCE_QUERY: &str = "il";
    /// The query parameter of the first view of an order, right after placing it.
    pub const PLACED_QUERY: &str = "yeni";

    use crate::model::{Locale, Page};

    /// The cart page's "Ödemeye geç" form: the cart's items in `encode_items` form.
    pub const ITEMS: &str = "sepet";
    /// Every step's form names the step it answers (`CheckoutStep::code`).
    pub const STEP: &str = "adim";
    /// The review's form: the documents' SHA-256 the shopper read.
    pub const DOCUMENTS: &str = "belgeler";
    /// The review's "okudum, onaylıyorum" box.
    pub const ACCEPT: &str = "onay";
    /// The provider's token, posted back to the result address.
    pub const TOKEN: &str = "token";
    /// A discount code, typed in the cart ("Ödemeye geç" carries it) or at checkout.
    pub const COUPON_CODE: &str = "kod";
    /// On the checkout's code form: take the code off instead of applying one.
    pub const COUPON_REMOVE: &str = "kaldir";

    /// Where "Ödemeye geç" posts: starts a checkout for the cart it carries.
    pub fn start_path(locale: Locale) -> String {
        format!(
            "{}/{}",
            locale.path(&Page::Checkout),
            locale.pick("basla", "start")
        )
    }

    /// Where the checkout's code form posts: applies a discount code, or takes it off.
    pub fn coupon_path(locale: Locale) -> String {
        format!(
            "{}/{}",
            locale.path(&Page::Checkout),
            locale.pick("indirim", "discount")
        )
    }

    /// Where the payment provider's server reports a payment (iyzico's webhook).
    pub const WEBHOOK_PATH: &str = "/odeme/bildirim";
    /// The webhook's signature header (iyzico's `X-IYZ-SIGNATURE-V3`).
    pub const WEBHOOK_SIGNATURE: &str = "x-iyz-signature-v3";

    /// Where the payment provider sends the browser back (iyzico's `callbackUrl`).
    pub fn result_path(locale: Locale) -> String {
        format!(
            "{}/{}",
            locale.path(&Page::Checkout),
            locale.pick("sonuc", "result")
        )
    }
}

/// Membership's forms (server/src/account_forms.rs).
pub mod account {
    /// Hesabım's forms all post to Hesabım; this field says which one was sent.
    pub const ACTION: &str = "islem";
    pub const ACTION_PROFILE: &str = "profil";
    pub const ACTION_PASSWORD: &str = "sifre";
    pub const ACTION_PREFERENCES: &str = "tercihler";
    pub const ACTION_LOG_OUT: &str = "cikis";
    pub const ACTION_CLOSE: &str = "kapat";
    pub const ACTION_EMAIL: &str = "eposta";
    /// The e-mailed link that confirms a new address, under Hesabım's path.
    pub const EMAIL_CONFIRM_SEGMENT: &str = "eposta-dogrula";
    /// Adreslerim's forms: save (add or correct), make default, delete.
    pub const ACTION_SAVE: &str = "kaydet";
    pub const ACTION_DEFAULT: &str = "varsayilan";
    pub const ACTION_DELETE: &str = "sil";
    /// Siparişlerim: claim the guest orders placed with the member's address.
    pub const ACTION_CLAIM: &str = "sahiplen";
    /// Kayıtlı kartlarım's delete: the provider's token of the card.
    pub const CARD_TOKEN: &str = "kart";
    /// Kişisel verilerim's download, under its page's path.
    pub const EXPORT_SEGMENT: &str = "indir";
    /// The e-mailed confirmation link's path under `/uye-ol` (`/en/register`).
    pub const VERIFY_SEGMENT: &str = "dogrula";
    /// The session cookie of members (HttpOnly, SameSite=Lax, Secure over TLS).
    pub const SESSION_COOKIE: &str = "lm_oturum";
}

/// A member's cart between the browser and the server (`backend::accounts::carts`).
pub mod member_cart {
    /// Where the browser sends a logged-in member's cart when it changes (its text body is
    /// `encode_items`'s line).
    pub const ENDPOINT: &str = "/api/sepet/uye";
    /// The localStorage key that says this browser's cart is a member's (sent on change).
    pub const MEMBER_FLAG_KEY: &str = "lm_uye";
    hooks! {
        /// On a page right after login: the merged cart the browser takes as its own.
        ADOPT, ADOPT_SELECTOR = "data-uye-sepeti";
        /// On a member's private pages: the cart store sends the cart's changes from now on.
        MEMBER, MEMBER_SELECTOR = "data-uye";
        /// On Giriş after logging out or ending a membership: the store forgets the member
        /// and empties the cart (it is kept on the server, not on a shared computer).
        LEFT, LEFT_SELECTOR = "data-uye-cikti";
        /// The login form's hidden field the cart store fills with the browser's cart.
        FORM_FIELD, FORM_FIELD_SELECTOR = "data-sepet-alani";
    }
}

/// The cayma form (`/cayma/{number}`, `pages::cayma`, `server/src/cayma_form.rs`).
pub mod cayma {
    /// Each order line's quantity to withdraw: `adet-{order line id}`.
    pub const QUANTITY_PREFIX: &str = "adet-";
}
