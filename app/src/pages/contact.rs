//! İletişim: the seller's identity and the contact form, and the confirmation after sending.
//! The form is a plain POST to this page (server/src/contact_form.rs); when it fails, the
//! server renders this page again with a `Feedback<ContactDraft>` in context: each problem next to
//! its field, everything typed kept (the form kit: `components::form`, `model::form`).

use leptos::prelude::*;

use crate::components::form::{textarea_text, Field, FormNotice, FormView};
use crate::components::PageMeta;
use crate::i18n::text;
use crate::model::contact::{
    ContactDraft, ContactField, ContactTopic, MESSAGE_MAX_CHARS, NAME_MAX_CHARS,
    ORDER_NUMBER_MAX_CHARS,
};
use crate::model::{Locale, Page};
use crate::pages::legal::{use_seller, SellerBlock};

#[component]
pub fn ContactPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "legal.contact");
    let seller = use_seller();
    view! {
        <PageMeta locale page=Page::Contact title=title.clone() description=text(locale, "contact.intro")/>
        <article class="prose contact">
            <h1>{title}</h1>
            <p>{text(locale, "contact.intro")}</p>
            <SellerBlock seller locale/>
            <h2 id="contact-form-title">{text(locale, "contact.form_title")}</h2>
            <ContactForm locale/>
        </article>
    }
}

#[component]
fn ContactForm(locale: Locale) -> impl IntoView {
    let form = FormView::<ContactDraft>::from_context(locale, "iletisim");
    let topic = form.field(ContactField::Topic);
    let name = form.field(ContactField::Name);
    let email = form.field(ContactField::Email);
    let order = form.field(ContactField::OrderNumber);
    let message = form.field(ContactField::Message);

    let topics = ContactTopic::ALL
        .into_iter()
        .map(|choice| {
            let selected = topic.value == choice.code();
            view! {
                <option value=choice.code() selected=selected>
                    {text(locale, &format!("contact.topic.{}", choice.code()))}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="contact-form" method="post" action=locale.path(&Page::Contact) aria-labelledby="contact-form-title" novalidate>
            <FormNotice message=form.general()/>
            <Field field=topic.clone() label=text(locale, "contact.topic")>
                <select id=topic.id.clone() name=topic.name required {..topic.aria()}>
                    <option value="" selected=topic.value.is_empty()>{text(locale, "contact.topic_choose")}</option>
                    {topics}
                </select>
            </Field>
            <Field field=name.clone() label=text(locale, "contact.name")>
                <input id=name.id.clone() name=name.name type="text" autocomplete="name" required
                    maxlength=NAME_MAX_CHARS value=name.value.clone() {..name.aria()}/>
            </Field>
            <Field field=email.clone() label=text(locale, "contact.email")>
                <input id=email.id.clone() name=email.name type="email" autocomplete="email" required
                    value=email.value.clone() {..email.aria()}/>
            </Field>
            <Field field=order.clone() label=text(locale, "contact.order_number")>
                <input id=order.id.clone() name=order.name type="text"
                    maxlength=ORDER_NUMBER_MAX_CHARS value=order.value.clone() {..order.aria()}/>
            </Field>
            <Field field=message.clone() label=text(locale, "contact.message")>
                <textarea id=message.id.clone() name=message.name rows="7" required
                    maxlength={MESSAGE_MAX_CHARS} {..message.aria()}>
                    {textarea_text(&message.value)}
                </textarea>
            </Field>
            <p class="contact-form__privacy">
                {text(locale, "contact.privacy_note")}
                <a href=locale.path(&Page::Kvkk)>{text(locale, "legal.kvkk")}</a>
            </p>
            <button type="submit" class="button">{text(locale, "contact.send")}</button>
        </form>
    }
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
