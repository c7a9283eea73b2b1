//! What the checkout page renders from: the server loads it for the shopper's checkout before
//! rendering (`server/src/pages.rs`, `Load::Checkout`), every figure computed from the database.

use super::{
    CheckoutDetails, CheckoutMethods, CheckoutStep, OrderTotals, PaymentMethod, ShippingMethod,
};
use crate::model::cart::PricedCart;
use crate::model::Money;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutPageData {
    pub step: CheckoutStep,
    pub details: Option<CheckoutDetails>,
    pub methods: Option<CheckoutMethods>,
    /// The cart as it can be bought now (with what had to be corrected).
    pub cart: PricedCart,
    /// With the methods chosen; before, the cart's own totals are shown.
    pub totals: Option<OrderTotals>,
    /// Each shipping method and what it costs for this cart.
    pub shipping_offers: Vec<(ShippingMethod, Money)>,
    /// Each payment method, its fee, and whether it is offered for this cart.
    pub payment_offers: Vec<(PaymentMethod, Money, bool)>,
    /// Instalments per card family for the total (card payments).
    pub installments: Vec<InstallmentRow>,
    /// On the methods step: the totals for every choice the shopper can make there, so the
    /// checkout island shows the server's own figures as they pick (empty on other steps).
    pub totals_by_choice: Vec<TotalsForChoice>,
    pub review: Option<ReviewDocuments>,
    /// Why the last card payment of this checkout failed, when it did.
    pub payment_error: Option<String>,
    /// For a member on the first step: the form filled from their account (the default
    /// address, or the one `?adres=` chose), when it should replace what was accepted.
    pub prefill: Option<super::details::DetailsDraft>,
    /// For a member on the first step: their address book, to choose from.
    pub saved_addresses: Vec<crate::model::account::SavedAddress>,
    /// The discount code entered, and why it does not apply when it does not.
    pub coupon: Option<CouponEntered>,
}

/// A discount code entered for the checkout: applied (the totals show it) or refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponEntered {
    pub code: String,
    pub refused: Option<crate::model::coupon::CouponRefusal>,
}

/// On the checkout's first step: the id of a member's saved address to deliver to.
pub const ADDRESS_QUERY: &str = "adres";

/// What the order would cost with one shipping method and one payment method (or none yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotalsForChoice {
    pub shipping: ShippingMethod,
    pub payment: Option<PaymentMethod>,
    pub totals: OrderTotals,
}

impl TotalsForChoice {
    /// How the page names the choice (`standart:kapida`, `ekspres:` before a payment method
    /// is chosen): the markup's key that the island looks up from the checked radio buttons.
    pub fn key(shipping: &str, payment: &str) -> String {
        format!("{shipping}:{payment}")
    }

    pub fn own_key(&self) -> String {
        Self::key(
            self.shipping.code(),
            self.payment.map_or("", PaymentMethod::code),
        )
    }
}

/// The review's documents, exactly as they will be stored when the shopper confirms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewDocuments {
    pub pre_information_html: String,
    pub contract_html: String,
    pub documents_sha256: String,
}

/// One card family's instalments: (count, each, total).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstallmentRow {
    pub card_family: String,
    pub prices: Vec<(u32, Money, Money)>,
}
