use serde::{Deserialize, Serialize};

use crate::i18n::text;
use crate::model::cart::{Correction, CorrectionKind};
use crate::model::text::fill;
use crate::model::Locale;

/// The cart's interface strings in the page's language, taken from the locale files on the
/// server and handed to the islands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartTexts {
    pub locale: Locale,
    pub loading: String,
    pub empty: String,
    pub start: String,
    pub added: String,
    pub choose_first: String,
    pub go_to_cart: String,
    pub continue_shopping: String,
    pub items: String,
    pub quantity: String,
    pub decrease: String,
    pub increase: String,
    pub remove: String,
    pub line_total: String,
    pub summary: String,
    pub subtotal: String,
    pub shipping: String,
    pub shipping_free: String,
    pub free_shipping_missing: String,
    pub free_shipping_reached: String,
    pub kdv: String,
    pub total: String,
    pub checkout: String,
    pub checkout_soon: String,
    pub unreadable: String,
    pub offline: String,
    pub changes: String,
    pub fix_price_changed: String,
    pub fix_reduced_to_stock: String,
    pub fix_reduced_to_limit: String,
    pub fix_sold_out: String,
    pub fix_unavailable: String,
}

impl CartTexts {
    pub fn new(locale: Locale) -> Self {
        let t = |key: &str| text(locale, key);
        Self {
            locale,
            loading: t("cart.loading"),
            empty: t("cart.empty"),
            start: t("cart.start"),
            added: t("cart.added"),
            choose_first: t("cart.choose_first"),
            go_to_cart: t("cart.go_to_cart"),
            continue_shopping: t("cart.continue"),
            items: t("cart.items"),
            quantity: t("cart.quantity"),
            decrease: t("cart.decrease"),
            increase: t("cart.increase"),
            remove: t("cart.remove"),
            line_total: t("cart.line_total"),
            summary: t("cart.summary"),
            subtotal: t("cart.subtotal"),
            shipping: t("cart.shipping"),
            shipping_free: t("cart.shipping_free"),
            free_shipping_missing: t("cart.free_shipping_missing"),
            free_shipping_reached: t("cart.free_shipping_reached"),
            kdv: t("cart.kdv"),
            total: t("cart.total"),
            checkout: t("cart.checkout"),
            checkout_soon: t("cart.checkout_soon"),
            unreadable: t("cart.unreadable"),
            offline: t("cart.offline"),
            changes: t("cart.changes"),
            fix_price_changed: t("cart.fix_price_changed"),
            fix_reduced_to_stock: t("cart.fix_reduced_to_stock"),
            fix_reduced_to_limit: t("cart.fix_reduced_to_limit"),
            fix_sold_out: t("cart.fix_sold_out"),
            fix_unavailable: t("cart.fix_unavailable"),
        }
    }

    /// A correction the server made, as a sentence for the shopper.
    pub fn describe(&self, correction: &Correction) -> String {
        let name = correction.name.as_deref().unwrap_or_default();
        match correction.kind {
            CorrectionKind::PriceChanged { from, to } => fill(
                &self.fix_price_changed,
                &[
                    ("name", name),
                    ("from", &from.format(self.locale)),
                    ("to", &to.format(self.locale)),
                ],
            ),
            CorrectionKind::ReducedToStock { available, .. } => fill(
                &self.fix_reduced_to_stock,
                &[("name", name), ("count", &available.to_string())],
            ),
            CorrectionKind::ReducedToLimit { limit, .. } => fill(
                &self.fix_reduced_to_limit,
                &[("name", name), ("count", &limit.to_string())],
            ),
            CorrectionKind::SoldOut => fill(&self.fix_sold_out, &[("name", name)]),
            CorrectionKind::Unavailable => self.fix_unavailable.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Money;

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
