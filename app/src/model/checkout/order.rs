//! An order's states as the database stores them and pages name them.
//!
//! ```text
//! awaiting_payment ──paid──▶ confirmed            (card, a returning customer)
//!        │          └─paid──▶ on_hold (first_order)
//!        └─failed / expired──▶ cancelled          (stock given back)
//! placed with havale/EFT or kapıda ödeme ──▶ on_hold (bank_transfer / cash_on_delivery)
//! on_hold ──staff release──▶ confirmed
//! ```

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    /// The hosted payment was started; stock is reserved until it ends or expires.
    AwaitingPayment,
    /// "Onay bekliyor": nothing moves to fulfilment until staff release it.
    OnHold,
    /// Released for fulfilment.
    Confirmed,
    /// Not paid, expired or cancelled; its stock is back on sale.
    Cancelled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentStatus {
    Pending,
    Paid,
    Failed,
    /// Kapıda ödeme: the courier collects it.
    DueOnDelivery,
    Refunded,
}

/// Why an order waits for staff (the privacy notice's promise and the shop's rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HoldReason {
    /// The first order of a customer not seen before (by e-mail or phone).
    FirstOrder,
    /// Havale/EFT: waits for the transfer to arrive.
    BankTransfer,
    /// Kapıda ödeme: the address and phone are confirmed first.
    CashOnDelivery,
}

macro_rules! codes {
    ($type:ty { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $type {
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

codes!(OrderStatus {
    AwaitingPayment => "awaiting_payment",
    OnHold => "on_hold",
    Confirmed => "confirmed",
    Cancelled => "cancelled",
});
codes!(PaymentStatus {
    Pending => "pending",
    Paid => "paid",
    Failed => "failed",
    DueOnDelivery => "due_on_delivery",
    Refunded => "refunded",
});
codes!(HoldReason {
    FirstOrder => "first_order",
    BankTransfer => "bank_transfer",
    CashOnDelivery => "cash_on_delivery",
});

impl OrderStatus {
    /// The key of its name among the interface strings.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "order.status.awaiting_payment",
            Self::OnHold => "order.status.on_hold",
            Self::Confirmed => "order.status.confirmed",
            Self::Cancelled => "order.status.cancelled",
        }
    }
}

impl HoldReason {
    pub fn label_key(self) -> &'static str {
        match self {
            Self::FirstOrder => "order.hold.first_order",
            Self::BankTransfer => "order.hold.bank_transfer",
            Self::CashOnDelivery => "order.hold.cash_on_delivery",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for status in [
            OrderStatus::AwaitingPayment,
            OrderStatus::OnHold,
            OrderStatus::Confirmed,
            OrderStatus::Cancelled,
        ] {
            assert_eq!(OrderStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(PaymentStatus::from_code("paid"), Some(PaymentStatus::Paid));
        assert_eq!(HoldReason::from_code("nope"), None);
    }
}
