//! The HMAC-SHA256 signatures of iyzico's Checkout Form and of PayTR's iFrame API, as their
//! documentation and SDKs compute them (`../shared/reference/turkish-checkout.md` names the
//! sources). A payment result is believed only when its signature verifies; verification
//! compares in constant time.

use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::backend::hex;

type HmacSha256 = Hmac<Sha256>;

/// The HMAC of `message` under `secret`, ready to finalise or to verify against.
fn keyed(secret: &str, message: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac
}

fn mac(secret: &str, message: &str) -> Vec<u8> {
    keyed(secret, message).finalize().into_bytes().to_vec()
}

/// Whether `claimed` (hex, either case) is the HMAC of `message` under `secret`, compared in
/// constant time.
fn verify_hex(secret: &str, message: &str, claimed: &str) -> bool {
    let Some(claimed) = decode_hex(claimed) else {
        return false;
    };
    keyed(secret, message).verify_slice(&claimed).is_ok()
}

/// Whether `claimed` (base64) is the HMAC of `message` under `secret`, in constant time.
fn verify_base64(secret: &str, message: &str, claimed: &str) -> bool {
    let Ok(claimed) = BASE64.decode(claimed.trim()) else {
        return false;
    };
    keyed(secret, message).verify_slice(&claimed).is_ok()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

/// iyzico: the signature on a Checkout Form initialisation reply, over
/// `conversationId:token`.
pub fn iyzico_initialize_signature(secret: &str, conversation_id: &str, token: &str) -> String {
    hex(&mac(secret, &format!("{conversation_id}:{token}")))
}

/// iyzico: what a Checkout Form retrieve reply is signed over, in this order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IyzicoRetrieveFields<'a> {
    pub payment_status: &'a str,
    pub payment_id: &'a str,
    pub currency: &'a str,
    pub basket_id: &'a str,
    pub conversation_id: &'a str,
    /// As the reply writes it (`"1.1"`, `"10.5"`): signed as text.
    pub paid_price: &'a str,
    pub price: &'a str,
    pub token: &'a str,
}

impl IyzicoRetrieveFields<'_> {
    fn message(&self) -> String {
        [
            self.payment_status,
            self.payment_id,
            self.currency,
            self.basket_id,
            self.conversation_id,
            self.paid_price,
            self.price,
            self.token,
        ]
        .join(":")
    }

    pub fn signature(&self, secret: &str) -> String {
        hex(&mac(secret, &self.message()))
    }

    /// Whether the reply's `signature` is ours for these fields: a tampered amount or status fails.
    pub fn verify(&self, secret: &str, signature: &str) -> bool {
        verify_hex(secret, &self.message(), signature)
    }
}

/// iyzico: the signature on a direct-API 3-D Secure callback, over
/// `conversationData:conversationId:mdStatus:paymentId:status`.
pub fn iyzico_3ds_callback_signature(
    secret: &str,
    conversation_data: &str,
    conversation_id: &str,
    md_status: &str,
    payment_id: &str,
    status: &str,
) -> String {
    let message = [
        conversation_data,
        conversation_id,
        md_status,
        payment_id,
        status,
    ]
    .join(":");
    hex(&mac(secret, &message))
}

/// iyzico: the `X-IYZ-SIGNATURE-V3` header of a webhook, over the secret followed by the event
/// type, payment id, token, conversation id and status, concatenated.
pub fn iyzico_webhook_signature(
    secret: &str,
    event_type: &str,
    payment_id: &str,
    token: &str,
    conversation_id: &str,
    status: &str,
) -> String {
    let message = format!("{secret}{event_type}{payment_id}{token}{conversation_id}{status}");
    hex(&mac(secret, &message))
}

/// iyzico: whether a webhook's `X-IYZ-SIGNATURE-V3` is ours, compared in constant time.
pub fn iyzico_webhook_verifies(
    secret: &str,
    event_type: &str,
    payment_id: &str,
    token: &str,
    conversation_id: &str,
    status: &str,
    claimed: &str,
) -> bool {
    let message = format!("{secret}{event_type}{payment_id}{token}{conversation_id}{status}");
    verify_hex(secret, &message, claimed)
}

/// iyzico: the `Authorization` header of a request (`IYZWSv2`), signing the request path as the
/// node SDK does (the PHP SDK signs an empty path for `/payment/…`; the sandbox follows node).
pub fn iyzico_authorization(
    api_key: &str,
    secret: &str,
    random_key: &str,
    uri_path: &str,
    json_body: &str,
) -> String {
    let signature = hex(&mac(secret, &format!("{random_key}{uri_path}{json_body}")));
    let credentials = format!("apiKey:{api_key}&randomKey:{random_key}&signature:{signature}");
    format!("IYZWSv2 {}", BASE64.encode(credentials))
}

/// PayTR: the `hash` of a payment callback, over `merchant_oid`, salt, status and total amount
/// (kuruş), concatenated; base64.
pub fn paytr_callback_hash(
    merchant_key: &str,
    merchant_salt: &str,
    merchant_oid: &str,
    status: &str,
    total_amount: &str,
) -> String {
    let message = paytr_callback_message(merchant_salt, merchant_oid, status, total_amount);
    BASE64.encode(mac(merchant_key, &message))
}

/// PayTR: whether a callback's `hash` is ours.
pub fn paytr_callback_verifies(
    merchant_key: &str,
    merchant_salt: &str,
    merchant_oid: &str,
    status: &str,
    total_amount: &str,
    hash: &str,
) -> bool {
    let message = paytr_callback_message(merchant_salt, merchant_oid, status, total_amount);
    verify_base64(merchant_key, &message, hash)
}

/// What a PayTR callback's hash is over: `merchant_oid`, salt, status and total amount,
/// concatenated.
fn paytr_callback_message(
    salt: &str,
    merchant_oid: &str,
    status: &str,
    total_amount: &str,
) -> String {
    format!("{merchant_oid}{salt}{status}{total_amount}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iyzicos_published_3ds_callback_vector() {
        // samples/callbackUrl_Signature_Validation.php (iyzipay-php): empty conversation data
        // and conversation id, mdStatus 1, payment 22484292, success.
        let signature = iyzico_3ds_callback_signature(
            "jLc7GQHD2pyJoqXDeEcTnGHYtP7Ai5jl",
            "",
            "",
            "1",
            "22484292",
            "success",
        );
        assert_eq!(
            signature,
            "a4f73b80bb32a6ef8358090bbd8609a49a7b53f463048f8ef147496e236d04f0"
        );
        assert!(verify_hex(
            "jLc7GQHD2pyJoqXDeEcTnGHYtP7Ai5jl",
            "::1:22484292:success",
            &signature.to_uppercase()
        ));
    }

    #[test]
    fn iyzicos_published_webhook_vector() {
        // samples/webhook_Signature_Validation.php (iyzipay-php): a Checkout Form payment.
        let signature = iyzico_webhook_signature(
            "sandbox-UuLnD7wZa0a3DmytfIrwHQqAMfqCNJrs",
            "CHECKOUT_FORM_AUTH",
            "22483975",
            "e828c62d-fd12-4b1a-ad5a-380f15fe6596",
            "conversationId",
            "SUCCESS",
        );
        assert_eq!(
            signature,
            "4031c575763486a2d2bf3f7ace0baebfcd6bed65393ab4df3fe80c00d5fd6878"
        );
    }

    #[test]
    fn a_retrieve_reply_with_a_changed_amount_or_status_does_not_verify() {
        let secret = "sandbox-secret";
        let paid = IyzicoRetrieveFields {
            payment_status: "SUCCESS",
            payment_id: "22416035",
            currency: "TRY",
            basket_id: "LM-2026-000123",
            conversation_id: "lm-attempt-7",
            paid_price: "1299.9",
            price: "1299.9",
            token: "b5ad7e6a-bd4a-4e9b-8bbf-9b6a3a0a53f1",
        };
        let signature = paid.signature(secret);
        assert!(paid.verify(secret, &signature));
        let cheaper = IyzicoRetrieveFields {
            paid_price: "1.0",
            ..paid.clone()
        };
        assert!(!cheaper.verify(secret, &signature), "a tampered amount");
        let failed = IyzicoRetrieveFields {
            payment_status: "FAILURE",
            ..paid.clone()
        };
        assert!(!failed.verify(secret, &signature), "a tampered status");
        assert!(!paid.verify("another-secret", &signature), "another key");
        assert!(!paid.verify(secret, "not hex"), "junk");
        assert!(
            !paid.verify(secret, &signature[..62]),
            "a shortened signature"
        );
    }

    #[test]
    fn the_authorization_header_carries_the_key_and_a_path_signature() {
        let header = iyzico_authorization("api-key", "secret", "123456789", "/payment/test", "{}");
        let encoded = header.strip_prefix("IYZWSv2 ").unwrap();
        let decoded = String::from_utf8(BASE64.decode(encoded).unwrap()).unwrap();
        let expected = hex(&mac("secret", "123456789/payment/test{}"));
        assert_eq!(
            decoded,
            format!("apiKey:api-key&randomKey:123456789&signature:{expected}")
        );
    }

    #[test]
    fn a_paytr_callback_verifies_only_with_its_own_fields() {
        let hash = paytr_callback_hash("key", "salt", "LM2026000123", "success", "129990");
        assert!(paytr_callback_verifies(
            "key",
            "salt",
            "LM2026000123",
            "success",
            "129990",
            &hash
        ));
        assert!(!paytr_callback_verifies(
            "key",
            "salt",
            "LM2026000123",
            "success",
            "100",
            &hash
        ));
        assert!(!paytr_callback_verifies(
            "key",
            "salt",
            "LM2026000123",
            "failed",
            "129990",
            &hash
        ));
        assert!(!paytr_callback_verifies(
            "key",
            "salt",
            "LM2026000123",
            "success",
            "129990",
            "%%%"
        ));
    }
}
