//! One-click unsubscribe (RFC 8058) for every commercial e-mail: a link signed for one member
//! and one channel that works without logging in. A GET of it shows a page with a button (mail
//! scanners follow links; a GET changes nothing); a POST, from that button or from the mail
//! client's own "unsubscribe" (`List-Unsubscribe-Post: List-Unsubscribe=One-Click`), withdraws
//! the consent, with its ledger row (source `abonelik-iptali`) and İYS notification.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL, Engine as _};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::model::account::Channel;

type HmacSha256 = Hmac<Sha256>;

/// The link's query parameters: the member, the channel and the signature.
pub const MEMBER_QUERY: &str = "uye";
pub const CHANNEL_QUERY: &str = "kanal";
pub const SIGNATURE_QUERY: &str = "imza";

fn mac(secret: &[u8], customer: i64, channel: Channel) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
    // Labelled, so that no other signature of the shop (an order link) can stand in for it.
    mac.update(format!("lesminoria-unsubscribe:v1:{customer}:{}", channel.code()).as_bytes());
    mac
}

pub fn sign(secret: &[u8], customer: i64, channel: Channel) -> String {
    BASE64URL.encode(mac(secret, customer, channel).finalize().into_bytes())
}

/// Whether `signature` was made for this member and channel; compared in constant time.
pub fn verify(secret: &[u8], customer: i64, channel: Channel, signature: &str) -> bool {
    BASE64URL
        .decode(signature.trim())
        .is_ok_and(|bytes| mac(secret, customer, channel).verify_slice(&bytes).is_ok())
}

/// The query of a member's unsubscribe link for `channel` (after `?`).
pub fn query(secret: &[u8], customer: i64, channel: Channel) -> String {
    format!(
        "{MEMBER_QUERY}={customer}&{CHANNEL_QUERY}={}&{SIGNATURE_QUERY}={}",
        channel.code(),
        sign(secret, customer, channel)
    )
}

/// The headers every commercial e-mail carries for the link `url` (RFC 2369, RFC 8058).
pub fn headers(url: &str) -> [(&'static str, String); 2] {
    [
        ("List-Unsubscribe", format!("<{url}>")),
        (
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".to_string(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a secret of at least thirty-two bytes.";

    #[test]
    fn a_link_withdraws_only_its_own_member_and_channel() {
        let signature = sign(SECRET, 7, Channel::Email);
        assert!(verify(SECRET, 7, Channel::Email, &signature));
        assert!(!verify(SECRET, 8, Channel::Email, &signature));
        assert!(!verify(SECRET, 7, Channel::Sms, &signature));
        assert!(!verify(
            b"another secret of thirty-two bytes!!",
            7,
            Channel::Email,
            &signature
        ));
        assert!(!verify(SECRET, 7, Channel::Email, "bozuk"));
    }

    #[test]
    fn mail_carries_the_one_click_headers() {
        let [list, post] = headers("https://www.lesminoria.com/abonelik-iptali?uye=7");
        assert_eq!(list.1, "<https://www.lesminoria.com/abonelik-iptali?uye=7>");
        assert_eq!(
            post,
            (
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_string()
            )
        );
    }
}
