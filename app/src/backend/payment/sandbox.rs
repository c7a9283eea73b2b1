//! The embedded sandbox payment provider: a stand-in for iyzico's Checkout Form that lives in the
//! same binary, under its own path (`/test-odeme/{token}`, served by `server/src/sandbox_page.rs`),
//! labelled as a test page and refused in production.
//!
//! It has two sides, kept apart as they would be across a network:
//! - the **provider's side** ([`Bank`]): its own table `sandbox_payments`, the card page's
//!   decisions (iyzico's published test cards with their error codes and groups, and three cards
//!   of our own for a 3-D Secure challenge, a bank that never answers, and a fraud review), and
//!   retrieve replies signed with the merchant secret exactly as iyzico signs them;
//! - the **merchant's side** ([`SandboxProvider`], the `PaymentProvider`): starts payments and
//!   believes a retrieve reply only when its signature verifies ([`verify_reply`]).
//!
//! The card number, expiry and CVC the test page takes are used to decide the outcome and then
//! dropped: only the card family and last four digits are kept, as a real provider reports them.

use futures::future::BoxFuture;

use super::signature::IyzicoRetrieveFields;
use super::{
    iyzico_amount, Decline, FraudStatus, InstallmentPrice, InstallmentTable, PaymentOutcome,
    PaymentProvider, PaymentResult, ProviderError, SavedCard, StartPayment, StartedPayment,
};
use crate::backend::{random_hex, time, Db, WriteTx};
use crate::model::Money;

/// iyzico's Checkout Form tokens live 30 minutes (`tokenExpireTime` 1800).
pub const TOKEN_LIFETIME_SECONDS: i64 = 30 * 60;
/// The 3-D Secure code the sandbox's bank page accepts (any other fails the check).
pub const CHALLENGE_CODE: &str = "283126";
/// The path of the test card page (`/test-odeme/{token}`).
pub const PAGE_PATH: &str = "/test-odeme";

/// What a test card does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardBehaviour {
    Succeeds,
    Declines {
        code: &'static str,
        group: &'static str,
        message: &'static str,
    },
    /// Asks for the 3-D Secure code ([`CHALLENGE_CODE`]) on the bank's page first.
    Challenges,
    /// The bank never answers: the payment stays pending until its token expires.
    TimesOut,
    /// Paid, with `fraudStatus` 0: the provider asks the merchant to review it.
    NeedsReview,
}

/// A card the sandbox knows.
#[derive(Clone, Copy, Debug)]
pub struct TestCard {
    pub number: &'static str,
    pub bank: &'static str,
    /// The programme whose instalments it takes (Bonus, World, …); debit cards have none.
    pub family: Option<&'static str>,
    pub behaviour: CardBehaviour,
}

const fn card(
    number: &'static str,
    bank: &'static str,
    family: Option<&'static str>,
    behaviour: CardBehaviour,
) -> TestCard {
    TestCard {
        number,
        bank,
        family,
        behaviour,
    }
}

const fn declines(code: &'static str, group: &'static str, message: &'static str) -> CardBehaviour {
    CardBehaviour::Declines {
        code,
        group,
        message,
    }
}

use CardBehaviour::{Challenges, NeedsReview, Succeeds, TimesOut};

/// iyzico's sandbox test cards (docs.iyzico.com, "Test Kartları"), then three of our own
/// (BIN 400099) for what iyzico's sandbox cannot be made to do on demand.
pub const TEST_CARDS: &[TestCard] = &[
    card("5528790000000008", "Halkbank", Some("Paraf"), Succeeds),
    card("5890040000000016", "Akbank", None, Succeeds),
    card("5526080000000006", "Akbank", Some("Axess"), Succeeds),
    card("4603450000000000", "Denizbank", Some("Bonus"), Succeeds),
    card(
        "5400360000000003",
        "Garanti Bankası",
        Some("Bonus"),
        Succeeds,
    ),
    card(
        "4543590000000006",
        "Türkiye İş Bankası",
        Some("Maximum"),
        Succeeds,
    ),
    card("5504720000000003", "HSBC Bank", Some("Advantage"), Succeeds),
    card("9792030000000000", "QNB", Some("CardFinans"), Succeeds),
    card("4157920000000002", "Vakıfbank", Some("World"), Succeeds),
    card(
        "4111111111111129",
        "",
        None,
        declines(
            "10051",
            "NOT_SUFFICIENT_FUNDS",
            "Kart limiti yetersiz, yetersiz bakiye",
        ),
    ),
    card(
        "4129111111111111",
        "",
        None,
        declines("10005", "DO_NOT_HONOUR", "İşlem onaylanmadı"),
    ),
    card(
        "4128111111111112",
        "",
        None,
        declines("10012", "INVALID_TRANSACTION", "Geçersiz işlem"),
    ),
    card(
        "4127111111111113",
        "",
        None,
        declines("10041", "LOST_CARD", "Kayıp kart, karta el koyunuz"),
    ),
    card(
        "4126111111111114",
        "",
        None,
        declines("10043", "STOLEN_CARD", "Çalıntı kart, karta el koyunuz"),
    ),
    card(
        "4125111111111115",
        "",
        None,
        declines("10054", "EXPIRED_CARD", "Vadesi dolmuş kart"),
    ),
    card(
        "4124111111111116",
        "",
        None,
        declines("10084", "INVALID_CVC2", "CVC2 bilgisi hatalı"),
    ),
    card(
        "4123111111111117",
        "",
        None,
        declines(
            "10057",
            "NOT_PERMITTED_TO_CARDHOLDER",
            "Kart sahibi bu işlemi yapamaz",
        ),
    ),
    card(
        "4122111111111118",
        "",
        None,
        declines(
            "10058",
            "NOT_PERMITTED_TO_TERMINAL",
            "Terminalin bu işlemi yapmaya yetkisi yok",
        ),
    ),
    card(
        "4121111111111119",
        "",
        None,
        declines("10034", "FRAUD_SUSPECT", "Dolandırıcılık şüphesi"),
    ),
    card(
        "4130111111111118",
        "",
        None,
        declines("10201", "CARD_NOT_PERMITTED", "Kart, işleme izin vermedi"),
    ),
    card(
        "4000990000000004",
        "Les Minoria sandbox",
        Some("Bonus"),
        Challenges,
    ),
    card("4000990000000012", "Les Minoria sandbox", None, TimesOut),
    card(
        "4000990000000020",
        "Les Minoria sandbox",
        Some("World"),
        NeedsReview,
    ),
];

/// A Luhn-valid number the sandbox does not know: iyzico's sandbox takes no live cards.
const UNKNOWN_CARD: CardBehaviour =
    declines("10215", "INVALID_CARD_NUMBER", "Geçersiz kart numarası");

/// Interest per instalment count, in basis points of the price (the sandbox's own table; real
/// rates change daily at the provider).
const INSTALLMENT_INTEREST_BP: &[(u32, i64)] = &[
    (1, 0),
    (2, 250),
    (3, 400),
    (6, 800),
    (9, 1_200),
    (12, 1_600),
];

/// Whether `digits` passes the Luhn check.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.len() < 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The instalment table for `price` on a card of `family`, up to `max` instalments.
pub fn installment_prices(price: Money, max: u32) -> Vec<InstallmentPrice> {
    INSTALLMENT_INTEREST_BP
        .iter()
        .filter(|(count, _)| *count <= max.max(1))
        .map(|&(count, bp)| {
            let total = Money(price.0 + (price.0 * bp + 5_000) / 10_000);
            InstallmentPrice {
                count,
                each: Money((total.0 + i64::from(count) - 1) / i64::from(count)),
                total,
            }
        })
        .collect()
}

/// What the shopper typed on the test page. Its `Debug` shows only the last four digits, so
/// that no log line can carry a card number.
pub struct CardEntry {
    pub number: String,
    pub expiry_month: String,
    pub expiry_year: String,
    pub cvc: String,
    pub installment: u32,
    /// The page's "Kartımı kaydet" box (offered to members only), ticked.
    pub keep_card: bool,
}

impl std::fmt::Debug for CardEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits: String = self.number.chars().filter(char::is_ascii_digit).collect();
        let last4 = digits.get(digits.len().saturating_sub(4)..).unwrap_or("");
        write!(
            f,
            "CardEntry(**** {last4}, {} instalments)",
            self.installment
        )
    }
}

/// Seconds between a decided payment's two webhooks (the second one arrives late, and twice).
pub const WEBHOOK_REPEAT_SECONDS: i64 = 60;
/// A webhook the shop did not accept is sent again after this many seconds…
const WEBHOOK_RETRY_SECONDS: i64 = 30;
/// …at most this many times in all.
const WEBHOOK_MAX_ATTEMPTS: i64 = 5;

/// A webhook the sandbox owes the shop: iyzico's JSON body and its `X-IYZ-SIGNATURE-V3`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwedWebhook {
    pub id: i64,
    pub body: String,
    pub signature: String,
}

/// A payment as the sandbox's page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxPayment {
    pub token: String,
    pub conversation_id: String,
    pub price: Money,
    pub callback_url: String,
    pub locale: String,
    pub expires_at: i64,
    pub status: String,
    /// Set for a member: the page then offers to keep the card.
    pub card_user_key: Option<String>,
}

/// What the test page does next after a card was entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BankStep {
    /// The payment is decided: back to the shop with the token.
    Decided,
    /// The bank's 3-D Secure page asks for a code.
    Challenge,
    /// The bank does not answer; the page says so and offers the way back.
    Silent,
    /// The entry itself is wrong (number, expiry, CVC): the page says which, nothing recorded.
    Invalid(&'static str),
    /// The token expired or was used already.
    Closed,
}

/// The provider's side of the sandbox.
#[derive(Clone, Debug)]
pub struct Bank {
    db: Db,
    /// The merchant's secret key at the provider: replies are signed with it.
    secret: String,
}

impl Bank {
    pub fn new(db: Db, secret: String) -> Self {
        Self { db, secret }
    }

    pub async fn payment(&self, token: &str) -> Result<Option<SandboxPayment>, sqlx::Error> {
        type Row = (
            String,
            String,
            i64,
            String,
            String,
            i64,
            String,
            Option<String>,
        );
        let row: Option<Row> = sqlx::query_as(
            "SELECT token, conversation_id, price_kurus, callback_url, locale, expires_at, status, \
             card_user_key FROM sandbox_payments WHERE token = $1",
        )
        .bind(token)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.map(
            |(token, conversation_id, price, callback_url, locale, expires_at, status, key)| {
                SandboxPayment {
                    token,
                    conversation_id,
                    price: Money(price),
                    callback_url,
                    locale,
                    expires_at,
                    status,
                    card_user_key: key,
                }
            },
        ))
    }

    /// Decides a card payment, as the bank would.
    /// The cards kept for the member whose payment `payment` is (none for a guest's), as the
    /// card page offers them: (card token, family, last four, `MM/YYYY`).
    pub async fn kept_cards(
        &self,
        payment: &SandboxPayment,
    ) -> Result<Vec<(String, Option<String>, String, String)>, sqlx::Error> {
        let Some(user_key) = &payment.card_user_key else {
            return Ok(Vec::new());
        };
        let rows: Vec<(String, Option<String>, String, i64, i64)> = sqlx::query_as(
            "SELECT card_token, card_family, last4, expiry_month, expiry_year \
             FROM sandbox_saved_cards WHERE card_user_key = $1 ORDER BY created_at, card_token",
        )
        .bind(user_key)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(token, family, last4, month, year)| {
                (token, family, last4, format!("{month:02}/{year}"))
            })
            .collect())
    }

    /// Pays with a card the bank keeps for the payment's member (iyzico's `cardToken` with the
    /// `cardUserKey`): no number or CVC is asked, and it succeeds in one go as the card did
    /// when it was kept. Another member's card token is refused like a wrong number.
    pub async fn pay_with_kept_card(
        &self,
        token: &str,
        card_token: &str,
    ) -> Result<BankStep, sqlx::Error> {
        let Some(payment) = self.payment(token).await? else {
            return Ok(BankStep::Closed);
        };
        if payment.status != "pending" || time::now_seconds() > payment.expires_at {
            return Ok(BankStep::Closed);
        }
        let card = self
            .kept_cards(&payment)
            .await?
            .into_iter()
            .find(|card| card.0 == card_token);
        let Some((_, family, last4, _)) = card else {
            return Ok(BankStep::Invalid("sandbox.error.kept_card"));
        };
        let mut tx = self.db.begin_write().await?;
        let decided = sqlx::query(
            "UPDATE sandbox_payments SET status = 'success', paid_kurus = price_kurus, \
             installment = 1, payment_id = $1, fraud_status = 1, card_family = $2, \
             card_last4 = $3 WHERE token = $4 AND status = 'pending'",
        )
        .bind(random_digits(8))
        .bind(family)
        .bind(last4)
        .bind(token)
        .execute(&mut *tx)
        .await?;
        if decided.rows_affected() == 1 {
            announce(&mut tx, token).await?;
        }
        tx.commit().await?;
        Ok(BankStep::Decided)
    }

    pub async fn pay(
        &self,
        token: &str,
        entry: &CardEntry,
        max_installments: u32,
    ) -> Result<BankStep, sqlx::Error> {
        let Some(payment) = self.payment(token).await? else {
            return Ok(BankStep::Closed);
        };
        if payment.status != "pending" || time::now_seconds() > payment.expires_at {
            return Ok(BankStep::Closed);
        }
        let number: String = entry
            .number
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if !luhn_valid(&number) {
            return Ok(BankStep::Invalid("sandbox.error.number"));
        }
        let Some(expiry) = card_expiry(&entry.expiry_month, &entry.expiry_year)
            .filter(|&expiry| expiry >= this_month())
        else {
            return Ok(BankStep::Invalid("sandbox.error.expiry"));
        };
        if !(3..=4).contains(&entry.cvc.len()) || !entry.cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(BankStep::Invalid("sandbox.error.cvc"));
        }
        let known = TEST_CARDS.iter().find(|card| card.number == number);
        let behaviour = known.map_or(UNKNOWN_CARD, |card| card.behaviour);
        let family = known.and_then(|card| card.family);
        // Debit cards (no family) pay in one go.
        let installment = if family.is_some() {
            entry.installment.clamp(1, max_installments.max(1))
        } else {
            1
        };
        let table = installment_prices(payment.price, max_installments);
        let paid = table
            .iter()
            .find(|row| row.count == installment)
            .map_or(payment.price, |row| row.total);
        let last4 = &number[number.len() - 4..];
        let (status, decline, fraud, step) = match behaviour {
            Succeeds => ("success", None, 1, BankStep::Decided),
            NeedsReview => ("success", None, 0, BankStep::Decided),
            Challenges => ("challenge", None, 1, BankStep::Challenge),
            TimesOut => ("pending", None, 1, BankStep::Silent),
            CardBehaviour::Declines {
                code,
                group,
                message,
            } => (
                "failure",
                Some((code, group, message)),
                -1,
                BankStep::Decided,
            ),
        };
        // Only a member's payment may keep its card, and only when they ticked the box.
        let keep = entry.keep_card && payment.card_user_key.is_some();
        let kept_expiry = keep.then(|| format!("{}/{}", expiry.1, expiry.0));
        // The decision, the card kept and the webhooks owed are written together.
        let mut tx = self.db.begin_write().await?;
        let decided = sqlx::query(
            "UPDATE sandbox_payments SET status = $1, paid_kurus = $2, installment = $3, \
             payment_id = $4, error_code = $5, error_group = $6, error_message = $7, \
             fraud_status = $8, card_family = $9, card_last4 = $10, keep_card = $12, \
             card_expiry = $13 \
             WHERE token = $11 AND status = 'pending'",
        )
        .bind(status)
        .bind(paid.0)
        .bind(i64::from(installment))
        .bind((status == "success").then(|| random_digits(8)))
        .bind(decline.map(|d| d.0))
        .bind(decline.map(|d| d.1))
        .bind(decline.map(|d| d.2))
        .bind(fraud)
        .bind(family)
        .bind(last4)
        .bind(token)
        .bind(i64::from(keep))
        .bind(kept_expiry)
        .execute(&mut *tx)
        .await?;
        // Another submit of the same page decided first: it announced, and kept the card.
        if decided.rows_affected() == 1 {
            if step == BankStep::Decided {
                announce(&mut tx, token).await?;
            }
            if keep && status == "success" {
                keep_card(&mut tx, token).await?;
            }
        }
        tx.commit().await?;
        Ok(step)
    }

    /// Claims the webhooks due at `now`, signed as iyzico signs them (`X-IYZ-SIGNATURE-V3`).
    /// Each is handed out once, however many server processes ask at the same time.
    pub async fn due_webhooks(&self, now: i64) -> Result<Vec<OwedWebhook>, sqlx::Error> {
        let claimed: Vec<(i64, String)> = sqlx::query_as(
            "UPDATE sandbox_webhooks SET delivered_at = $1, attempts = attempts + 1 \
             WHERE delivered_at IS NULL AND id IN (SELECT id FROM sandbox_webhooks \
             WHERE delivered_at IS NULL AND due_at <= $2 ORDER BY id LIMIT 20) \
             RETURNING id, token",
        )
        .bind(time::iso_utc(now))
        .bind(now)
        .fetch_all(self.db.pool())
        .await?;
        let mut owed = Vec::with_capacity(claimed.len());
        for (id, token) in claimed {
            let payment: Option<(String, Option<String>, String)> = sqlx::query_as(
                "SELECT status, payment_id, conversation_id FROM sandbox_payments WHERE token = $1",
            )
            .bind(&token)
            .fetch_optional(self.db.pool())
            .await?;
            let Some((status, payment_id, conversation_id)) = payment else {
                continue;
            };
            let status = if status == "success" {
                "SUCCESS"
            } else {
                "FAILURE"
            };
            let payment_id = payment_id.unwrap_or_default();
            let event_type = "CHECKOUT_FORM_AUTH";
            let signature = super::signature::iyzico_webhook_signature(
                &self.secret,
                event_type,
                &payment_id,
                &token,
                &conversation_id,
                status,
            );
            let body = serde_json::json!({
                "iyziEventType": event_type,
                "iyziEventTime": now * 1000,
                "iyziReferenceCode": format!("sandbox-{id}"),
                "iyziPaymentId": payment_id,
                "token": token,
                "paymentConversationId": conversation_id,
                "status": status,
            })
            .to_string();
            owed.push(OwedWebhook {
                id,
                body,
                signature,
            });
        }
        Ok(owed)
    }

    /// The shop did not accept webhook `id` (it was down, or answered an error): it is sent
    /// again later, a few times at most, as a provider retries.
    pub async fn webhook_not_accepted(&self, id: i64, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE sandbox_webhooks SET delivered_at = NULL, due_at = $2 \
             WHERE id = $1 AND attempts < $3",
        )
        .bind(id)
        .bind(now + WEBHOOK_RETRY_SECONDS)
        .bind(WEBHOOK_MAX_ATTEMPTS)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    /// The 3-D Secure page's answer: the right code pays, any other fails the check.
    pub async fn complete_challenge(
        &self,
        token: &str,
        code: &str,
    ) -> Result<BankStep, sqlx::Error> {
        let passed = code.trim() == CHALLENGE_CODE;
        let mut tx = self.db.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE sandbox_payments SET status = $1, payment_id = $2, error_code = $3, \
             error_group = $4, error_message = $5, fraud_status = $6 \
             WHERE token = $7 AND status = 'challenge' AND expires_at >= $8",
        )
        .bind(if passed { "success" } else { "failure" })
        .bind(passed.then(|| random_digits(8)))
        .bind((!passed).then_some("10012"))
        .bind((!passed).then_some("INVALID_TRANSACTION"))
        .bind((!passed).then_some("3-D Secure doğrulaması başarısız"))
        .bind(if passed { 1 } else { -1 })
        .bind(token)
        .bind(time::now_seconds())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 1 {
            announce(&mut tx, token).await?;
            if passed {
                keep_card(&mut tx, token).await?;
            }
        }
        tx.commit().await?;
        Ok(if updated.rows_affected() == 1 {
            BankStep::Decided
        } else {
            BankStep::Closed
        })
    }

    /// The signed retrieve reply for `token`, as iyzico's `checkoutform/auth/ecom/detail`
    /// answers (an unfinished payment past its token's life has failed).
    pub async fn retrieve_reply(&self, token: &str) -> Result<Option<RetrieveReply>, sqlx::Error> {
        sqlx::query(
            "UPDATE sandbox_payments SET status = 'failure', error_code = '10214', \
             error_group = 'COMMUNICATION_OR_SYSTEM_ERROR', \
             error_message = 'Ödeme süresi doldu' \
             WHERE token = $1 AND status IN ('pending', 'challenge') AND expires_at < $2",
        )
        .bind(token)
        .bind(time::now_seconds())
        .execute(self.db.pool())
        .await?;
        type Row = (
            String,
            i64,
            Option<i64>,
            Option<i64>,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let row: Option<Row> = sqlx::query_as(
            "SELECT conversation_id, price_kurus, paid_kurus, installment, status, payment_id, \
             error_code, error_group, error_message, fraud_status, card_family, card_last4, \
             card_token FROM sandbox_payments WHERE token = $1",
        )
        .bind(token)
        .fetch_optional(self.db.pool())
        .await?;
        let Some((
            conversation_id,
            price,
            paid,
            installment,
            status,
            payment_id,
            code,
            group,
            message,
            fraud,
            family,
            last4,
            card_token,
        )) = row
        else {
            return Ok(None);
        };
        let payment_status = match status.as_str() {
            "success" => "SUCCESS",
            "failure" => "FAILURE",
            _ => "PENDING",
        };
        let mut reply = RetrieveReply {
            payment_status: payment_status.into(),
            payment_id: payment_id.unwrap_or_default(),
            currency: "TRY".into(),
            basket_id: conversation_id.clone(),
            conversation_id,
            paid_price: iyzico_amount(Money(paid.unwrap_or(price))),
            price: iyzico_amount(Money(price)),
            token: token.into(),
            installment: installment.unwrap_or(1),
            fraud_status: fraud.unwrap_or(1),
            error_code: code,
            error_group: group,
            error_message: message,
            card_family: family,
            last_four_digits: last4,
            card_token,
            signature: String::new(),
        };
        reply.signature = reply.fields().signature(&self.secret);
        Ok(Some(reply))
    }
}

/// A retrieve reply with iyzico's field names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetrieveReply {
    pub payment_status: String,
    pub payment_id: String,
    pub currency: String,
    pub basket_id: String,
    pub conversation_id: String,
    pub paid_price: String,
    pub price: String,
    pub token: String,
    pub installment: i64,
    pub fraud_status: i64,
    pub error_code: Option<String>,
    pub error_group: Option<String>,
    pub error_message: Option<String>,
    pub card_family: Option<String>,
    pub last_four_digits: Option<String>,
    /// iyzico's `cardToken`: the card kept with this payment, if the member asked.
    pub card_token: Option<String>,
    pub signature: String,
}

impl RetrieveReply {
    fn fields(&self) -> IyzicoRetrieveFields<'_> {
        IyzicoRetrieveFields {
            payment_status: &self.payment_status,
            payment_id: &self.payment_id,
            currency: &self.currency,
            basket_id: &self.basket_id,
            conversation_id: &self.conversation_id,
            paid_price: &self.paid_price,
            price: &self.price,
            token: &self.token,
        }
    }
}

/// The merchant's reading of a retrieve reply: believed only when its signature verifies under
/// `secret`; a changed amount, status or token fails.
pub fn verify_reply(reply: &RetrieveReply, secret: &str) -> Result<PaymentResult, ProviderError> {
    if !reply.fields().verify(secret, &reply.signature) {
        return Err(ProviderError::BadSignature);
    }
    let outcome = match reply.payment_status.as_str() {
        "SUCCESS" => PaymentOutcome::Success,
        "FAILURE" => PaymentOutcome::Failure,
        _ => PaymentOutcome::Pending,
    };
    let amount = |text: &str| Money::parse_lira(text).ok_or(ProviderError::BadSignature);
    Ok(PaymentResult {
        token: reply.token.clone(),
        conversation_id: reply.conversation_id.clone(),
        outcome,
        payment_id: (!reply.payment_id.is_empty()).then(|| reply.payment_id.clone()),
        price: amount(&reply.price)?,
        paid_price: amount(&reply.paid_price)?,
        installment: u32::try_from(reply.installment).unwrap_or(1),
        fraud: match reply.fraud_status {
            1 => FraudStatus::Accepted,
            0 => FraudStatus::Review,
            _ => FraudStatus::Rejected,
        },
        decline: reply.error_code.as_ref().map(|code| Decline {
            code: code.clone(),
            group: reply.error_group.clone().unwrap_or_default(),
            message: reply.error_message.clone().unwrap_or_default(),
        }),
        card_family: reply.card_family.clone(),
        card_last4: reply.last_four_digits.clone(),
        saved_card_token: reply.card_token.clone(),
    })
}

/// The merchant's side: the `PaymentProvider` checkout talks to.
#[derive(Clone, Debug)]
pub struct SandboxProvider {
    bank: Bank,
    db: Db,
    /// The merchant's copy of the secret key, which verifies replies.
    secret: String,
    /// The shop's public origin: the test page's address is under it.
    public_url: String,
    /// False in production: every call is refused.
    enabled: bool,
}

impl SandboxProvider {
    pub fn new(db: Db, secret: String, public_url: String, enabled: bool) -> Self {
        // The load scripts sign webhooks as the provider would: they name the secret.
        let secret = std::env::var("LESMINORIA_SANDBOX_SECRET")
            .ok()
            .filter(|configured| configured.len() >= 16)
            .unwrap_or(secret);
        Self {
            bank: Bank::new(db.clone(), secret.clone()),
            db,
            secret,
            public_url,
            enabled,
        }
    }

    /// The provider's side, for the test page.
    pub fn bank(&self) -> Option<&Bank> {
        self.enabled.then_some(&self.bank)
    }

    fn refuse_in_production(&self) -> Result<(), ProviderError> {
        if self.enabled {
            Ok(())
        } else {
            Err(ProviderError::SandboxInProduction)
        }
    }
}

impl PaymentProvider for SandboxProvider {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn start(&self, request: StartPayment) -> BoxFuture<'_, Result<StartedPayment, ProviderError>> {
        Box::pin(async move {
            self.refuse_in_production()?;
            let token = random_hex(16);
            let expires_at = time::now_seconds() + TOKEN_LIFETIME_SECONDS;
            sqlx::query(
                "INSERT INTO sandbox_payments (token, conversation_id, basket_id, price_kurus, \
                 callback_url, locale, expires_at, status, created_at, card_user_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)",
            )
            .bind(&token)
            .bind(&request.conversation_id)
            .bind(&request.conversation_id)
            .bind(request.price.0)
            .bind(&request.callback_url)
            .bind(request.locale.code())
            .bind(expires_at)
            .bind(time::iso_utc(time::now_seconds()))
            .bind(&request.card_user_key)
            .execute(self.db.pool())
            .await?;
            Ok(StartedPayment {
                payment_page_url: format!("{}{PAGE_PATH}/{token}", self.public_url),
                token,
                expires_at,
            })
        })
    }

    fn retrieve<'a>(
        &'a self,
        token: &'a str,
    ) -> BoxFuture<'a, Result<PaymentResult, ProviderError>> {
        Box::pin(async move {
            self.refuse_in_production()?;
            let reply = self
                .bank
                .retrieve_reply(token)
                .await?
                .ok_or(ProviderError::UnknownPayment)?;
            verify_reply(&reply, &self.secret)
        })
    }

    fn cancel<'a>(&'a self, payment_id: &'a str) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            self.refuse_in_production()?;
            let done = sqlx::query(
                "UPDATE sandbox_payments SET status = 'failure', error_code = 'CANCELLED' \
                 WHERE payment_id = $1 AND status = 'success'",
            )
            .bind(payment_id)
            .execute(self.db.pool())
            .await?;
            if done.rows_affected() == 1 {
                Ok(())
            } else {
                Err(ProviderError::UnknownPayment)
            }
        })
    }

    fn refund<'a>(
        &'a self,
        payment_id: &'a str,
        amount: Money,
    ) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            self.refuse_in_production()?;
            if amount.0 <= 0 {
                return Err(ProviderError::Refused("a refund must be positive".into()));
            }
            // One conditional update: refunds running at once cannot together exceed the payment.
            let done = sqlx::query(
                "UPDATE sandbox_payments SET refunded_kurus = refunded_kurus + $2 \
                 WHERE payment_id = $1 AND status = 'success' \
                 AND refunded_kurus + $2 <= paid_kurus",
            )
            .bind(payment_id)
            .bind(amount.0)
            .execute(self.db.pool())
            .await?;
            if done.rows_affected() == 1 {
                return Ok(());
            }
            let known: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM sandbox_payments WHERE payment_id = $1 AND status = 'success'",
            )
            .bind(payment_id)
            .fetch_optional(self.db.pool())
            .await?;
            match known {
                Some(_) => Err(ProviderError::Refused(
                    "refunds above the amount paid".into(),
                )),
                None => Err(ProviderError::UnknownPayment),
            }
        })
    }

    fn verify_webhook(
        &self,
        signature: &str,
        body: &serde_json::Value,
    ) -> Result<String, ProviderError> {
        self.refuse_in_production()?;
        let field = |name: &str| {
            body.get(name)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let token = field("token");
        let verified = super::signature::iyzico_webhook_verifies(
            &self.secret,
            &field("iyziEventType"),
            &field("iyziPaymentId"),
            &token,
            &field("paymentConversationId"),
            &field("status"),
            signature,
        );
        if verified && !token.is_empty() {
            Ok(token)
        } else {
            Err(ProviderError::BadSignature)
        }
    }

    fn saved_cards<'a>(
        &'a self,
        card_user_key: &'a str,
    ) -> BoxFuture<'a, Result<Vec<SavedCard>, ProviderError>> {
        Box::pin(async move {
            self.refuse_in_production()?;
            let rows: Vec<(String, Option<String>, String, i64, i64)> = sqlx::query_as(
                "SELECT card_token, card_family, last4, expiry_month, expiry_year \
                 FROM sandbox_saved_cards WHERE card_user_key = $1 ORDER BY created_at, card_token",
            )
            .bind(card_user_key)
            .fetch_all(self.db.pool())
            .await?;
            Ok(rows
                .into_iter()
                .map(|(card_token, card_family, last4, month, year)| SavedCard {
                    card_token,
                    card_family,
                    last4,
                    expiry_month: u32::try_from(month).unwrap_or(0),
                    expiry_year: u32::try_from(year).unwrap_or(0),
                })
                .collect())
        })
    }

    fn delete_saved_card<'a>(
        &'a self,
        card_user_key: &'a str,
        card_token: &'a str,
    ) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            self.refuse_in_production()?;
            let deleted = sqlx::query(
                "DELETE FROM sandbox_saved_cards WHERE card_user_key = $1 AND card_token = $2",
            )
            .bind(card_user_key)
            .bind(card_token)
            .execute(self.db.pool())
            .await?;
            if deleted.rows_affected() == 1 {
                Ok(())
            } else {
                Err(ProviderError::UnknownPayment)
            }
        })
    }

    fn installments(&self, price: Money, max_installments: u32) -> Vec<InstallmentTable> {
        if !self.enabled {
            return Vec::new();
        }
        let mut families: Vec<&str> = TEST_CARDS.iter().filter_map(|card| card.family).collect();
        families.sort_unstable();
        families.dedup();
        families
            .into_iter()
            .map(|family| InstallmentTable {
                card_family: family.into(),
                prices: installment_prices(price, max_installments),
            })
            .collect()
    }
}

/// Queues the webhooks of a payment just decided: one due at once, one a minute later.
async fn announce(tx: &mut WriteTx, token: &str) -> Result<(), sqlx::Error> {
    let now = time::now_seconds();
    for due_at in [now, now + WEBHOOK_REPEAT_SECONDS] {
        sqlx::query("INSERT INTO sandbox_webhooks (token, due_at) VALUES ($1, $2)")
            .bind(token)
            .bind(due_at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A payment just succeeded: when its member asked to keep the card, the card is kept under the
/// member's key and the payment names its token.
async fn keep_card(tx: &mut WriteTx, token: &str) -> Result<(), sqlx::Error> {
    // Member, card family, last four digits, expiry (`MM/YYYY`).
    type Kept = (String, Option<String>, Option<String>, Option<String>);
    let row: Option<Kept> = sqlx::query_as(
        "SELECT card_user_key, card_family, card_last4, card_expiry FROM sandbox_payments \
         WHERE token = $1 AND status = 'success' AND keep_card = 1 \
         AND card_token IS NULL AND card_user_key IS NOT NULL",
    )
    .bind(token)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((member, family, Some(last4), Some(expiry))) = row else {
        return Ok(());
    };
    let Some((year, month)) = expiry
        .split_once('/')
        .and_then(|(month, year)| card_expiry(month, year))
    else {
        return Ok(());
    };
    let card_token = random_hex(16);
    sqlx::query(
        "INSERT INTO sandbox_saved_cards (card_token, card_user_key, card_family, last4, \
         expiry_month, expiry_year, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&card_token)
    .bind(&member)
    .bind(family)
    .bind(last4)
    .bind(month)
    .bind(year)
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE sandbox_payments SET card_token = $1 WHERE token = $2")
        .bind(&card_token)
        .bind(token)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A card's expiry as (year, month), the year in four digits (`30` is 2030); `None` when it is
/// not a month of a year.
fn card_expiry(month: &str, year: &str) -> Option<(i64, i64)> {
    let month: i64 = month.trim().parse().ok()?;
    let year: i64 = year.trim().parse().ok()?;
    let year = if year < 100 { 2000 + year } else { year };
    (1..=12).contains(&month).then_some((year, month))
}

/// This month as (year, month).
fn this_month() -> (i64, i64) {
    let now = time::iso_utc(time::now_seconds());
    (
        now[0..4].parse().unwrap_or(0),
        now[5..7].parse().unwrap_or(0),
    )
}

fn random_digits(count: usize) -> String {
    random_hex(count)
        .bytes()
        .take(count)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_test_card_is_luhn_valid() {
        for card in TEST_CARDS {
            assert!(luhn_valid(card.number), "{}", card.number);
        }
        assert!(!luhn_valid("5528790000000009"));
        assert!(!luhn_valid("4111"));
    }

    #[test]
    fn instalments_cost_interest_and_stop_at_the_cap() {
        let table = installment_prices(Money(100_000), 6);
        let counts: Vec<u32> = table.iter().map(|row| row.count).collect();
        assert_eq!(counts, [1, 2, 3, 6]);
        assert_eq!(table[0].total, Money(100_000));
        assert_eq!(table[3].total, Money(108_000));
        assert_eq!(table[3].each, Money(18_000));
        assert_eq!(installment_prices(Money(100_000), 12).len(), 6);
    }

    fn reply(secret: &str) -> RetrieveReply {
        let mut reply = RetrieveReply {
            payment_status: "SUCCESS".into(),
            payment_id: "12345678".into(),
            currency: "TRY".into(),
            basket_id: "LM-2026-000001".into(),
            conversation_id: "LM-2026-000001".into(),
            paid_price: "1080.0".into(),
            price: "1000.0".into(),
            token: "abc".into(),
            installment: 6,
            fraud_status: 1,
            error_code: None,
            error_group: None,
            error_message: None,
            card_family: Some("Bonus".into()),
            last_four_digits: Some("0008".into()),
            card_token: None,
            signature: String::new(),
        };
        reply.signature = reply.fields().signature(secret);
        reply
    }

    #[test]
    fn a_signed_reply_is_believed_with_its_amounts() {
        let result = verify_reply(&reply("s3cret"), "s3cret").unwrap();
        assert_eq!(result.outcome, PaymentOutcome::Success);
        assert_eq!(result.price, Money(100_000));
        assert_eq!(result.paid_price, Money(108_000));
        assert_eq!(result.installment, 6);
    }

    #[test]
    fn a_tampered_amount_status_or_key_is_refused() {
        let mut tampered = reply("s3cret");
        tampered.price = "1.0".into();
        assert!(matches!(
            verify_reply(&tampered, "s3cret"),
            Err(ProviderError::BadSignature)
        ));
        let mut tampered = reply("s3cret");
        tampered.payment_status = "SUCCESS ".into();
        assert!(verify_reply(&tampered, "s3cret").is_err());
        assert!(verify_reply(&reply("another"), "s3cret").is_err());
    }

    #[test]
    fn a_card_entry_never_prints_its_number() {
        let entry = CardEntry {
            number: "5528 7900 0000 0008".into(),
            expiry_month: "12".into(),
            expiry_year: "30".into(),
            cvc: "123".into(),
            installment: 1,
            keep_card: true,
        };
        let printed = format!("{entry:?}");
        assert!(!printed.contains("5528"), "{printed}");
        assert!(printed.contains("0008"));
        assert!(!printed.contains("123 "));
    }
}
