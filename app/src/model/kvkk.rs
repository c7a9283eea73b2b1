//! Kişisel verilerim (KVKK m.11): the rights a member applies for from Hesabım, their
//! applications and what the page shows of them. The download of everything the shop holds is
//! `backend::accounts::kvkk::export`.

use serde::{Deserialize, Serialize};

use crate::model::form::{Draft, FieldProblem, FormField};

/// The rights of KVKK m.11 (a)–(ı), in the law's order (the privacy notice lists eight of the
/// nine; the law's (g), telling third parties of a correction or erasure, is offered too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KvkkRight {
    WhetherProcessed,
    Information,
    Purpose,
    ThirdParties,
    Correction,
    Erasure,
    NotifyThirdParties,
    AutomatedDecision,
    Compensation,
}

impl KvkkRight {
    pub const ALL: [KvkkRight; 9] = [
        Self::WhetherProcessed,
        Self::Information,
        Self::Purpose,
        Self::ThirdParties,
        Self::Correction,
        Self::Erasure,
        Self::NotifyThirdParties,
        Self::AutomatedDecision,
        Self::Compensation,
    ];

    /// The form value and database code.
    pub fn code(self) -> &'static str {
        match self {
            Self::WhetherProcessed => "islenme",
            Self::Information => "bilgi",
            Self::Purpose => "amac",
            Self::ThirdParties => "aktarim",
            Self::Correction => "duzeltme",
            Self::Erasure => "silme",
            Self::NotifyThirdParties => "bildirim",
            Self::AutomatedDecision => "itiraz",
            Self::Compensation => "tazminat",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|right| right.code() == code)
    }

    /// The key of its sentence among the interface strings.
    pub fn label_key(self) -> String {
        format!("kvkk.right.{}", self.code())
    }
}

/// Days the data controller has to answer (KVKK m.13/2).
pub const ANSWER_DAYS: i64 = 30;
pub const DETAILS_MIN_CHARS: usize = 10;
pub const DETAILS_MAX_CHARS: usize = 3000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApplicationField {
    Right,
    Details,
}

impl FormField for ApplicationField {
    const ALL: &'static [Self] = &[Self::Right, Self::Details];
    fn name(self) -> &'static str {
        match self {
            Self::Right => "hak",
            Self::Details => "aciklama",
        }
    }
    fn max_chars(self) -> usize {
        match self {
            Self::Right => 32,
            Self::Details => DETAILS_MAX_CHARS + 100,
        }
    }
}

/// The application form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplicationDraft {
    pub right: String,
    pub details: String,
}

/// An application that meets the form's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub right: KvkkRight,
    pub details: String,
}

impl Draft for ApplicationDraft {
    type Field = ApplicationField;
    type Accepted = Application;

    fn slot(&mut self, field: ApplicationField) -> &mut String {
        match field {
            ApplicationField::Right => &mut self.right,
            ApplicationField::Details => &mut self.details,
        }
    }

    fn value(&self, field: ApplicationField) -> &str {
        match field {
            ApplicationField::Right => &self.right,
            ApplicationField::Details => &self.details,
        }
    }

    fn validate(&self) -> Result<Application, Vec<FieldProblem<ApplicationField>>> {
        let mut problems = Vec::new();
        let right = KvkkRight::from_code(self.right.trim());
        if right.is_none() {
            problems.push(FieldProblem {
                field: ApplicationField::Right,
                message_key: "kvkk.error.right",
            });
        }
        let details = self.details.trim().to_string();
        let chars = details.chars().count();
        if !(DETAILS_MIN_CHARS..=DETAILS_MAX_CHARS).contains(&chars) {
            problems.push(FieldProblem {
                field: ApplicationField::Details,
                message_key: "kvkk.error.details",
            });
        }
        match right {
            Some(right) if problems.is_empty() => Ok(Application { right, details }),
            _ => Err(problems),
        }
    }
}

/// One of the member's applications as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub reference: String,
    pub right: KvkkRight,
    /// `alindi`, `inceleniyor` or `yanitlandi`.
    pub status: String,
    pub created_at: String,
    pub due_at: String,
    pub answer: Option<String>,
}

/// Kişisel verilerim as the server loaded it (`Load::KvkkApplications`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KvkkPageData {
    pub applications: Vec<ApplicationView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_right_has_its_code_and_both_languages() {
        for right in KvkkRight::ALL {
            assert_eq!(KvkkRight::from_code(right.code()), Some(right));
            for locale in crate::model::Locale::ALL {
                let key = right.label_key();
                assert_ne!(crate::i18n::text(locale, &key), key);
            }
        }
    }

    #[test]
    fn an_application_names_a_right_and_says_what_it_asks() {
        let draft = ApplicationDraft::from_fields([("hak", "silme"), ("aciklama", "kısa")]);
        let problems = draft.validate().unwrap_err();
        assert_eq!(problems[0].field, ApplicationField::Details);
        let draft = ApplicationDraft::from_fields([
            ("hak", "duzeltme"),
            ("aciklama", "Eski adresim siparişlerimde duruyor."),
        ]);
        assert_eq!(draft.validate().unwrap().right, KvkkRight::Correction);
    }
}
