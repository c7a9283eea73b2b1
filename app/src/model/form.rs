//! The shape every form of the shop follows (contact now; checkout steps, addresses, account
//! and back-office forms next): the browser posts a plain HTML form; the server reads it into a
//! [`Draft`] (every field as typed, bounded), validates it into the area's accepted value or a
//! list of [`FieldProblem`]s, and either stores and answers `303 See Other`, or renders the same
//! page again with a [`Feedback`]: what was typed, each problem beside its field, and a message
//! for the form as a whole. Messages are keys into `app/locales/*.yml`, never text in code.

/// The fields of one form. `name` is the field's name in the HTML form (and so in the posted
/// body): markup, draft and handler all read it from here.
pub trait FormField: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    /// Every field, in the order the form shows them (and problems are reported).
    const ALL: &'static [Self];
    fn name(self) -> &'static str;
    /// The most characters kept of what was typed (more is cut before it is echoed back).
    fn max_chars(self) -> usize;
}

/// A form as typed: every field's text, possibly empty.
pub trait Draft: Clone + Default + Send + Sync + 'static {
    type Field: FormField;
    /// The value once every rule is met.
    type Accepted;

    fn slot(&mut self, field: Self::Field) -> &mut String;
    fn value(&self, field: Self::Field) -> &str;

    /// Every problem at once (so the shopper fixes them in one go), or the accepted value.
    fn validate(&self) -> Result<Self::Accepted, Vec<FieldProblem<Self::Field>>>;

    /// The draft from the posted fields: unknown names are ignored, each value is bounded.
    fn from_fields<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut draft = Self::default();
        for (key, value) in fields {
            let Some(field) = Self::Field::ALL.iter().find(|f| f.name() == key) else {
                continue;
            };
            *draft.slot(*field) = value.chars().take(field.max_chars()).collect();
        }
        draft
    }
}

/// A problem with one field: the field and the key of its message among the interface strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem<F> {
    pub field: F,
    pub message_key: &'static str,
}

/// What a form's page shows after a failed submit. Given to the page as context; a page
/// rendered without one shows an empty form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback<D: Draft> {
    pub draft: D,
    pub problems: Vec<FieldProblem<D::Field>>,
    /// Key of a message about the form as a whole.
    pub general: Option<&'static str>,
}

impl<D: Draft> Default for Feedback<D> {
    fn default() -> Self {
        Self {
            draft: D::default(),
            problems: Vec::new(),
            general: None,
        }
    }
}

impl<D: Draft> Feedback<D> {
    /// The key of the problem with `field`, if any.
    pub fn problem(&self, field: D::Field) -> Option<&'static str> {
        self.problems
            .iter()
            .find(|problem| problem.field == field)
            .map(|problem| problem.message_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Field {
        Name,
        Note,
    }

    impl FormField for Field {
        const ALL: &'static [Self] = &[Field::Name, Field::Note];
        fn name(self) -> &'static str {
            match self {
                Field::Name => "ad",
                Field::Note => "not",
            }
        }
        fn max_chars(self) -> usize {
            match self {
                Field::Name => 5,
                Field::Note => 50,
            }
        }
    }

    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    struct Sample {
        name: String,
        note: String,
    }

    impl Draft for Sample {
        type Field = Field;
        type Accepted = String;
        fn slot(&mut self, field: Field) -> &mut String {
            match field {
                Field::Name => &mut self.name,
                Field::Note => &mut self.note,
            }
        }
        fn value(&self, field: Field) -> &str {
            match field {
                Field::Name => &self.name,
                Field::Note => &self.note,
            }
        }
        fn validate(&self) -> Result<String, Vec<FieldProblem<Field>>> {
            if self.name.is_empty() {
                Err(vec![FieldProblem {
                    field: Field::Name,
                    message_key: "sample.name",
                }])
            } else {
                Ok(self.name.clone())
            }
        }
    }

    #[test]
    fn fields_are_read_by_their_names_and_bounded() {
        let draft = Sample::from_fields([("ad", "Ayşe Yılmaz"), ("not", "x"), ("başka", "y")]);
        assert_eq!(draft.name, "Ayşe ");
        assert_eq!(draft.value(Field::Note), "x");
    }

    #[test]
    fn feedback_finds_a_fields_problem() {
        let draft = Sample::default();
        let feedback = Feedback {
            problems: draft.validate().unwrap_err(),
            draft,
            general: Some("sample.problems"),
        };
        assert_eq!(feedback.problem(Field::Name), Some("sample.name"));
        assert_eq!(feedback.problem(Field::Note), None);
    }
}
