//! The sandbox payment provider through the `PaymentProvider` trait, on a real database (SQLite,
//! and PostgreSQL when TEST_POSTGRES_URL is set): what the accounts' "Kayıtlı kartlarım" and the
//! back office's refunds rely on.

use app::backend::payment::sandbox::{CardEntry, SandboxProvider};
use app::backend::payment::{PaymentOutcome, PaymentProvider, ProviderError, StartPayment};
use app::backend::testing::fresh_databases;
use app::model::{Locale, Money};

const SECRET: &str = "sandbox-secret-for-tests";

fn start(order: &str, member: Option<&str>) -> StartPayment {
    StartPayment {
        conversation_id: order.into(),
        price: Money(125_000),
        callback_url: "https://www.lesminoria.com/odeme/sonuc".into(),
        locale: Locale::Tr,
        buyer_email: "uye@example.com".into(),
        buyer_ip: "203.0.113.7".into(),
        max_installments: 12,
        card_user_key: member.map(str::to_string),
    }
}

fn card(number: &str, keep_card: bool) -> CardEntry {
    CardEntry {
        number: number.into(),
        expiry_month: "12".into(),
        expiry_year: "2030".into(),
        cvc: "123".into(),
        installment: 1,
        keep_card,
    }
}

fn sandbox(db: &app::backend::Db) -> SandboxProvider {
    SandboxProvider::new(
        db.clone(),
        SECRET.into(),
        "https://www.lesminoria.com".into(),
        true,
    )
}

/// Starts a payment and pays it on the sandbox's page with `entry`; the verified result.
async fn pay(
    provider: &SandboxProvider,
    request: StartPayment,
    entry: CardEntry,
) -> app::backend::payment::PaymentResult {
    let started = provider.start(request).await.unwrap();
    let bank = provider.bank().unwrap();
    bank.pay(&started.token, &entry, 12).await.unwrap();
    provider.retrieve(&started.token).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_s_card_is_kept_only_when_asked_and_only_as_token_family_last_four_and_expiry() {
    for test in fresh_databases().await {
        let provider = sandbox(&test.db);
        // Not ticked: nothing kept.
        let result = pay(
            &provider,
            start("LM-2026-000001", Some("uye-1")),
            card("5528790000000008", false),
        )
        .await;
        assert_eq!(result.outcome, PaymentOutcome::Success, "{}", test.label);
        assert_eq!(result.saved_card_token, None);
        assert!(provider.saved_cards("uye-1").await.unwrap().is_empty());

        // A guest's payment never keeps a card, ticked or not.
        let result = pay(
            &provider,
            start("LM-2026-000002", None),
            card("5528790000000008", true),
        )
        .await;
        assert_eq!(result.saved_card_token, None, "{}", test.label);

        // Ticked by a member: kept, and named by the payment's result.
        let result = pay(
            &provider,
            start("LM-2026-000003", Some("uye-1")),
            card("5528 7900 0000 0008", true),
        )
        .await;
        let token = result.saved_card_token.expect("the card's token");
        let cards = provider.saved_cards("uye-1").await.unwrap();
        assert_eq!(cards.len(), 1, "{}", test.label);
        assert_eq!(cards[0].card_token, token);
        assert_eq!(cards[0].last4, "0008");
        assert_eq!((cards[0].expiry_month, cards[0].expiry_year), (12, 2030));
        assert!(cards[0].card_family.is_some());
        // Another member sees none of it and cannot delete it.
        assert!(provider.saved_cards("uye-2").await.unwrap().is_empty());
        assert!(matches!(
            provider.delete_saved_card("uye-2", &token).await,
            Err(ProviderError::UnknownPayment)
        ));
        // A declined card is not kept.
        let declined = pay(
            &provider,
            start("LM-2026-000004", Some("uye-1")),
            card("4111111111111129", true),
        )
        .await;
        assert_eq!(declined.outcome, PaymentOutcome::Failure, "{}", test.label);
        assert_eq!(provider.saved_cards("uye-1").await.unwrap().len(), 1);

        provider.delete_saved_card("uye-1", &token).await.unwrap();
        assert!(provider.saved_cards("uye-1").await.unwrap().is_empty());
        assert!(matches!(
            provider.delete_saved_card("uye-1", &token).await,
            Err(ProviderError::UnknownPayment)
        ));

        // Nothing of the card but its last four digits reached the database.
        let numbers: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sandbox_payments WHERE card_last4 LIKE '%5528%' \
             OR card_expiry LIKE '%123%'",
        )
        .fetch_one(test.db.pool())
        .await
        .unwrap();
        assert_eq!(numbers, 0, "{}", test.label);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refunds_of_one_payment_never_add_up_to_more_than_was_paid() {
    for test in fresh_databases().await {
        let provider = sandbox(&test.db);
        let result = pay(
            &provider,
            start("LM-2026-000010", None),
            card("5528790000000008", false),
        )
        .await;
        let payment = result.payment_id.expect("a paid payment");
        assert_eq!(result.paid_price, Money(125_000));
        // Per line: two refunds that fit, then one that would exceed what is left.
        provider.refund(&payment, Money(50_000)).await.unwrap();
        provider.refund(&payment, Money(75_000)).await.unwrap();
        assert!(
            matches!(
                provider.refund(&payment, Money(1)).await,
                Err(ProviderError::Refused(_))
            ),
            "{}",
            test.label
        );
        assert!(matches!(
            provider.refund("no-such-payment", Money(1)).await,
            Err(ProviderError::UnknownPayment)
        ));
        assert!(matches!(
            provider.refund(&payment, Money(0)).await,
            Err(ProviderError::Refused(_))
        ));

        // Refunds at once: together they never pass the payment.
        let second = pay(
            &provider,
            start("LM-2026-000011", None),
            card("5528790000000008", false),
        )
        .await
        .payment_id
        .unwrap();
        let attempts = (0..10).map(|_| {
            let provider = provider.clone();
            let second = second.clone();
            tokio::spawn(async move { provider.refund(&second, Money(30_000)).await.is_ok() })
        });
        let mut granted = 0;
        for attempt in attempts {
            granted += i32::from(attempt.await.unwrap());
        }
        assert_eq!(granted, 4, "4 × 300 TL fit in 1.250 TL: {}", test.label);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decided_payment_is_announced_twice_signed_and_an_undecided_one_never() {
    for test in fresh_databases().await {
        let provider = sandbox(&test.db);
        let bank = provider.bank().unwrap().clone();
        let paid = pay(
            &provider,
            start("LM-2026-000020", None),
            card("5528790000000008", false),
        )
        .await;
        // The bank never answers for this card: nothing to announce.
        pay(
            &provider,
            start("LM-2026-000021", None),
            card("4000990000000012", false),
        )
        .await;
        // Read after the payments: one decided in the next second is due at that second.
        let now = app::backend::time::now_seconds();

        let first = bank.due_webhooks(now).await.unwrap();
        assert_eq!(first.len(), 1, "{}", test.label);
        let body: serde_json::Value = serde_json::from_str(&first[0].body).unwrap();
        assert_eq!(body["token"], paid.token.as_str());
        assert_eq!(body["status"], "SUCCESS");
        assert_eq!(body["paymentConversationId"], "LM-2026-000020");
        // Signed as iyzico signs: the shop's webhook check accepts it, and only unchanged.
        assert_eq!(
            provider.verify_webhook(&first[0].signature, &body).unwrap(),
            paid.token
        );
        let mut forged = body.clone();
        forged["status"] = "FAILURE".into();
        assert!(provider
            .verify_webhook(&first[0].signature, &forged)
            .is_err());

        // Handed out once; the second announcement comes a minute later.
        assert!(bank.due_webhooks(now).await.unwrap().is_empty());
        let later = now + app::backend::payment::sandbox::WEBHOOK_REPEAT_SECONDS;
        let second = bank.due_webhooks(later).await.unwrap();
        assert_eq!(second.len(), 1, "{}", test.label);
        let repeated: serde_json::Value = serde_json::from_str(&second[0].body).unwrap();
        assert_eq!(
            (&repeated["token"], &repeated["status"]),
            (&body["token"], &body["status"])
        );

        // Not accepted by the shop: sent again half a minute later.
        bank.webhook_not_accepted(second[0].id, later)
            .await
            .unwrap();
        assert!(bank.due_webhooks(later).await.unwrap().is_empty());
        assert_eq!(bank.due_webhooks(later + 30).await.unwrap().len(), 1);
        test.finish().await;
    }
}
