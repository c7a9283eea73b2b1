//! Membership's e-mails: confirm your address, someone registered with your address, a link to
//! choose a new password, and "your password was changed". Each is plain text and HTML with the
//! same words; the link (when there is one) is the only thing to act on.

use crate::i18n::{text, text_with};
use crate::model::account::AccountMail;
use crate::model::brand::SellerIdentity;
use crate::model::Locale;
use crate::pages::order_mail::{short_mail, Composed};

/// The e-mail `mail` for the member called `name`, with `link` to act on.
pub fn account_mail(
    mail: AccountMail,
    name: &str,
    link: &str,
    seller: &SellerIdentity,
    locale: Locale,
) -> Composed {
    let key = match mail {
        AccountMail::Verify => "verify",
        AccountMail::Exists => "exists",
        AccountMail::Reset => "reset",
        AccountMail::PasswordChanged => "changed",
        AccountMail::Closed => "closed",
        AccountMail::EmailChange => "email_change",
    };
    let subject = text(locale, &format!("mail.account.{key}.subject"));
    let greeting = if name.is_empty() {
        text(locale, "mail.account.greeting_anonymous")
    } else {
        text_with(locale, "mail.greeting", &[("name", name)])
    };
    let body = text(locale, &format!("mail.account.{key}.body"));
    let action = text(locale, &format!("mail.account.{key}.action"));
    short_mail(subject, &greeting, &[body], &action, link, seller, locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_mail_has_its_words_in_both_languages_and_its_link() {
        for mail in [
            AccountMail::Verify,
            AccountMail::Exists,
            AccountMail::Reset,
            AccountMail::PasswordChanged,
            AccountMail::Closed,
            AccountMail::EmailChange,
        ] {
            for locale in Locale::ALL {
                let composed = account_mail(
                    mail,
                    "Ayşe <b>",
                    "https://lesminoria.com/x?a=1&b=2",
                    &SellerIdentity::default(),
                    locale,
                );
                assert!(
                    !composed.subject.starts_with("mail."),
                    "{mail:?} {locale:?}"
                );
                assert!(!composed.text.contains("mail.account"), "{}", composed.text);
                assert!(composed.text.contains("https://lesminoria.com/x?a=1&b=2"));
                assert!(composed.html.contains("x?a=1&amp;b=2"));
                assert!(composed.html.contains("Ayşe &lt;b&gt;"));
            }
        }
    }
}
