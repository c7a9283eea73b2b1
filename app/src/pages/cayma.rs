//! Cayma hakkı from the order: the form (`/cayma/{number}`, opened with the order's signed
//! link, as guests and members reach their order), the order page's section with the deadline
//! and each request's way to its refund, and the e-mails that acknowledge a request and its
//! refund. The rules are `model::cayma`'s; the server decides ([`crate::backend::orders::cayma`]).

use leptos::prelude::*;

use crate::components::form::{textarea_text, Field, FormNotice, FormView};
use crate::i18n::{text, text_with};
use crate::model::brand::SellerIdentity;
use crate::model::cayma::{
    CaymaDraft, CaymaField, CaymaRequestView, CaymaStatus, OrderCayma, RefundMethod,
    REASON_MAX_CHARS, RETURN_DAYS,
};
use crate::model::checkout::{OrderLineView, OrderView, PaymentMethod};
use crate::model::date::istanbul_date;
use crate::model::{Locale, Page};
use crate::pages::account::PrivateMeta;
use crate::pages::legal::use_seller;
use crate::pages::order::{access_token, loaded_order};
use crate::pages::order_mail::{short_mail, Composed};
use crate::wire::cayma::QUANTITY_PREFIX;

/// The order's address with its signed link's token, and `extra` query pairs.
fn signed(locale: Locale, page: &Page, extra: &str) -> String {
    let token = access_token().unwrap_or_default();
    format!("{}?erisim={token}{extra}", locale.path(page))
}

/// How the deadline reads: the date when delivered, the rule before.
fn deadline_text(cayma: &OrderCayma, locale: Locale) -> String {
    match (cayma.delivered_at, cayma.deadline()) {
        (Some(delivered), Some(deadline)) => text_with(
            locale,
            "cayma.deadline_delivered",
            &[
                ("delivered", &istanbul_date(delivered)),
                ("deadline", &istanbul_date(deadline)),
            ],
        ),
        _ => text(locale, "cayma.deadline_not_delivered"),
    }
}

#[component]
pub fn CaymaPage(locale: Locale) -> impl IntoView {
    let Some(order) = loaded_order() else {
        return view! { <crate::pages::not_found::NotFound/> }.into_any();
    };
    let title = text_with(locale, "cayma.title", &[("number", &order.number)]);
    let seller = use_seller();
    let back = signed(locale, &Page::Order(order.number.clone()), "");
    let body = if order.cayma.open {
        view! { <CaymaForm locale order=order.clone() seller/> }.into_any()
    } else {
        // A form refused because the order closed meanwhile (the deadline passed) says why.
        let refused = FormView::<CaymaDraft>::from_context(locale, "cayma").general();
        view! {
            <FormNotice message=refused/>
            <p class="notice" role="status">{text(locale, "cayma.closed")}</p>
        }
        .into_any()
    };
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose cayma">
            <h1>{title}</h1>
            <p>{text(locale, "cayma.intro")}</p>
            <p class="cayma__deadline"><strong>{deadline_text(&order.cayma, locale)}</strong></p>
            {body}
            <p><a href=back>{text(locale, "cayma.back_to_order")}</a></p>
        </article>
    }
    .into_any()
}

#[component]
fn CaymaForm(locale: Locale, order: OrderView, seller: SellerIdentity) -> impl IntoView {
    let form = FormView::<CaymaDraft>::from_context(locale, "cayma");
    let chosen = use_context::<crate::model::form::Feedback<CaymaDraft>>()
        .map(|feedback| feedback.draft)
        .unwrap_or_default();
    let lines_field = form.field(CaymaField::Lines);
    let reason = form.field(CaymaField::Reason);
    let iban = form.field(CaymaField::Iban);
    let holder = form.field(CaymaField::Holder);
    let by_transfer = order.payment_method != PaymentMethod::Card;
    let rows = order
        .lines
        .iter()
        .map(
            |line| view! { <LineChoice locale line=line.clone() chosen=chosen.quantity(line.id)/> },
        )
        .collect_view();
    let lines_error = lines_field.problem.clone().map(|message| {
        view! { <p class="field__error" id=lines_field.error_id()>{message}</p> }
    });
    let account = by_transfer.then(|| {
        view! {
            <fieldset class="cayma__account">
                <legend>{text(locale, "cayma.account_title")}</legend>
                <p>{text(locale, "cayma.account_text")}</p>
                <Field field=iban.clone() label=text(locale, "cayma.iban")>
                    <input id=iban.id.clone() name=iban.name value=iban.value.clone() autocomplete="off"
                        inputmode="text" placeholder="TR00 0000 0000 0000 0000 0000 00" {..iban.aria()}/>
                </Field>
                <Field field=holder.clone() label=text(locale, "cayma.holder")>
                    <input id=holder.id.clone() name=holder.name value=holder.value.clone() autocomplete="name" {..holder.aria()}/>
                </Field>
            </fieldset>
        }
    });
    view! {
        <form class="account-form cayma__form" method="post"
            action=signed(locale, &Page::Cayma(order.number.clone()), "") novalidate>
            <FormNotice message=form.general()/>
            <fieldset {..lines_field.aria()}>
                <legend>{text(locale, "cayma.lines_title")}</legend>
                <table class="order__lines">
                    <thead><tr>
                        <th scope="col">{text(locale, "order.item")}</th>
                        <th scope="col" class="num">{text(locale, "cayma.ordered")}</th>
                        <th scope="col">{text(locale, "cayma.to_withdraw")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {lines_error}
            </fieldset>
            <Field field=reason.clone() label=text(locale, "cayma.reason")>
                <textarea id=reason.id.clone() name=reason.name rows="3" maxlength={REASON_MAX_CHARS} {..reason.aria()}>
                    {textarea_text(&reason.value)}
                </textarea>
            </Field>
            {account}
            <p>{text_with(locale, "cayma.how_to_return", &[
                ("days", &RETURN_DAYS.to_string()),
                ("address", &seller.address),
            ])}</p>
            <p>{text(locale, "cayma.refund_rule")}</p>
            <button type="submit" class="button">{text(locale, "cayma.submit")}</button>
        </form>
    }
}

/// One order line: how many to withdraw, or why it cannot be.
#[component]
fn LineChoice(locale: Locale, line: OrderLineView, chosen: i64) -> impl IntoView {
    let left = line.withdrawable();
    let control_id = format!("cayma-{QUANTITY_PREFIX}{}", line.id);
    let choice = match (line.cayma_exempt, left) {
        (Some(exemption), _) if !exemption.may_be_requested() => {
            view! { <span class="cayma__exempt">{text(locale, exemption.label_key())}</span> }
                .into_any()
        }
        (_, 0) => view! { <span>{text(locale, "cayma.already_requested")}</span> }.into_any(),
        (exemption, left) => {
            // Hygiene goods may come back sealed: said beside the choice.
            let note = exemption.map(|_| view! { <br/><small class="cayma__exempt">{text(locale, "cayma.hygiene_note")}</small> });
            let options = (0..=left)
                .map(|count| view! { <option value=count.to_string() selected=count == chosen>{count}</option> })
                .collect_view();
            view! {
                <select id=control_id.clone() name=format!("{QUANTITY_PREFIX}{}", line.id)
                    aria-label=text_with(locale, "cayma.quantity_of", &[("item", &line.name)])>
                    {options}
                </select>
                {note}
            }
            .into_any()
        }
    };
    view! {
        <tr>
            <td>{line.name.clone()}<br/><small>{format!("{} / {} · {}", line.colour, line.size, line.sku)}</small></td>
            <td class="num">{line.quantity}</td>
            <td>{choice}</td>
        </tr>
    }
}

/// The order page's "Cayma hakkı" section: the deadline, the way to the form while it is open,
/// and each request with where its refund stands.
#[component]
pub fn OrderCaymaSection(locale: Locale, order: OrderView) -> impl IntoView {
    let cayma = order.cayma.clone();
    if !cayma.open && cayma.requests.is_empty() {
        return None;
    }
    let just_requested = crate::pages::account::query(crate::model::route::STATE_QUERY)
        .is_some_and(|state| state == "cayma")
        .then(|| cayma.requests.last().cloned())
        .flatten()
        .map(|request| {
            view! {
                <p class="notice" role="status">
                    {text_with(locale, "cayma.received_notice", &[("reference", &request.reference)])}
                </p>
            }
        });
    let requests = (!cayma.requests.is_empty()).then(|| {
        let items = cayma
            .requests
            .iter()
            .map(|request| view! { <RequestItem locale request=request.clone()/> })
            .collect_view();
        view! { <ul class="cayma__requests">{items}</ul> }
    });
    let form_link = cayma.open.then(|| {
        view! {
            <p>{deadline_text(&cayma, locale)}</p>
            <p><a class="button button--secondary" href=signed(locale, &Page::Cayma(order.number.clone()), "")>
                {text(locale, "cayma.start")}
            </a></p>
        }
    });
    Some(view! {
        <section class="order__cayma" aria-labelledby="cayma-hakki">
            <h2 id="cayma-hakki">{text(locale, "cayma.section")}</h2>
            {just_requested}
            {requests}
            {form_link}
        </section>
    })
}

#[component]
fn RequestItem(locale: Locale, request: CaymaRequestView) -> impl IntoView {
    let lines = request
        .lines
        .iter()
        .map(|(name, variant, quantity)| format!("{name} ({variant}) × {quantity}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li data-cayma=request.reference.clone()>
            <strong>{request.reference.clone()}</strong>
            " · " {istanbul_date(request.noticed_at)} " · " {lines}
            <br/>
            <span class="cayma__status">{status_text(&request, locale)}</span>
            {request.goods_received_at.map(|at| view! {
                <br/><span class="cayma__goods">{text_with(locale, "cayma.goods_received", &[("date", &istanbul_date(at))])}</span>
            })}
        </li>
    }
}

/// Where a request's refund stands, in a sentence.
pub fn status_text(request: &CaymaRequestView, locale: Locale) -> String {
    let amount = request.refund.format(locale);
    match request.status {
        CaymaStatus::Received => {
            let key = match request.refund_method {
                RefundMethod::Card => "cayma.status.received_card",
                RefundMethod::BankTransfer => "cayma.status.received_transfer",
            };
            text_with(
                locale,
                key,
                &[
                    ("amount", &amount),
                    ("due", &istanbul_date(request.refund_due_at)),
                ],
            )
        }
        CaymaStatus::Refunding => {
            text_with(locale, "cayma.status.refunding", &[("amount", &amount)])
        }
        CaymaStatus::Refunded => text_with(
            locale,
            match request.refund_method {
                RefundMethod::Card => "cayma.status.refunded",
                RefundMethod::BankTransfer => "cayma.status.refunded_transfer",
            },
            &[
                ("amount", &amount),
                (
                    "date",
                    &request.refunded_at.map(istanbul_date).unwrap_or_default(),
                ),
            ],
        ),
        CaymaStatus::NothingPaid => text(locale, "cayma.status.nothing_paid"),
    }
}

/// Which cayma e-mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaymaMail {
    /// "Your notice was received" (m.11: acknowledged at once, on a durable medium).
    Received,
    /// "Your money went back".
    Refunded,
}

/// The e-mail `mail` about `request` of `order`; `link` opens the order.
pub fn cayma_mail(
    mail: CaymaMail,
    order: &OrderView,
    request: &CaymaRequestView,
    link: &str,
    seller: &SellerIdentity,
    locale: Locale,
) -> Composed {
    let (subject_key, body_key) = match mail {
        CaymaMail::Received => ("mail.cayma.received_subject", "mail.cayma.received_body"),
        CaymaMail::Refunded => ("mail.cayma.refunded_subject", "mail.cayma.refunded_body"),
    };
    let subject = text_with(locale, subject_key, &[("reference", &request.reference)]);
    let greeting = text_with(
        locale,
        "mail.greeting",
        &[("name", &order.details.delivery.full_name())],
    );
    let body = text_with(
        locale,
        body_key,
        &[
            ("reference", &request.reference),
            ("number", &order.number),
            ("date", &istanbul_date(request.noticed_at)),
        ],
    );
    let lines: Vec<String> = request
        .lines
        .iter()
        .map(|(name, variant, quantity)| format!("{name} ({variant}) × {quantity}"))
        .collect();
    // The acknowledgement says what held when the notice was taken, even when it is composed
    // after the refund.
    let status = match mail {
        CaymaMail::Received => status_text(
            &CaymaRequestView {
                status: if request.refund.0 == 0 {
                    CaymaStatus::NothingPaid
                } else {
                    CaymaStatus::Received
                },
                ..request.clone()
            },
            locale,
        ),
        CaymaMail::Refunded => status_text(request, locale),
    };
    let mut paragraphs = vec![body, lines.join("\n"), status];
    if mail == CaymaMail::Received {
        paragraphs.push(text_with(
            locale,
            "cayma.how_to_return",
            &[
                ("days", &RETURN_DAYS.to_string()),
                ("address", &seller.address),
            ],
        ));
    }
    let action = text(locale, "mail.cayma.open_order");
    short_mail(
        subject,
        &greeting,
        &paragraphs,
        &action,
        link,
        seller,
        locale,
    )
}
