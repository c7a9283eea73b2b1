//! Payment providers behind one trait. Checkout starts a hosted payment for the amount the
//! server computed, sends the browser to the provider's page, and believes the outcome only
//! after a server-side retrieve whose signature verifies (`signature`). The embedded default is
//! the sandbox (`sandbox`), shaped like iyzico's Checkout Form; a real iyzico or PayTR adapter
//! implements the same trait.
//!
//! No card number ever passes through this module: the provider's page takes it.

pub mod sandbox;
pub mod signature;

use futures::future::BoxFuture;

use crate::model::{Locale, Money};

/// What checkout asks the provider for (iyzico's `initialize` request, trimmed to what we use).
#[derive(Clone, Debug)]
pub struct StartPayment {
    /// The order number: iyzico's `conversationId` and `basketId`.
    pub conversation_id: String,
    /// The total the server computed (`price`; `paidPrice` before any instalment interest).
    pub price: Money,
    /// Where the browser returns with the token (`callbackUrl`).
    pub callback_url: String,
    pub locale: Locale,
    pub buyer_email: String,
    pub buyer_ip: String,
    /// The most instalments to offer (configuration, at most 12).
    pub max_installments: u32,
    /// A member's key at the provider (iyzico's `cardUserKey`): with it, the payment page
    /// offers an unticked "Kartımı kaydet", and a card kept is listed under this key. `None`
    /// for guests, whose cards are never kept.
    pub card_user_key: Option<String>,
}

/// A card the provider keeps for a member: everything the shop may know of it (the privacy
/// notice: never the number, never the CVV).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedCard {
    /// The provider's token for the card (iyzico's `cardToken`).
    pub card_token: String,
    pub card_family: Option<String>,
    pub last4: String,
    pub expiry_month: u32,
    pub expiry_year: u32,
}

/// The provider's answer to a start: the token that names the payment and the page to send the
/// browser to, valid until `expires_at` (Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartedPayment {
    pub token: String,
    pub payment_page_url: String,
    pub expires_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentOutcome {
    Success,
    Failure,
    /// Not finished yet (the shopper is still on the page, or the bank has not answered).
    Pending,
}

/// iyzico's `fraudStatus`: 1 accepted, 0 to be reviewed, -1 rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FraudStatus {
    Accepted,
    Review,
    Rejected,
}

/// Why a bank declined, as the provider groups it (iyzico `errorCode`, `errorGroup`,
/// `errorMessage`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decline {
    pub code: String,
    pub group: String,
    pub message: String,
}

/// A verified retrieve: what the provider says happened to the payment `token`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentResult {
    pub token: String,
    pub conversation_id: String,
    pub outcome: PaymentOutcome,
    pub payment_id: Option<String>,
    /// The basket's price as started.
    pub price: Money,
    /// What the card was charged: above `price` when an instalment with interest was chosen.
    pub paid_price: Money,
    pub installment: u32,
    pub fraud: FraudStatus,
    pub decline: Option<Decline>,
    pub card_family: Option<String>,
    pub card_last4: Option<String>,
    /// The token of the card, when the member asked the provider to keep it with this payment.
    pub saved_card_token: Option<String>,
}

/// One row of an instalment table: `count` instalments of `each`, `total` in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstallmentPrice {
    pub count: u32,
    pub each: Money,
    pub total: Money,
}

/// A card family's instalments (Bonus, World, Maximum, Axess, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstallmentTable {
    pub card_family: String,
    pub prices: Vec<InstallmentPrice>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("the payment provider could not be reached: {0}")]
    Unavailable(String),
    #[error("the provider's answer did not carry a valid signature")]
    BadSignature,
    #[error("the provider does not know this payment")]
    UnknownPayment,
    #[error("the provider refused: {0}")]
    Refused(String),
    #[error("the sandbox payment provider is refused in production")]
    SandboxInProduction,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A payment provider: the embedded sandbox or a real one (iyzico, PayTR).
pub trait PaymentProvider: Send + Sync + std::fmt::Debug {
    /// Its name in the database (`payment_attempts.provider`).
    fn name(&self) -> &'static str;
    /// Starts a hosted payment.
    fn start(&self, request: StartPayment) -> BoxFuture<'_, Result<StartedPayment, ProviderError>>;
    /// What became of the payment `token`, believed only when its signature verified.
    fn retrieve<'a>(
        &'a self,
        token: &'a str,
    ) -> BoxFuture<'a, Result<PaymentResult, ProviderError>>;
    /// Voids a payment (same day, before the bank's reconciliation), or refunds all of it.
    fn cancel<'a>(&'a self, payment_id: &'a str) -> BoxFuture<'a, Result<(), ProviderError>>;
    /// Gives back `amount` of a payment (a line, or part of the order).
    fn refund<'a>(
        &'a self,
        payment_id: &'a str,
        amount: Money,
    ) -> BoxFuture<'a, Result<(), ProviderError>>;
    /// The payment token a webhook names, when its signature is the provider's (`signature`
    /// is the header the provider signs with, `body` the request's JSON).
    fn verify_webhook(
        &self,
        signature: &str,
        body: &serde_json::Value,
    ) -> Result<String, ProviderError>;
    /// The instalments each card family offers for `price`, up to `max_installments`, from the
    /// rates as last fetched: pages render synchronously, and providers' rates change once a
    /// day (a real adapter refreshes them in the background, as PayTR advises); empty when
    /// none are known.
    fn installments(&self, price: Money, max_installments: u32) -> Vec<InstallmentTable>;
    /// The cards the provider keeps for the member `card_user_key` (Hesabım, "Kayıtlı
    /// kartlarım"; the next checkout offers them).
    fn saved_cards<'a>(
        &'a self,
        card_user_key: &'a str,
    ) -> BoxFuture<'a, Result<Vec<SavedCard>, ProviderError>>;
    /// Deletes the member's card `card_token` at the provider: `UnknownPayment` when the member
    /// has no such card (another member's token included).
    fn delete_saved_card<'a>(
        &'a self,
        card_user_key: &'a str,
        card_token: &'a str,
    ) -> BoxFuture<'a, Result<(), ProviderError>>;
}

/// iyzico writes amounts as decimals without trailing zeros but with at least one decimal digit
/// (`"1299.9"`, `"10.0"`); the signatures are over that text.
pub fn iyzico_amount(money: Money) -> String {
    let kurus = money.0;
    let (lira, rest) = (kurus / 100, (kurus % 100).abs());
    let decimals = format!("{rest:02}");
    let decimals = decimals.trim_end_matches('0');
    format!(
        "{lira}.{}",
        if decimals.is_empty() { "0" } else { decimals }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_as_iyzico_writes_them() {
        assert_eq!(iyzico_amount(Money(129_990)), "1299.9");
        assert_eq!(iyzico_amount(Money(1_000)), "10.0");
        assert_eq!(iyzico_amount(Money(1_005)), "10.05");
        assert_eq!(iyzico_amount(Money(110)), "1.1");
    }
}
