//! The form kit's view side (see [`crate::model::form`]): one [`Field`] frame around every
//! control, with its label and, after a failed submit, its problem beside it, tied to the control
//! by `aria-invalid` and `aria-describedby` so screen readers announce it; and [`FormNotice`] for
//! a message about the whole form. The control itself is the page's own `<input>`, `<select>`
//! or `<textarea>`: it takes its name, id, typed value and aria attributes from a
//! [`FieldView`].

use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use crate::i18n::text;
use crate::model::form::{Draft, Feedback, FormField};
use crate::model::Locale;

/// One field of a form being rendered: what its control needs.
#[derive(Clone, Debug)]
pub struct FieldView {
    /// The control's `id` (and the label's `for`).
    pub id: String,
    /// The name the form posts it under.
    pub name: &'static str,
    /// What was typed, or empty.
    pub value: String,
    /// The problem's message, in the page's language.
    pub problem: Option<String>,
}

impl FieldView {
    /// The id of the problem's message.
    pub fn error_id(&self) -> String {
        format!("{}-hata", self.name)
    }

    /// `aria-invalid` and `aria-describedby`, only when there is a problem.
    pub fn aria(&self) -> impl leptos::attr::Attribute {
        let invalid = self.problem.is_some();
        (
            custom_attribute("aria-invalid", invalid.then_some("true")),
            custom_attribute("aria-describedby", invalid.then(|| self.error_id())),
        )
    }
}

/// A form being rendered from its feedback (empty on a first visit): hands out each field's
/// [`FieldView`].
pub struct FormView<D: Draft> {
    locale: Locale,
    /// Prefixes control ids, so two forms on a page never share one.
    id_prefix: &'static str,
    feedback: Feedback<D>,
}

impl<D: Draft> FormView<D> {
    pub fn new(locale: Locale, id_prefix: &'static str, feedback: Feedback<D>) -> Self {
        Self {
            locale,
            id_prefix,
            feedback,
        }
    }

    /// The form's feedback from the page's context (a failed submit), or an empty one.
    pub fn from_context(locale: Locale, id_prefix: &'static str) -> Self {
        Self::new(
            locale,
            id_prefix,
            use_context::<Feedback<D>>().unwrap_or_default(),
        )
    }

    pub fn field(&self, field: D::Field) -> FieldView {
        FieldView {
            id: format!("{}-{}", self.id_prefix, field.name()),
            name: field.name(),
            value: self.feedback.draft.value(field).to_string(),
            problem: self
                .feedback
                .problem(field)
                .map(|key| text(self.locale, key)),
        }
    }

    /// The message about the whole form, if any.
    pub fn general(&self) -> Option<String> {
        self.feedback.general.map(|key| text(self.locale, key))
    }
}

/// A field's frame: label, control (the children), and the problem beside it.
#[component]
pub fn Field(field: FieldView, #[prop(into)] label: String, children: Children) -> impl IntoView {
    let error_id = field.error_id();
    let invalid = field.problem.is_some();
    view! {
        <div class="field" class:field--invalid=invalid>
            <label for=field.id.clone()>{label}</label>
            {children()}
            {field.problem.map(|message| view! { <p class="field__error" id=error_id>{message}</p> })}
        </div>
    }
}

/// The message about the whole form after a failed submit, announced at once.
#[component]
pub fn FormNotice(message: Option<String>) -> impl IntoView {
    message.map(|message| view! { <p class="notice notice--error" role="alert">{message}</p> })
}

/// Text for inside `<textarea>`, escaped. Tachys writes a textarea's children unescaped (it
/// treats them like a script's), so a message containing `</textarea>` would otherwise end the
/// element and inject markup; the browser decodes these entities back into the typed text.
pub fn textarea_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
