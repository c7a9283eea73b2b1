//! The back office's records: the consent ledgers searched by a visitor id or a member's
//! e-mail (what a KVKK application or a dispute asks for), and the e-mail outbox with its
//! failures. Read only.

use leptos::prelude::*;

use crate::i18n::text;
use crate::model::date::to_the_minute as when;
use crate::model::staff::{ConsentSearch, OutboxView, StaffView};
use crate::model::{Locale, Page};
use crate::pages::account::PrivateMeta;
use crate::pages::admin::{empty_list, from_request, StaffNav};
use crate::pages::not_found::NotFound;

fn yes_no(locale: Locale, value: bool) -> String {
    text(locale, if value { "staff.yes" } else { "staff.no" })
}

#[component]
pub fn ConsentsPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(search)) =
        (from_request::<StaffView>(), from_request::<ConsentSearch>())
    else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.consents");
    let cookies = search
        .cookie_rows
        .iter()
        .map(|row| {
            view! {
                <tr>
                    <td>{when(&row.at)}</td>
                    <td><code>{row.visitor_id.clone()}</code></td>
                    <td>{row.action.clone()}</td>
                    <td>{yes_no(locale, row.functional)}</td>
                    <td>{yes_no(locale, row.analytics)}</td>
                    <td>{yes_no(locale, row.marketing)}</td>
                    <td>{row.policy_version.clone()}</td>
                    <td>{row.ip.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let marketing = search
        .marketing_rows
        .iter()
        .map(|row| {
            view! {
                <tr>
                    <td>{when(&row.at)}</td>
                    <td>{row.channel.clone()}</td>
                    <td>{yes_no(locale, row.granted)}</td>
                    <td>{row.source.clone()}</td>
                    <td>{row.ip.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let searched = !search.query.is_empty();
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            <form class="staff-filter" method="get" action=locale.path(&Page::StaffConsents)>
                <label>{text(locale, "staff.consent_search")}<input name="ara" value=search.query.clone()/></label>
                <button type="submit" class="button">{text(locale, "staff.filter")}</button>
            </form>
            {searched.then(|| view! {
                <section>
                    <h2>{text(locale, "staff.cookie_ledger")}</h2>
                    <table class="member-orders staff-cookies">
                        <thead><tr>
                            <th scope="col">{text(locale, "staff.received_at")}</th>
                            <th scope="col">{text(locale, "staff.visitor")}</th>
                            <th scope="col">{text(locale, "staff.choice")}</th>
                            <th scope="col">{text(locale, "staff.functional")}</th>
                            <th scope="col">{text(locale, "staff.analytics")}</th>
                            <th scope="col">{text(locale, "staff.marketing")}</th>
                            <th scope="col">{text(locale, "staff.policy")}</th>
                            <th scope="col">"IP"</th>
                        </tr></thead>
                        <tbody>{cookies}</tbody>
                    </table>
                </section>
                <section>
                    <h2>{text(locale, "staff.marketing_ledger")}</h2>
                    <table class="member-orders staff-marketing">
                        <thead><tr>
                            <th scope="col">{text(locale, "staff.received_at")}</th>
                            <th scope="col">{text(locale, "staff.channel")}</th>
                            <th scope="col">{text(locale, "staff.granted")}</th>
                            <th scope="col">{text(locale, "staff.source")}</th>
                            <th scope="col">"IP"</th>
                        </tr></thead>
                        <tbody>{marketing}</tbody>
                    </table>
                </section>
            })}
        </article>
    }
    .into_any()
}

#[component]
pub fn OutboxPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(outbox)) = (from_request::<StaffView>(), from_request::<OutboxView>())
    else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.outbox");
    let base = locale.path(&Page::StaffOutbox);
    let filters = ["", "pending", "failed", "sent"]
        .into_iter()
        .map(|status| {
            let label = text(locale, &format!("staff.outbox_status.{}", if status.is_empty() { "all" } else { status }));
            let href = if status.is_empty() { base.clone() } else { format!("{base}?durum={status}") };
            view! { <a href=href aria-current=(outbox.status == status).then_some("page")>{label}</a> }
        })
        .collect_view();
    let empty = outbox.rows.is_empty();
    let rows = outbox
        .rows
        .iter()
        .map(|row| {
            view! {
                <tr data-eposta=row.id.to_string() class:staff-overdue=row.status == "failed">
                    <td>{when(&row.created_at)}</td>
                    <td>{row.kind.clone()}</td>
                    <td>{row.recipient.clone()}</td>
                    <td>{text(locale, &format!("staff.outbox_status.{}", row.status))}</td>
                    <td class="num">{row.attempts}</td>
                    <td>{row.last_error.clone().unwrap_or_default()}</td>
                    <td>{row.sent_at.as_deref().map(when).unwrap_or_default()}</td>
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
            <table class="member-orders staff-outbox">
                <thead><tr>
                    <th scope="col">{text(locale, "staff.received_at")}</th>
                    <th scope="col">{text(locale, "staff.mail_kind")}</th>
                    <th scope="col">{text(locale, "account.email")}</th>
                    <th scope="col">{text(locale, "account.order_status")}</th>
                    <th scope="col" class="num">{text(locale, "staff.attempts")}</th>
                    <th scope="col">{text(locale, "staff.last_error")}</th>
                    <th scope="col">{text(locale, "staff.sent_at")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {empty_list(locale, empty, "staff.empty.outbox")}
        </article>
    }
    .into_any()
}
