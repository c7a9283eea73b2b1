//! The second step: how the order travels and how it is paid, each with its cost shown before
//! the order is placed (Mesafeli Sözleşmeler Yönetmeliği m.5: every extra cost is told first).

use serde::{Deserialize, Serialize};

use crate::model::cart::ShippingPolicy;
use crate::model::form::{Draft, FieldProblem, FormField};
use crate::model::Money;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ShippingMethod {
    /// Cargo in 1–3 working days: the shop's flat fee, free from its threshold.
    Standard,
    /// Next working day: a fee of its own, never free.
    Express,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// Card on the payment provider's hosted page, with 3-D Secure; the card never reaches us.
    Card,
    /// Havale/EFT to the shop's IBAN, the order number as reference; staff mark it paid.
    BankTransfer,
    /// Kapıda ödeme: paid to the courier, for a fee.
    CashOnDelivery,
}

/// What the shop charges for each method (configuration; all amounts include KDV).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutPolicy {
    pub shipping: ShippingPolicy,
    pub express_fee: Money,
    pub cash_on_delivery_fee: Money,
    /// Couriers carry only so much cash: above this total kapıda ödeme is not offered.
    pub cash_on_delivery_max_total: Money,
    /// Hours a havale/EFT order waits for its transfer before it is cancelled.
    pub transfer_deadline_hours: i64,
    /// The most instalments offered (the issue caps it at 12).
    pub max_installments: u32,
}

impl Default for CheckoutPolicy {
    fn default() -> Self {
        Self {
            shipping: ShippingPolicy::default(),
            express_fee: Money(14_990),
            cash_on_delivery_fee: Money(4_990),
            cash_on_delivery_max_total: Money(1_000_000),
            transfer_deadline_hours: 48,
            max_installments: 12,
        }
    }
}

/// KDV rate of the shipping and kapıda ödeme fees (services, at the standard rate).
pub const SERVICE_KDV_RATE: i64 = 20;

impl ShippingMethod {
    pub const ALL: [ShippingMethod; 2] = [Self::Standard, Self::Express];

    pub fn code(self) -> &'static str {
        match self {
            Self::Standard => "standart",
            Self::Express => "hizli",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|method| method.code() == code)
    }

    /// What delivery costs for goods worth `subtotal`.
    pub fn fee(self, policy: &CheckoutPolicy, subtotal: Money) -> Money {
        match self {
            Self::Standard if subtotal >= policy.shipping.free_from => Money::ZERO,
            Self::Standard => policy.shipping.fee,
            Self::Express => policy.express_fee,
        }
    }

    /// The most days delivery may take (the contract says so; the law's ceiling is 30).
    pub fn delivery_days(self) -> i64 {
        match self {
            Self::Standard => 3,
            Self::Express => 1,
        }
    }
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [Self::Card, Self::BankTransfer, Self::CashOnDelivery];

    pub fn code(self) -> &'static str {
        match self {
            Self::Card => "kart",
            Self::BankTransfer => "havale",
            Self::CashOnDelivery => "kapida",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|method| method.code() == code)
    }

    pub fn fee(self, policy: &CheckoutPolicy) -> Money {
        match self {
            Self::CashOnDelivery => policy.cash_on_delivery_fee,
            Self::Card | Self::BankTransfer => Money::ZERO,
        }
    }

    /// Whether the method may pay for goods and delivery worth `total_before_fee`.
    pub fn offered_for(self, policy: &CheckoutPolicy, total_before_fee: Money) -> bool {
        match self {
            Self::CashOnDelivery => {
                Money(total_before_fee.0 + policy.cash_on_delivery_fee.0)
                    <= policy.cash_on_delivery_max_total
            }
            Self::Card | Self::BankTransfer => true,
        }
    }
}

/// What the second step accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutMethods {
    pub shipping: ShippingMethod,
    pub payment: PaymentMethod,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MethodsField {
    Shipping,
    Payment,
}

impl FormField for MethodsField {
    const ALL: &'static [Self] = &[Self::Shipping, Self::Payment];

    fn name(self) -> &'static str {
        match self {
            Self::Shipping => "kargo",
            Self::Payment => "odeme",
        }
    }

    fn max_chars(self) -> usize {
        20
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MethodsDraft {
    pub shipping: String,
    pub payment: String,
}

impl Draft for MethodsDraft {
    type Field = MethodsField;
    type Accepted = CheckoutMethods;

    fn slot(&mut self, field: MethodsField) -> &mut String {
        match field {
            MethodsField::Shipping => &mut self.shipping,
            MethodsField::Payment => &mut self.payment,
        }
    }

    fn value(&self, field: MethodsField) -> &str {
        match field {
            MethodsField::Shipping => &self.shipping,
            MethodsField::Payment => &self.payment,
        }
    }

    /// The methods as chosen; whether kapıda ödeme is offered for this cart's total is the
    /// server's check (`backend::checkout`), which knows the total.
    fn validate(&self) -> Result<CheckoutMethods, Vec<FieldProblem<MethodsField>>> {
        let shipping = ShippingMethod::from_code(&self.shipping);
        let payment = PaymentMethod::from_code(&self.payment);
        let mut problems = Vec::new();
        if shipping.is_none() {
            problems.push(FieldProblem {
                field: MethodsField::Shipping,
                message_key: "checkout.error.shipping",
            });
        }
        if payment.is_none() {
            problems.push(FieldProblem {
                field: MethodsField::Payment,
                message_key: "checkout.error.payment",
            });
        }
        match (shipping, payment) {
            (Some(shipping), Some(payment)) => Ok(CheckoutMethods { shipping, payment }),
            _ => Err(problems),
        }
    }
}

impl MethodsDraft {
    pub fn from_accepted(methods: &CheckoutMethods) -> Self {
        Self {
            shipping: methods.shipping.code().into(),
            payment: methods.payment.code().into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_shipping_is_free_from_the_threshold_express_never() {
        let policy = CheckoutPolicy::default();
        let free_from = policy.shipping.free_from;
        assert_eq!(
            ShippingMethod::Standard.fee(&policy, Money(free_from.0 - 1)),
            policy.shipping.fee
        );
        assert_eq!(
            ShippingMethod::Standard.fee(&policy, free_from),
            Money::ZERO
        );
        assert_eq!(
            ShippingMethod::Express.fee(&policy, free_from),
            policy.express_fee
        );
    }

    #[test]
    fn cash_on_delivery_has_a_fee_and_a_ceiling() {
        let policy = CheckoutPolicy::default();
        assert_eq!(PaymentMethod::CashOnDelivery.fee(&policy), Money(4_990));
        assert_eq!(PaymentMethod::Card.fee(&policy), Money::ZERO);
        let ceiling = Money(policy.cash_on_delivery_max_total.0 - policy.cash_on_delivery_fee.0);
        assert!(PaymentMethod::CashOnDelivery.offered_for(&policy, ceiling));
        assert!(!PaymentMethod::CashOnDelivery.offered_for(&policy, Money(ceiling.0 + 1)));
        assert!(PaymentMethod::BankTransfer.offered_for(&policy, Money(i64::MAX / 2)));
    }

    #[test]
    fn unknown_choices_are_problems_of_their_fields() {
        let draft = MethodsDraft::from_fields([("kargo", "uçak"), ("odeme", "kart")]);
        let problems = draft.validate().unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, MethodsField::Shipping);
        let methods = MethodsDraft::from_fields([("kargo", "hizli"), ("odeme", "kapida")])
            .validate()
            .unwrap();
        assert_eq!(
            MethodsDraft::from_accepted(&methods).validate(),
            Ok(methods)
        );
    }
}
