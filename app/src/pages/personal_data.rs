//! Hesabım › Kişisel verilerim (KVKK m.11): the download of everything the shop holds about the
//! member (JSON), an application form for each right the law gives, and the member's
//! applications with their reference, due date and status.

use leptos::prelude::*;

use crate::components::form::{textarea_text, Field, FormNotice, FormView};
use crate::i18n::text;
use crate::model::kvkk::{
    ApplicationDraft, ApplicationField, ApplicationView, KvkkPageData, KvkkRight, DETAILS_MAX_CHARS,
};
use crate::model::{Locale, Page};
use crate::pages::account::{state_notice, AccountNav, PrivateMeta};
use crate::wire::account::EXPORT_SEGMENT;

fn data_now() -> KvkkPageData {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<KvkkPageData>().cloned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        KvkkPageData::default()
    }
}

#[component]
pub fn PersonalDataPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "kvkk.title");
    let data = data_now();
    let download = format!("{}/{EXPORT_SEGMENT}", locale.path(&Page::PersonalData));
    let applications = (!data.applications.is_empty()).then(|| {
        let rows = data
            .applications
            .into_iter()
            .map(|application| view! { <ApplicationRow locale application/> })
            .collect_view();
        view! {
            <section aria-labelledby="kvkk-basvurularim">
                <h2 id="kvkk-basvurularim">{text(locale, "kvkk.my_applications")}</h2>
                <table class="member-orders">
                    <thead><tr>
                        <th scope="col">{text(locale, "kvkk.reference")}</th>
                        <th scope="col">{text(locale, "kvkk.right")}</th>
                        <th scope="col">{text(locale, "kvkk.due")}</th>
                        <th scope="col">{text(locale, "account.order_status")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
    });
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account">
            <h1>{title}</h1>
            <AccountNav locale current=Page::PersonalData/>
            {state_notice(locale, "kvkk")}
            <section aria-labelledby="kvkk-indir">
                <h2 id="kvkk-indir">{text(locale, "kvkk.download_title")}</h2>
                <p>{text(locale, "kvkk.download_text")}</p>
                <p><a class="button" href=download download="les-minoria-kisisel-verilerim.json">{text(locale, "kvkk.download")}</a></p>
            </section>
            <ApplicationForm locale/>
            {applications}
        </article>
    }
}

#[component]
fn ApplicationRow(locale: Locale, application: ApplicationView) -> impl IntoView {
    let status = text(locale, &format!("kvkk.status.{}", application.status));
    view! {
        <tr>
            <td class="reference">{application.reference}</td>
            <td>{text(locale, &application.right.label_key())}</td>
            <td>{application.due_at.get(..10).unwrap_or_default().to_string()}</td>
            <td>{status}{application.answer.map(|answer| view! { <p>{answer}</p> })}</td>
        </tr>
    }
}

#[component]
fn ApplicationForm(locale: Locale) -> impl IntoView {
    let form = FormView::<ApplicationDraft>::from_context(locale, "kvkk");
    let right = form.field(ApplicationField::Right);
    let details = form.field(ApplicationField::Details);
    let options = KvkkRight::ALL
        .into_iter()
        .map(|choice| {
            let selected = right.value == choice.code();
            view! { <option value=choice.code() selected=selected>{text(locale, &choice.label_key())}</option> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="kvkk-basvuru">
            <h2 id="kvkk-basvuru">{text(locale, "kvkk.apply_title")}</h2>
            <p>{text(locale, "kvkk.apply_text")}</p>
            <form class="account-form" method="post" action=locale.path(&Page::PersonalData) novalidate>
                <FormNotice message=form.general()/>
                <Field field=right.clone() label=text(locale, "kvkk.right")>
                    <select id=right.id.clone() name=right.name {..right.aria()}>
                        <option value="" selected=right.value.is_empty()>{text(locale, "contact.topic_choose")}</option>
                        {options}
                    </select>
                </Field>
                <Field field=details.clone() label=text(locale, "kvkk.details")>
                    <textarea id=details.id.clone() name=details.name rows="5" maxlength={DETAILS_MAX_CHARS} {..details.aria()}>
                        {textarea_text(&details.value)}
                    </textarea>
                </Field>
                <button type="submit" class="button">{text(locale, "kvkk.apply")}</button>
            </form>
        </section>
    }
}
