use serde::{Deserialize, Serialize};

use crate::i18n::text;
use crate::model::cart::{Correction, CorrectionKind};
use crate::model::text::fill;
use crate::model::Locale;

/// The cart's interface strings in the page's language, taken from the locale files on the
/// server and handed to the islands as a prop. A list rather than a struct of named fields:
/// the browser decodes a list of strings with a fraction of the code a 31-field struct needs,
/// and every byte of that code is downloaded by every phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartTexts(Locale, Vec<String>);

/// Which string; the order is that of [`KEYS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CartText {
    Loading,
    Empty,
    Start,
    Added,
    ChooseFirst,
    GoToCart,
    ContinueShopping,
    Items,
    Quantity,
    Decrease,
    Increase,
    Remove,
    LineTotal,
    Summary,
    Subtotal,
    Shipping,
    ShippingFree,
    FreeShippingMissing,
    FreeShippingReached,
    Kdv,
    Total,
    Checkout,
    CheckoutSoon,
    Unreadable,
    Offline,
    Changes,
    FixPriceChanged,
    FixReducedToStock,
    FixReducedToLimit,
    FixSoldOut,
    FixUnavailable,
}

/// The locale keys of [`CartText`], in its order.
const KEYS: [&str; 31] = [
    "cart.loading",
    "cart.empty",
    "cart.start",
    "cart.added",
    "cart.choose_first",
    "cart.go_to_cart",
    "cart.continue",
    "cart.items",
    "cart.quantity",
    "cart.decrease",
    "cart.increase",
    "cart.remove",
    "cart.line_total",
    "cart.summary",
    "cart.subtotal",
    "cart.shipping",
    "cart.shipping_free",
    "cart.free_shipping_missing",
    "cart.free_shipping_reached",
    "cart.kdv",
    "cart.total",
    "cart.checkout",
    "cart.checkout_soon",
    "cart.unreadable",
    "cart.offline",
    "cart.changes",
    "cart.fix_price_changed",
    "cart.fix_reduced_to_stock",
    "cart.fix_reduced_to_limit",
    "cart.fix_sold_out",
    "cart.fix_unavailable",
];

impl CartTexts {
    pub fn new(locale: Locale) -> Self {
        Self(locale, KEYS.iter().map(|key| text(locale, key)).collect())
    }

    pub fn locale(&self) -> Locale {
        self.0
    }

    /// The string, or nothing if the list came short (never from our own server).
    pub fn get(&self, which: CartText) -> String {
        self.1.get(which as usize).cloned().unwrap_or_default()
    }

    /// A correction the server made, as a sentence for the shopper.
    pub fn describe(&self, correction: &Correction) -> String {
        use CartText::*;
        let name = correction.name.as_deref().unwrap_or_default();
        let locale = self.locale();
        match correction.kind {
            CorrectionKind::PriceChanged { from, to } => fill(
                &self.get(FixPriceChanged),
                &[
                    ("name", name),
                    ("from", &from.format(locale)),
                    ("to", &to.format(locale)),
                ],
            ),
            CorrectionKind::ReducedToStock { available, .. } => fill(
                &self.get(FixReducedToStock),
                &[("name", name), ("count", &available.to_string())],
            ),
            CorrectionKind::ReducedToLimit { limit, .. } => fill(
                &self.get(FixReducedToLimit),
                &[("name", name), ("count", &limit.to_string())],
            ),
            CorrectionKind::SoldOut => fill(&self.get(FixSoldOut), &[("name", name)]),
            CorrectionKind::Unavailable => self.get(FixUnavailable),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Money;

    #[test]
    fn every_text_has_its_key_in_order() {
        assert_eq!(CartText::FixUnavailable as usize + 1, KEYS.len());
        let texts = CartTexts::new(Locale::Tr);
        assert_eq!(texts.get(CartText::Loading), "Sepetiniz yükleniyor…");
        assert_eq!(texts.get(CartText::ContinueShopping), "Alışverişe devam et");
        assert_eq!(
            texts.get(CartText::FixUnavailable),
            text(Locale::Tr, "cart.fix_unavailable")
        );
        for key in KEYS {
            assert_ne!(text(Locale::En, key), key, "{key} is missing");
        }
    }

    #[test]
    fn corrections_read_as_sentences_in_both_languages() {
        let correction = Correction {
            variant_id: 1,
            name: Some("Keten Gömlek Elbise (Ekru / M)".into()),
            kind: CorrectionKind::PriceChanged {
                from: Money(289_990),
                to: Money(259_990),
            },
        };
        assert_eq!(
            CartTexts::new(Locale::Tr).describe(&correction),
            "Keten Gömlek Elbise (Ekru / M): fiyatı 2.899,90 TL iken 2.599,90 TL oldu."
        );
        assert_eq!(
            CartTexts::new(Locale::En).describe(&correction),
            "Keten Gömlek Elbise (Ekru / M): the price changed from TRY 2,899.90 to TRY 2,599.90."
        );
        let gone = Correction {
            variant_id: 9,
            name: None,
            kind: CorrectionKind::Unavailable,
        };
        assert_eq!(
            CartTexts::new(Locale::Tr).describe(&gone),
            "Sepetinizdeki bir ürün artık satışta değil ve çıkarıldı."
        );
    }
}
