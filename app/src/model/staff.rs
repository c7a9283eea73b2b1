//! The back office's people: staff with a role, logged in with a password and, for a
//! yonetici, a TOTP code from an authenticator app.

use serde::{Deserialize, Serialize};

use super::form::{Draft, FieldProblem, FormField};

/// What a member of staff may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StaffRole {
    /// Orders, messages, KVKK applications: the daily work. No catalogue, no staff.
    Destek,
    /// Everything, with a second factor.
    Yonetici,
}

impl StaffRole {
    pub fn code(self) -> &'static str {
        match self {
            Self::Destek => "destek",
            Self::Yonetici => "yonetici",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "destek" => Some(Self::Destek),
            "yonetici" => Some(Self::Yonetici),
            _ => None,
        }
    }

    /// Whether this role may do what `needed` may.
    pub fn covers(self, needed: StaffRole) -> bool {
        self >= needed
    }

    /// Whether a login with this role needs the second factor.
    pub fn needs_second_factor(self) -> bool {
        self == Self::Yonetici
    }
}

/// The member of staff a back-office request is made by (put on the request by the guard).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaffLoginField {
    Email,
    Password,
    Code,
}

impl FormField for StaffLoginField {
    const ALL: &'static [Self] = &[Self::Email, Self::Password, Self::Code];
    fn name(self) -> &'static str {
        match self {
            Self::Email => "eposta",
            Self::Password => "sifre",
            Self::Code => "kod",
        }
    }
    fn max_chars(self) -> usize {
        match self {
            Self::Email => 320,
            Self::Password => 228,
            Self::Code => 16,
        }
    }
}

/// The back office's login form: the address, the password and (for a yonetici) the code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffLoginDraft {
    pub email: String,
    pub password: String,
    pub code: String,
}

/// What a login form says, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffCredentials {
    pub email: String,
    pub password: String,
    /// The six digits, without spaces; empty when none was typed.
    pub code: String,
}

impl Draft for StaffLoginDraft {
    type Field = StaffLoginField;
    type Accepted = StaffCredentials;

    fn slot(&mut self, field: StaffLoginField) -> &mut String {
        match field {
            StaffLoginField::Email => &mut self.email,
            StaffLoginField::Password => &mut self.password,
            StaffLoginField::Code => &mut self.code,
        }
    }

    fn value(&self, field: StaffLoginField) -> &str {
        match field {
            StaffLoginField::Email => &self.email,
            StaffLoginField::Password => &self.password,
            StaffLoginField::Code => &self.code,
        }
    }

    fn validate(&self) -> Result<StaffCredentials, Vec<FieldProblem<StaffLoginField>>> {
        let email = self.email.trim().to_lowercase();
        let code: String = self.code.chars().filter(|c| !c.is_whitespace()).collect();
        let mut problems = Vec::new();
        if !email.contains('@') {
            problems.push(FieldProblem {
                field: StaffLoginField::Email,
                message_key: "staff.problem.email",
            });
        }
        if self.password.is_empty() {
            problems.push(FieldProblem {
                field: StaffLoginField::Password,
                message_key: "staff.problem.password",
            });
        }
        if !code.is_empty() && (code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit())) {
            problems.push(FieldProblem {
                field: StaffLoginField::Code,
                message_key: "staff.problem.code",
            });
        }
        if problems.is_empty() {
            Ok(StaffCredentials {
                email,
                password: self.password.clone(),
                code,
            })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yonetici_covers_destek_and_not_the_other_way() {
        assert!(StaffRole::Yonetici.covers(StaffRole::Destek));
        assert!(StaffRole::Destek.covers(StaffRole::Destek));
        assert!(!StaffRole::Destek.covers(StaffRole::Yonetici));
        assert!(StaffRole::Yonetici.needs_second_factor());
        assert!(!StaffRole::Destek.needs_second_factor());
        assert_eq!(StaffRole::from_code("yonetici"), Some(StaffRole::Yonetici));
    }

    #[test]
    fn the_login_reads_the_code_without_spaces_and_refuses_other_shapes() {
        let draft = StaffLoginDraft::from_fields([
            ("eposta", " Ops@LesMinoria.com "),
            ("sifre", "uzun bir şifre"),
            ("kod", "123 456"),
        ]);
        let accepted = draft.validate().unwrap();
        assert_eq!(accepted.email, "ops@lesminoria.com");
        assert_eq!(accepted.code, "123456");
        let problems =
            StaffLoginDraft::from_fields([("eposta", "x@y"), ("sifre", "p"), ("kod", "12a456")])
                .validate()
                .unwrap_err();
        assert_eq!(problems[0].field, StaffLoginField::Code);
    }
}
