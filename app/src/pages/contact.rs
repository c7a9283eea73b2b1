//! İletişim: the seller's identity and the contact form, and the confirmation after sending.
//! The form is a plain POST to this page (server/src/contact_form.rs); when it fails, the
//! server renders this page again with a [`ContactFeedback`] in context: each problem next to
//! its field, everything typed kept.

use leptos::prelude::*;

use crate::components::PageMeta;
use crate::i18n::text;
use crate::model::contact::{
    ContactFeedback, ContactField, ContactTopic, MESSAGE_MAX_CHARS, NAME_MAX_CHARS,
    ORDER_NUMBER_MAX_CHARS,
};
use crate::model::{Locale, Page};
use crate::pages::legal::{use_seller, SellerBlock};

#[component]
pub fn ContactPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "legal.contact");
    let feedback = use_context::<ContactFeedback>().unwrap_or_default();
    let seller = use_seller();
    view! {
        <PageMeta locale page=Page::Contact title=title.clone() description=text(locale, "contact.intro")/>
        <article class="prose contact">
            <h1>{title}</h1>
            <p>{text(locale, "contact.intro")}</p>
            <SellerBlock seller locale/>
            <h2 id="contact-form-title">{text(locale, "contact.form_title")}</h2>
            <ContactForm locale feedback/>
        </article>
    }
}

#[component]
fn ContactForm(locale: Locale, feedback: ContactFeedback) -> impl IntoView {
    let draft = feedback.draft.clone();
    let problem = |field: ContactField| feedback.problem(field).map(|key| text(locale, key));
    // The id of a field's message, for aria-describedby; only when there is one.
    let error_id = |field: ContactField| format!("{}-hata", field.name());
    let described =
        move |field: ContactField, has_problem: bool| has_problem.then(|| error_id(field));
    let message_for = move |field: ContactField, problem: Option<String>| {
        problem.map(|message| view! { <p class="field__error" id=error_id(field)>{message}</p> })
    };

    let topic_problem = problem(ContactField::Topic);
    let name_problem = problem(ContactField::Name);
    let email_problem = problem(ContactField::Email);
    let order_problem = problem(ContactField::OrderNumber);
    let message_problem = problem(ContactField::Message);

    let topics = ContactTopic::ALL
        .into_iter()
        .map(|topic| {
            let selected = draft.topic == topic.code();
            view! {
                <option value=topic.code() selected=selected>
                    {text(locale, &format!("contact.topic.{}", topic.code()))}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="contact-form" method="post" action=locale.path(&Page::Contact) aria-labelledby="contact-form-title" novalidate>
            {feedback.general.map(|key| view! {
                <p class="notice notice--error" role="alert">{text(locale, key)}</p>
            })}
            <div class="field" class:field--invalid=topic_problem.is_some()>
                <label for="iletisim-konu">{text(locale, "contact.topic")}</label>
                <select
                    id="iletisim-konu"
                    name="konu"
                    required
                    aria-invalid=topic_problem.is_some().then_some("true")
                    aria-describedby=described(ContactField::Topic, topic_problem.is_some())
                >
                    <option value="" selected=draft.topic.is_empty()>{text(locale, "contact.topic_choose")}</option>
                    {topics}
                </select>
                {message_for(ContactField::Topic, topic_problem.clone())}
            </div>
            <div class="field" class:field--invalid=name_problem.is_some()>
                <label for="iletisim-ad">{text(locale, "contact.name")}</label>
                <input
                    id="iletisim-ad"
                    name="ad"
                    type="text"
                    autocomplete="name"
                    required
                    maxlength=NAME_MAX_CHARS
                    value=draft.name.clone()
                    aria-invalid=name_problem.is_some().then_some("true")
                    aria-describedby=described(ContactField::Name, name_problem.is_some())
                />
                {message_for(ContactField::Name, name_problem.clone())}
            </div>
            <div class="field" class:field--invalid=email_problem.is_some()>
                <label for="iletisim-eposta">{text(locale, "contact.email")}</label>
                <input
                    id="iletisim-eposta"
                    name="eposta"
                    type="email"
                    autocomplete="email"
                    required
                    value=draft.email.clone()
                    aria-invalid=email_problem.is_some().then_some("true")
                    aria-describedby=described(ContactField::Email, email_problem.is_some())
                />
                {message_for(ContactField::Email, email_problem.clone())}
            </div>
            <div class="field" class:field--invalid=order_problem.is_some()>
                <label for="iletisim-siparis">{text(locale, "contact.order_number")}</label>
                <input
                    id="iletisim-siparis"
                    name="siparis"
                    type="text"
                    maxlength=ORDER_NUMBER_MAX_CHARS
                    value=draft.order_number.clone()
                    aria-invalid=order_problem.is_some().then_some("true")
                    aria-describedby=described(ContactField::OrderNumber, order_problem.is_some())
                />
                {message_for(ContactField::OrderNumber, order_problem.clone())}
            </div>
            <div class="field" class:field--invalid=message_problem.is_some()>
                <label for="iletisim-mesaj">{text(locale, "contact.message")}</label>
                <textarea
                    id="iletisim-mesaj"
                    name="mesaj"
                    rows="7"
                    required
                    maxlength=MESSAGE_MAX_CHARS
                    aria-invalid=message_problem.is_some().then_some("true")
                    aria-describedby=described(ContactField::Message, message_problem.is_some())
                >
                    {textarea_text(&draft.message)}
                </textarea>
                {message_for(ContactField::Message, message_problem.clone())}
            </div>
            <p class="contact-form__privacy">
                {text(locale, "contact.privacy_note")}
                <a href=locale.path(&Page::Kvkk)>{text(locale, "legal.kvkk")}</a>
            </p>
            <button type="submit" class="button">{text(locale, "contact.send")}</button>
        </form>
    }
}

/// Text for inside `<textarea>`, escaped. Tachys writes a textarea's children unescaped (it
/// treats them like a script's), so a message containing `</textarea>` would otherwise end the
/// element and inject markup; the browser decodes these entities back into the typed text.
fn textarea_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// After a message was stored: its reference number, which the server looked up before
/// rendering (`server/src/pages.rs`), so an address with a made-up number shows nothing.
#[component]
pub fn ContactSentPage(locale: Locale) -> impl IntoView {
    let reference = confirmed_reference();
    let title = text(locale, "contact.sent_title");
    match reference {
        Some(reference) => view! {
            <leptos_meta::Title text=title.clone()/>
            <leptos_meta::Meta name="robots" content="noindex"/>
            <article class="prose contact-sent">
                <h1>{title}</h1>
                <p>{text(locale, "contact.sent_text")}</p>
                <p>{text(locale, "contact.reference")} ": " <strong class="reference">{reference}</strong></p>
                <p>{text(locale, "contact.sent_keep")}</p>
                <p><a class="button" href=locale.path(&Page::Home)>{text(locale, "contact.back_to_shop")}</a></p>
            </article>
        }
        .into_any(),
        None => view! { <crate::pages::not_found::NotFound/> }.into_any(),
    }
}

fn confirmed_reference() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        parts
            .extensions
            .get::<crate::model::contact::ConfirmedReference>()
            .map(|reference| reference.0.clone())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
