//! The back office's desk: the contact inbox (complaints and suggestions "are evaluated", the
//! privacy notice says) with statuses and replies, and the KVKK applications with their due
//! dates, overdue first, answered here. Like every back-office page, it renders only for the
//! member of staff the guard put on the request.

use leptos::prelude::*;

use crate::components::form::{textarea_text, FormNotice};
use crate::i18n::{text, text_with};
use crate::model::date::to_the_minute as when;
use crate::model::staff::{Inbox, InboxMessage, KvkkCase, KvkkDesk, StaffView, MESSAGE_STATUSES};
use crate::model::{Locale, Page};
use crate::pages::account::{state_notice, PrivateMeta};
use crate::pages::admin::{empty_list, from_request, StaffNav, StaffNotice, ACTION};
use crate::pages::not_found::NotFound;

fn message_status(locale: Locale, status: &str) -> String {
    text(locale, &format!("staff.message_status.{status}"))
}

#[component]
pub fn InboxPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(inbox)) = (from_request::<StaffView>(), from_request::<Inbox>()) else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.inbox");
    let base = locale.path(&Page::StaffInbox);
    let filters = std::iter::once("")
        .chain(MESSAGE_STATUSES)
        .map(|status| {
            let label = if status.is_empty() {
                text(locale, "staff.all")
            } else {
                message_status(locale, status)
            };
            let href = if status.is_empty() {
                base.clone()
            } else {
                format!("{base}?durum={status}")
            };
            let current = (inbox.status == status).then_some("page");
            view! { <a href=href aria-current=current>{label}</a> }
        })
        .collect_view();
    let empty = inbox.messages.is_empty();
    let rows = inbox
        .messages
        .iter()
        .map(|message| {
            let href = locale.path(&Page::StaffMessage(message.reference.clone()));
            view! {
                <tr data-mesaj=message.reference.clone()>
                    <td><a href=href>{message.reference.clone()}</a></td>
                    <td>{when(&message.created_at)}</td>
                    <td>{text(locale, &format!("contact.topic.{}", message.topic))}</td>
                    <td>{message.name.clone()}<br/><small>{message.email.clone()}</small></td>
                    <td>{message_status(locale, &message.status)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            <nav class="staff-filter">{filters}</nav>
            <table class="member-orders">
                <thead><tr>
                    <th scope="col">{text(locale, "kvkk.reference")}</th>
                    <th scope="col">{text(locale, "staff.received_at")}</th>
                    <th scope="col">{text(locale, "contact.topic")}</th>
                    <th scope="col">{text(locale, "staff.customer")}</th>
                    <th scope="col">{text(locale, "account.order_status")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {empty_list(locale, empty, "staff.empty.messages")}
        </article>
    }
    .into_any()
}

#[component]
pub fn MessagePage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(message)) =
        (from_request::<StaffView>(), from_request::<InboxMessage>())
    else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text_with(
        locale,
        "staff.message_title",
        &[("reference", &message.reference)],
    );
    let action = locale.path(&Page::StaffMessage(message.reference.clone()));
    let refused = use_context::<StaffNotice>().map(|notice| text(locale, notice.0));
    let replies = message
        .replies
        .iter()
        .map(|(at, who, body)| view! {
            <li class="staff-reply"><small>{format!("{} · {who}", when(at))}</small><p>{body.clone()}</p></li>
        })
        .collect_view();
    let statuses = MESSAGE_STATUSES
        .into_iter()
        .map(|status| view! {
            <option value=status selected=message.status == status>{message_status(locale, status)}</option>
        })
        .collect_view();
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            {state_notice(locale, "staff")}
            <FormNotice message=refused/>
            <p><strong>{text(locale, &format!("contact.topic.{}", message.topic))}</strong>
                " · " {message_status(locale, &message.status)} " · " {when(&message.created_at)}</p>
            <p>{message.name.clone()}" <"{message.email.clone()}">"
                {message.order_number.clone().map(|number| view! {
                    " · " <a href=locale.path(&Page::StaffOrder(number.clone()))>{number.clone()}</a>
                })}</p>
            <blockquote class="staff-message">{message.message.clone()}</blockquote>
            <ol class="staff-replies">{replies}</ol>
            <form method="post" action=action.clone() class="account-form">
                <input type="hidden" name=ACTION value="yanit"/>
                <label for="staff-yanit">{text(locale, "staff.reply")}</label>
                <textarea id="staff-yanit" name="yanit" rows="6" maxlength="5000" required>{textarea_text("")}</textarea>
                <button type="submit" class="button">{text(locale, "staff.send_reply")}</button>
            </form>
            <form method="post" action=action class="inline-form">
                <input type="hidden" name=ACTION value="durum"/>
                <label for="staff-durum">{text(locale, "account.order_status")}</label>
                <select id="staff-durum" name="durum">{statuses}</select>
                <button type="submit" class="button button--secondary">{text(locale, "staff.save_status")}</button>
            </form>
        </article>
    }
    .into_any()
}

#[component]
pub fn KvkkDeskPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(desk)) = (from_request::<StaffView>(), from_request::<KvkkDesk>())
    else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.kvkk");
    let empty = desk.cases.is_empty();
    let rows = desk
        .cases
        .iter()
        .map(|case| {
            let href = locale.path(&Page::StaffKvkkCase(case.reference.clone()));
            view! {
                <tr data-basvuru=case.reference.clone() class:staff-overdue=case.overdue>
                    <td><a href=href>{case.reference.clone()}</a></td>
                    <td>{text(locale, &case.right.label_key())}</td>
                    <td>{case.due_at.get(..10).unwrap_or_default().to_string()}
                        {case.overdue.then(|| view! { " " <strong>{text(locale, "staff.overdue")}</strong> })}</td>
                    <td>{text(locale, &format!("kvkk.status.{}", case.status))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            <table class="member-orders">
                <thead><tr>
                    <th scope="col">{text(locale, "kvkk.reference")}</th>
                    <th scope="col">{text(locale, "kvkk.right")}</th>
                    <th scope="col">{text(locale, "kvkk.due")}</th>
                    <th scope="col">{text(locale, "account.order_status")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {empty_list(locale, empty, "staff.empty.kvkk")}
        </article>
    }
    .into_any()
}

#[component]
pub fn KvkkCasePage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(case)) = (from_request::<StaffView>(), from_request::<KvkkCase>())
    else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text_with(
        locale,
        "staff.kvkk_case_title",
        &[("reference", &case.reference)],
    );
    let action = locale.path(&Page::StaffKvkkCase(case.reference.clone()));
    let refused = use_context::<StaffNotice>().map(|notice| text(locale, notice.0));
    let answered = case.answer.clone().map(|answer| {
        view! {
            <section>
                <h2>{text(locale, "staff.kvkk_answer")}</h2>
                <p><small>{case.answered_at.as_deref().map(when).unwrap_or_default()}</small></p>
                <blockquote class="staff-message">{answer}</blockquote>
            </section>
        }
    });
    let form = case.answer.is_none().then(|| view! {
        <form method="post" action=action class="account-form">
            <input type="hidden" name=ACTION value="yanit"/>
            <label for="staff-kvkk-yanit">{text(locale, "staff.kvkk_answer")}</label>
            <textarea id="staff-kvkk-yanit" name="yanit" rows="8" maxlength="5000" required>{textarea_text("")}</textarea>
            <button type="submit" class="button">{text(locale, "staff.send_answer")}</button>
        </form>
    });
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            {state_notice(locale, "staff")}
            <FormNotice message=refused/>
            <p><strong>{text(locale, &case.right.label_key())}</strong> " · "
                {text(locale, &format!("kvkk.status.{}", case.status))} " · "
                {text(locale, "kvkk.due")} ": " {case.due_at.get(..10).unwrap_or_default().to_string()}
                {case.overdue.then(|| view! { " " <strong>{text(locale, "staff.overdue")}</strong> })}</p>
            <p>{case.email.clone().unwrap_or_else(|| text(locale, "staff.kvkk_no_address"))}</p>
            <blockquote class="staff-message">{case.details.clone()}</blockquote>
            {answered}
            {form}
        </article>
    }
    .into_any()
}
