//! The Ön Bilgilendirme Formu and the Mesafeli Satış Sözleşmesi filled in from a live order:
//! the texts in `app/content/legal/` with every `{{siparis.*}}` placeholder given the order's
//! value. The HTML made here is what the review shows, what the shopper accepts, and what is
//! stored with the order with its SHA-256: one string, so they cannot differ.

use sha2::{Digest, Sha256};

use crate::backend::hex;
use crate::i18n::text;
use crate::model::brand::SellerIdentity;
use crate::model::cart::PricedCart;
use crate::model::checkout::{CheckoutDetails, CheckoutMethods, InvoiceParty, OrderTotals};
use crate::model::legal::{to_html, LegalDocument};
use crate::model::Locale;

/// What the documents say about one order.
pub struct OrderFacts<'a> {
    pub locale: Locale,
    pub cart: &'a PricedCart,
    pub details: &'a CheckoutDetails,
    pub methods: CheckoutMethods,
    pub totals: &'a OrderTotals,
    /// The day the shopper confirms (`2026-11-30`).
    pub date: &'a str,
}

pub fn pre_information(order: &OrderFacts, seller: &SellerIdentity) -> String {
    fill(LegalDocument::PreContract, order, seller)
}

pub fn contract(order: &OrderFacts, seller: &SellerIdentity) -> String {
    fill(LegalDocument::DistanceSales, order, seller)
}

pub fn sha256_of(pre_information: &str, contract: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(pre_information.as_bytes());
    digest.update([0u8]);
    digest.update(contract.as_bytes());
    hex(&digest.finalize())
}

pub fn sha256(html: &str) -> String {
    hex(&Sha256::digest(html.as_bytes()))
}

fn fill(document: LegalDocument, order: &OrderFacts, seller: &SellerIdentity) -> String {
    let locale = order.locale;
    to_html(document.source(locale), |key| {
        if let Some(field) = key.strip_prefix("satici.") {
            return seller.field(field).map(str::to_string);
        }
        let money = |amount: crate::model::Money| amount.format(locale);
        let details = order.details;
        Some(match key.strip_prefix("siparis.")? {
            "alici" => details.delivery.full_name(),
            "alici_adres" | "teslimat_adresi" => {
                format!(
                    "{}, {}",
                    details.delivery.full_name(),
                    details.delivery.one_line()
                )
            }
            "alici_telefon" => details.phone.clone(),
            "alici_eposta" => details.email.clone(),
            "fatura_adresi" => invoice_line(details),
            "numara" => text(locale, "checkout.number_on_confirmation"),
            "tarih" => order.date.to_string(),
            "urunler" => order
                .cart
                .lines
                .iter()
                .map(|line| {
                    format!(
                        "{} ({} / {}) × {}: {} (KDV %{} dahil)",
                        line.name,
                        line.colour,
                        line.size,
                        line.quantity,
                        money(line.total()),
                        line.kdv_rate
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            "teslimat_ucreti" => format!(
                "{} ({})",
                money(order.totals.shipping),
                text(
                    locale,
                    &format!("checkout.shipping.{}", order.methods.shipping.code())
                )
            ),
            "toplam" => {
                let mut total = money(order.totals.total);
                if let (Some(code), true) = (&order.totals.coupon_code, order.totals.discount.0 > 0)
                {
                    total.push_str(&format!(
                        " ({})",
                        crate::i18n::text_with(
                            locale,
                            "checkout.discount_included",
                            &[("code", code), ("amount", &money(order.totals.discount))],
                        )
                    ));
                }
                if order.totals.payment_fee.0 > 0 {
                    total.push_str(&format!(
                        " ({} {})",
                        text(locale, "checkout.payment_fee_included"),
                        money(order.totals.payment_fee)
                    ));
                }
                total
            }
            "odeme" => text(
                locale,
                &format!("checkout.payment.{}", order.methods.payment.code()),
            ),
            "teslim_suresi" => crate::i18n::text_with(
                locale,
                "checkout.delivery_within_days",
                &[("days", &order.methods.shipping.delivery_days().to_string())],
            ),
            _ => return None,
        })
    })
}

fn invoice_line(details: &CheckoutDetails) -> String {
    let address = details.invoice_address();
    match &details.invoice {
        InvoiceParty::Individual { tc_kimlik_no } => {
            let mut line = format!("{}, {}", address.full_name(), address.one_line());
            if let Some(number) = tc_kimlik_no {
                line.push_str(&format!(", T.C. {number}"));
            }
            line
        }
        InvoiceParty::Corporate {
            company,
            vkn,
            tax_office,
        } => format!(
            "{company}, VKN {vkn}, {tax_office} V.D., {}",
            address.one_line()
        ),
    }
}
