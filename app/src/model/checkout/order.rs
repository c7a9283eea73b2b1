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
    /// The payment provider asked for a review of the payment (iyzico `fraudStatus` 0).
    FraudReview,
}

/// A confirmed order's way to the shopper, set by staff one step at a time:
/// hazırlanıyor → kargoda (with carrier and tracking number) → teslim edildi.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Fulfilment {
    Preparing,
    Shipped,
    Delivered,
}

impl Fulfilment {
    /// The step that may follow `current` (none yet for a confirmed order).
    pub fn next(current: Option<Fulfilment>) -> Option<Fulfilment> {
        match current {
            None => Some(Self::Preparing),
            Some(Self::Preparing) => Some(Self::Shipped),
            Some(Self::Shipped) => Some(Self::Delivered),
            Some(Self::Delivered) => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Preparing => "order.fulfilment.preparing",
            Self::Shipped => "order.fulfilment.shipped",
            Self::Delivered => "order.fulfilment.delivered",
        }
    }
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
codes!(Fulfilment {
    Preparing => "hazirlaniyor",
    Shipped => "kargoda",
    Delivered => "teslim_edildi",
});
codes!(HoldReason {
    FirstOrder => "first_order",
    BankTransfer => "bank_transfer",
    CashOnDelivery => "cash_on_delivery",
    FraudReview => "fraud_review",
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

impl PaymentStatus {
    /// The key of its name among the interface strings.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Pending => "order.payment.pending",
            Self::Paid => "order.payment.paid",
            Self::Failed => "order.payment.failed",
            Self::DueOnDelivery => "order.payment.due_on_delivery",
            Self::Refunded => "order.payment.refunded",
        }
    }
}

impl HoldReason {
    pub fn label_key(self) -> &'static str {
        match self {
            Self::FirstOrder => "order.hold.first_order",
            Self::BankTransfer => "order.hold.bank_transfer",
            Self::CashOnDelivery => "order.hold.cash_on_delivery",
            Self::FraudReview => "order.hold.fraud_review",
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

    #[test]
    fn fulfilment_moves_one_step_at_a_time() {
        assert_eq!(Fulfilment::next(None), Some(Fulfilment::Preparing));
        assert_eq!(
            Fulfilment::next(Some(Fulfilment::Preparing)),
            Some(Fulfilment::Shipped)
        );
        assert_eq!(
            Fulfilment::next(Some(Fulfilment::Shipped)),
            Some(Fulfilment::Delivered)
        );
        assert_eq!(Fulfilment::next(Some(Fulfilment::Delivered)), None);
        assert_eq!(Fulfilment::from_code("kargoda"), Some(Fulfilment::Shipped));
    }
}

/// Put on the order page's request by the server when it is the first view right after the
/// order was placed (`?yeni=1`, once): the page then tells the browser's cart store that its
/// cart became this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JustPlaced;

/// An order as its confirmation page, the invoice and the e-mail show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub number: String,
    pub status: OrderStatus,
    pub payment_method: super::PaymentMethod,
    pub payment_status: PaymentStatus,
    pub hold_reason: Option<HoldReason>,
    pub shipping_method: super::ShippingMethod,
    pub lines: Vec<OrderLineView>,
    pub subtotal: crate::model::Money,
    /// What a discount code took off the goods, and the code.
    pub discount: crate::model::Money,
    pub coupon_code: Option<String>,
    pub shipping: crate::model::Money,
    pub payment_fee: crate::model::Money,
    pub kdv: crate::model::Money,
    pub total: crate::model::Money,
    /// What the card was charged (with any instalment interest).
    pub paid: Option<crate::model::Money>,
    pub installments: Option<i64>,
    pub card_last4: Option<String>,
    /// The last decline's message, when the last payment failed.
    pub payment_error: Option<String>,
    pub details: super::CheckoutDetails,
    /// Until when an unpaid order keeps its goods (Unix seconds).
    pub reserved_until: Option<i64>,
    pub created_at: String,
    /// The invoice's number and issue time, once issued.
    pub invoice: Option<(String, String)>,
    /// What happened to the order, oldest first: when, and its status and payment after.
    pub history: Vec<(String, OrderStatus, PaymentStatus)>,
    /// The Ön Bilgilendirme Formu and Mesafeli Satış Sözleşmesi exactly as accepted:
    /// (kind, HTML).
    pub documents: Vec<(String, String)>,
    /// Its delivery and the withdrawal requests made for it.
    pub cayma: crate::model::cayma::OrderCayma,
    /// Where a confirmed order is on its way, and with which carrier and tracking number.
    pub fulfilment: Option<Fulfilment>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// Pieces staff took off the order before it shipped, oldest first.
    pub cancellations: Vec<LineCancellationView>,
    /// The invoice returns (iade faturası) issued against its invoice, oldest first.
    pub invoice_returns: Vec<InvoiceReturnView>,
}

impl OrderView {
    /// What the order costs now: its total less what staff cancelled of it (kapıda ödeme
    /// collects this at the door).
    pub fn total_after_cancellations(&self) -> crate::model::Money {
        crate::model::Money(
            self.total.0
                - self
                    .cancellations
                    .iter()
                    .map(|cancellation| cancellation.amount.0)
                    .sum::<i64>(),
        )
    }
}

/// Pieces of one line staff cancelled, as the order's pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCancellationView {
    pub order_line_id: i64,
    /// Cancelled before the invoice was issued (which then listed only what was left), rather
    /// than documented by an invoice return.
    pub before_invoice: bool,
    /// The line's name and variant.
    pub name: String,
    pub variant: String,
    pub quantity: i64,
    /// What the pieces cost (given back when the order was paid).
    pub amount: crate::model::Money,
    /// Why, as staff wrote it for the shopper.
    pub reason: String,
    pub created_at: String,
}

/// An invoice return (iade faturası) issued against the order's invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceReturnView {
    pub number: String,
    pub reason: String,
    pub issued_at: String,
    /// What it took back: (label, quantity, amount with KDV, KDV rate).
    pub lines: Vec<(String, i64, crate::model::Money, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    /// The order line's id (the cayma form names lines by it).
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub colour: String,
    pub size: String,
    pub unit_price: crate::model::Money,
    pub kdv_rate: i64,
    pub quantity: i64,
    /// Why it cannot be withdrawn from, when the product was exempt when ordered (m.15).
    pub cayma_exempt: Option<crate::model::cayma::CaymaExemption>,
    /// How many of it earlier cayma requests withdrew.
    pub withdrawn: i64,
    /// How many of it staff cancelled before it shipped.
    pub cancelled: i64,
    /// This line's share of the order's discount.
    pub discount: crate::model::Money,
}

impl OrderLineView {
    /// How many of it a cayma request may still name.
    pub fn withdrawable(&self) -> i64 {
        if self
            .cayma_exempt
            .is_some_and(|exemption| !exemption.may_be_requested())
        {
            0
        } else {
            self.left()
        }
    }

    /// How many of it are still in the order: neither withdrawn nor cancelled.
    pub fn left(&self) -> i64 {
        (self.quantity - self.withdrawn - self.cancelled).max(0)
    }

    pub fn total(&self) -> crate::model::Money {
        crate::model::Money(self.unit_price.0 * self.quantity)
    }

    /// What was charged for the line: its total less its share of the discount.
    pub fn charged(&self) -> crate::model::Money {
        crate::model::Money(self.total().0 - self.discount.0)
    }
}
