//! The contact form on İletişim: what a shopper may send us (a complaint, a suggestion, a question
//! or a question about an order), and the rules it must meet. The server checks them; the page
//! shows each problem next to its field and keeps what was typed (the form kit in
//! [`crate::model::form`]).

use crate::model::form::{Draft, FormField};

/// Why the shopper writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactTopic {
    Complaint,
    Suggestion,
    Question,
    Order,
}

impl ContactTopic {
    pub const ALL: [ContactTopic; 4] = [
        Self::Complaint,
        Self::Suggestion,
        Self::Question,
        Self::Order,
    ];

    /// The form value and database code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Complaint => "sikayet",
            Self::Suggestion => "oneri",
            Self::Question => "soru",
            Self::Order => "siparis",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|topic| topic.code() == code)
    }
}

/// The form's fields by their names in the HTML form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContactField {
    Topic,
    Name,
    Email,
    OrderNumber,
    Message,
}

impl FormField for ContactField {
    const ALL: &'static [Self] = &[
        Self::Topic,
        Self::Name,
        Self::Email,
        Self::OrderNumber,
        Self::Message,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Topic => "konu",
            Self::Name => "ad",
            Self::Email => "eposta",
            Self::OrderNumber => "siparis",
            Self::Message => "mesaj",
        }
    }

    /// A little over each rule's limit, so that a value too long is still shown (and refused
    /// beside its field) rather than silently cut to fit.
    fn max_chars(self) -> usize {
        match self {
            Self::Topic => 32,
            Self::Name => NAME_MAX_CHARS + 100,
            Self::Email => EMAIL_MAX_CHARS + 100,
            Self::OrderNumber => ORDER_NUMBER_MAX_CHARS + 100,
            Self::Message => MESSAGE_MAX_CHARS + 100,
        }
    }
}

pub const NAME_MAX_CHARS: usize = 100;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const ORDER_NUMBER_MAX_CHARS: usize = 32;
pub const MESSAGE_MIN_CHARS: usize = 10;
pub const MESSAGE_MAX_CHARS: usize = 5000;

/// The form as typed (every field text, possibly empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactDraft {
    pub topic: String,
    pub name: String,
    pub email: String,
    pub order_number: String,
    pub message: String,
}

/// A message that meets every rule, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactMessage {
    pub topic: ContactTopic,
    pub name: String,
    pub email: String,
    pub order_number: Option<String>,
    pub message: String,
}

/// A problem with one of the contact form's fields.
pub type FieldProblem = crate::model::form::FieldProblem<ContactField>;

/// A contact message's reference number, confirmed to exist by the server before the
/// confirmation page renders (`server/src/pages.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmedReference(pub String);

impl Draft for ContactDraft {
    type Field = ContactField;
    type Accepted = ContactMessage;

    fn slot(&mut self, field: ContactField) -> &mut String {
        match field {
            ContactField::Topic => &mut self.topic,
            ContactField::Name => &mut self.name,
            ContactField::Email => &mut self.email,
            ContactField::OrderNumber => &mut self.order_number,
            ContactField::Message => &mut self.message,
        }
    }

    fn value(&self, field: ContactField) -> &str {
        match field {
            ContactField::Topic => &self.topic,
            ContactField::Name => &self.name,
            ContactField::Email => &self.email,
            ContactField::OrderNumber => &self.order_number,
            ContactField::Message => &self.message,
        }
    }

    /// The message, or every problem at once (so the shopper fixes them in one go).
    fn validate(&self) -> Result<ContactMessage, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field, message_key| problems.push(FieldProblem { field, message_key });

        let topic = ContactTopic::from_code(self.topic.trim());
        if topic.is_none() {
            problem(ContactField::Topic, "contact.error.topic");
        }
        let name = self.name.trim();
        if name.chars().count() < 2 {
            problem(ContactField::Name, "contact.error.name");
        } else if name.chars().count() > NAME_MAX_CHARS {
            problem(ContactField::Name, "contact.error.name_long");
        }
        let email = self.email.trim();
        if !is_plausible_email(email) {
            problem(ContactField::Email, "contact.error.email");
        }
        let order_number = self.order_number.trim();
        let order_ok = order_number.chars().count() <= ORDER_NUMBER_MAX_CHARS
            && order_number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !order_ok {
            problem(ContactField::OrderNumber, "contact.error.order_number");
        }
        let message = self.message.trim();
        let message_chars = message.chars().count();
        if message_chars < MESSAGE_MIN_CHARS {
            problem(ContactField::Message, "contact.error.message_short");
        } else if message_chars > MESSAGE_MAX_CHARS {
            problem(ContactField::Message, "contact.error.message_long");
        }

        match topic {
            Some(topic) if problems.is_empty() => Ok(ContactMessage {
                topic,
                name: name.to_string(),
                email: email.to_string(),
                order_number: (!order_number.is_empty()).then(|| order_number.to_uppercase()),
                message: message.to_string(),
            }),
            _ => Err(problems),
        }
    }
}

/// One `@`, something before it, a dotted domain after it, no spaces: the shape of an address
/// we can answer. Whether it exists only a reply can tell.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.chars().count() <= EMAIL_MAX_CHARS
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ContactDraft {
        ContactDraft {
            topic: "soru".into(),
            name: "  Ayşe Yılmaz ".into(),
            email: "ayse@example.com".into(),
            order_number: "lm-2026-0001".into(),
            message: "Keten gömleğin bedenleri dar mı kalıyor?".into(),
        }
    }

    #[test]
    fn a_good_message_is_trimmed_and_kept() {
        let message = draft().validate().unwrap();
        assert_eq!(message.topic, ContactTopic::Question);
        assert_eq!(message.name, "Ayşe Yılmaz");
        assert_eq!(message.order_number.as_deref(), Some("LM-2026-0001"));
        let without_order = ContactDraft {
            order_number: "  ".into(),
            ..draft()
        };
        assert_eq!(without_order.validate().unwrap().order_number, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = ContactDraft {
            topic: "spam".into(),
            name: "A".into(),
            email: "ayse@".into(),
            order_number: "<script>".into(),
            message: "kısa".into(),
        };
        let fields: Vec<ContactField> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                ContactField::Topic,
                ContactField::Name,
                ContactField::Email,
                ContactField::OrderNumber,
                ContactField::Message
            ]
        );
    }

    #[test]
    fn limits_are_exact() {
        let at = |chars: usize| ContactDraft {
            message: "ş".repeat(chars),
            ..draft()
        };
        assert!(at(MESSAGE_MIN_CHARS).validate().is_ok());
        assert!(at(MESSAGE_MIN_CHARS - 1).validate().is_err());
        assert!(at(MESSAGE_MAX_CHARS).validate().is_ok());
        assert!(at(MESSAGE_MAX_CHARS + 1).validate().is_err());
        for email in ["a@b.co", "ayşe.yılmaz@örnek.com.tr"] {
            assert!(is_plausible_email(email), "{email}");
        }
        for email in ["", "a", "a@b", "@b.co", "a@b.co.", "a b@c.co", "a@b@c.co"] {
            assert!(!is_plausible_email(email), "{email}");
        }
    }
}
