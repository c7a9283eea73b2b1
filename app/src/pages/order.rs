//! An order's page (`/siparis/{number}`): what was ordered, where it goes, what it cost with the
//! KDV per rate, how it is paid, and in plain words what happens next, above all when it waits
//! for staff ("Onay bekliyor"). Opened right after paying and, later, only with the signed link
//! from the order's e-mail (server/src/pages.rs checks it before rendering).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{text, text_with};
use crate::model::checkout::order::Fulfilment;
use crate::model::checkout::{
    HoldReason, InvoiceParty, KdvLine, OrderStatus, OrderView, PaymentMethod, PaymentStatus,
};
use crate::model::{Locale, Page};
use crate::pages::legal::use_seller;

#[component]
pub fn OrderPage(locale: Locale) -> impl IntoView {
    let Some(order) = loaded_order() else {
        return view! { <crate::pages::not_found::NotFound/> }.into_any();
    };
    let title = text_with(locale, "order.title", &[("number", &order.number)]);
    let seller = use_seller();
    let (headline, next) = what_happens(&order, locale, &seller);
    let lines = order
        .lines
        .iter()
        .map(|line| view! {
            <tr>
                <td>{line.name.clone()}<br/><small>{format!("{} / {} · {}", line.colour, line.size, line.sku)}</small></td>
                <td class="num">{line.quantity}
                    {(line.cancelled > 0).then(|| view! { <br/><small data-cancelled=line.cancelled>{text_with(locale, "order.cancelled_pieces", &[("count", &line.cancelled.to_string())])}</small> })}
                </td>
                <td class="num">{line.unit_price.format(locale)}</td>
                <td class="num">{format!("%{}", line.kdv_rate)}</td>
                <td class="num">{line.total().format(locale)}</td>
            </tr>
        })
        .collect_view();
    let kdv_lines = kdv_per_rate(&order)
        .into_iter()
        .map(|line| view! {
            <div><dt>{text_with(locale, "checkout.kdv_at", &[("rate", &line.rate.to_string())])}</dt><dd>{line.kdv.format(locale)}</dd></div>
        })
        .collect_view();
    let details = order.details.clone();
    let invoice_party = match &details.invoice {
        InvoiceParty::Individual { tc_kimlik_no } => match tc_kimlik_no {
            Some(number) => format!("{} (T.C. {number})", details.invoice_address().full_name()),
            None => details.invoice_address().full_name(),
        },
        InvoiceParty::Corporate {
            company,
            vkn,
            tax_office,
        } => format!("{company}, VKN {vkn}, {tax_office} V.D."),
    };
    view! {
        <Title text=title.clone()/>
        <Meta name="robots" content="noindex"/>
        <article class="order" data-order-status=order.status.code()
            {..leptos::attr::custom::custom_attribute(crate::wire::checkout::ORDER_PLACED, just_placed().then_some(""))}>
            <h1>{title}</h1>
            <p class="order__status"><strong>{match (order.status, order.fulfilment) {
                (OrderStatus::Confirmed, Some(step)) => text(locale, step.label_key()),
                (status, _) => text(locale, status.label_key()),
            }}</strong></p>
            <p class="order__headline" role="status">{headline}</p>
            {next.map(|next| view! { <p class="order__next">{next}</p> })}
            <table class="order__lines">
                <thead><tr>
                    <th scope="col">{text(locale, "order.item")}</th>
                    <th scope="col" class="num">{text(locale, "cart.quantity")}</th>
                    <th scope="col" class="num">{text(locale, "order.unit_price")}</th>
                    <th scope="col" class="num">"KDV"</th>
                    <th scope="col" class="num">{text(locale, "order.line_total")}</th>
                </tr></thead>
                <tbody>{lines}</tbody>
            </table>
            <dl class="totals">
                <div><dt>{text(locale, "cart.subtotal")}</dt><dd>{order.subtotal.format(locale)}</dd></div>
                {(order.discount.0 > 0).then(|| view! {
                    <div class="totals__discount">
                        <dt>{text_with(locale, "coupon.line", &[("code", order.coupon_code.as_deref().unwrap_or_default())])}</dt>
                        <dd data-total="discount">{format!("−{}", order.discount.format(locale))}</dd>
                    </div>
                })}
                <div><dt>{text(locale, "cart.shipping")}</dt><dd>{order.shipping.format(locale)}</dd></div>
                {(order.payment_fee.0 > 0).then(|| view! {
                    <div><dt>{text(locale, "checkout.payment_fee")}</dt><dd>{order.payment_fee.format(locale)}</dd></div>
                })}
                <div class="totals__grand"><dt>{text(locale, "cart.total")}</dt><dd data-total="total">{order.total.format(locale)}</dd></div>
                {kdv_lines}
                {order.paid.filter(|paid| *paid != order.total).map(|paid| view! {
                    <div><dt>{text(locale, "order.charged")}</dt><dd>{paid.format(locale)}</dd></div>
                })}
            </dl>
            <section class="order__addresses">
                <div>
                    <h2>{text(locale, "checkout.delivery_address")}</h2>
                    <p>{details.delivery.full_name()}<br/>{details.delivery.one_line()}<br/>{details.phone.clone()}</p>
                </div>
                <div>
                    <h2>{text(locale, "checkout.invoice")}</h2>
                    <p>{invoice_party}<br/>{details.invoice_address().one_line()}</p>
                </div>
            </section>
            <p class="order__payment">
                {text(locale, "checkout.payment_method")} ": "
                {text(locale, &format!("checkout.payment.{}", order.payment_method.code()))}
                {order.card_last4.clone().map(|last4| format!(" (**** {last4}{})",
                    order.installments.filter(|n| *n > 1).map(|n| format!(", {n} taksit")).unwrap_or_default()))}
            </p>
            <p class="order__date"><small>{text(locale, "order.placed_at")} ": " {order.created_at.clone()}</small></p>
            {order.invoice.clone().zip(access_token()).map(|((invoice, _), token)| view! {
                <p><a href=format!("{}?erisim={token}", locale.path(&Page::Invoice(order.number.clone())))>
                    {text_with(locale, "invoice.link", &[("number", &invoice)])}
                </a></p>
            })}
            <OrderCancellations locale order=order.clone()/>
            <crate::pages::cayma::OrderCaymaSection locale order=order.clone()/>
            <OrderHistory locale history=order.history.clone()/>
            <AcceptedDocuments locale documents=order.documents.clone()/>
        </article>
    }
    .into_any()
}

/// The pieces staff cancelled before the order shipped: what, why, and what it comes to now.
#[component]
fn OrderCancellations(locale: Locale, order: OrderView) -> impl IntoView {
    (!order.cancellations.is_empty()).then(|| {
        let lines = order
            .cancellations
            .iter()
            .map(|cancellation| view! { <li>{cancellation_text(cancellation, locale)}</li> })
            .collect_view();
        let after = order.total_after_cancellations();
        view! {
            <section class="order__cancellations" data-cancellations="">
                <h2>{text(locale, "order.cancellations")}</h2>
                <ul>{lines}</ul>
                <p>{text_with(locale, "order.after_cancellations_text", &[("amount", &after.format(locale))])}</p>
            </section>
        }
    })
}

/// "1 × Keten gömlek (Beyaz / M) · 1.299,90 TL · Neden: …".
pub(crate) fn cancellation_text(
    cancellation: &crate::model::checkout::LineCancellationView,
    locale: Locale,
) -> String {
    text_with(
        locale,
        "order.cancellation_line",
        &[
            ("count", &cancellation.quantity.to_string()),
            ("name", &cancellation.name),
            ("variant", &cancellation.variant),
            ("amount", &cancellation.amount.format(locale)),
            ("reason", &cancellation.reason),
        ],
    )
}

/// The KDV of the order per rate, as placed (the same rounding as at checkout).
pub fn kdv_per_rate(order: &OrderView) -> Vec<KdvLine> {
    crate::model::checkout::totals::kdv_per_rate(
        order
            .lines
            .iter()
            .map(|line| (line.kdv_rate, line.charged())),
        order.shipping,
        order.payment_fee,
    )
}

/// The headline in plain words, and what the shopper does or waits for next.
pub(crate) fn what_happens(
    order: &OrderView,
    locale: Locale,
    seller: &crate::model::brand::SellerIdentity,
) -> (String, Option<String>) {
    match (order.status, order.payment_status) {
        (OrderStatus::Cancelled, _) => (text(locale, "order.cancelled_text"), None),
        (OrderStatus::AwaitingPayment, PaymentStatus::Failed) => (
            text_with(
                locale,
                "order.payment_failed",
                &[("reason", order.payment_error.as_deref().unwrap_or(""))],
            ),
            None,
        ),
        (OrderStatus::AwaitingPayment, _) => (text(locale, "order.awaiting_payment_text"), None),
        (OrderStatus::OnHold, _) => {
            let reason = order.hold_reason.unwrap_or(HoldReason::FirstOrder);
            let next = match (reason, order.payment_method) {
                (HoldReason::BankTransfer, _) | (_, PaymentMethod::BankTransfer) => {
                    Some(text_with(
                        locale,
                        "order.transfer_instructions",
                        &[
                            ("amount", &order.total.format(locale)),
                            ("iban", &seller.iban),
                            ("bank", &seller.bank_name),
                            ("holder", &seller.trade_name),
                            ("number", &order.number),
                        ],
                    ))
                }
                (HoldReason::CashOnDelivery, _) => Some(text_with(
                    locale,
                    "order.cash_on_delivery_instructions",
                    &[("amount", &order.total_after_cancellations().format(locale))],
                )),
                _ => None,
            };
            (text(locale, reason.label_key()), next)
        }
        (OrderStatus::Confirmed, _) => match order.fulfilment {
            None => (text(locale, "order.confirmed_text"), None),
            Some(Fulfilment::Shipped) => (
                text_with(
                    locale,
                    "order.shipped_text",
                    &[
                        ("carrier", order.carrier.as_deref().unwrap_or_default()),
                        (
                            "tracking",
                            order.tracking_number.as_deref().unwrap_or_default(),
                        ),
                    ],
                ),
                None,
            ),
            Some(step) => (text(locale, &format!("{}_text", step.label_key())), None),
        },
    }
}

/// Whether this is the first view of the order, right after it was placed (the server decided
/// it before rendering, once per order: `JustPlaced`).
fn just_placed() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .extensions
                .get::<crate::model::checkout::order::JustPlaced>()
                .is_some()
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The signed link's token of the request being rendered, to link the invoice with it.
pub fn access_token() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        let query = parts.uri.query()?;
        query.split('&').find_map(|pair| {
            pair.strip_prefix(crate::backend::order_link::ACCESS_QUERY)?
                .strip_prefix('=')
                .map(str::to_string)
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

pub fn loaded_order() -> Option<OrderView> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        parts.extensions.get::<OrderView>().cloned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// What happened to the order, oldest first.
#[component]
fn OrderHistory(
    locale: Locale,
    history: Vec<(String, OrderStatus, PaymentStatus)>,
) -> impl IntoView {
    (!history.is_empty()).then(|| {
        let rows = history
            .into_iter()
            .map(|(at, status, payment)| {
                let when = crate::model::date::to_the_minute(&at);
                view! {
                    <li><time datetime=at>{when}</time> " · " {text(locale, status.label_key())}
                        " · " {text(locale, payment.label_key())}</li>
                }
            })
            .collect_view();
        view! {
            <section class="order__history" aria-labelledby="siparis-gecmisi">
                <h2 id="siparis-gecmisi">{text(locale, "order.history")}</h2>
                <ol>{rows}</ol>
            </section>
        }
    })
}

/// The pre-contractual form and the contract exactly as the shopper accepted them (stored with
/// the order, never changed), folded away.
#[component]
fn AcceptedDocuments(locale: Locale, documents: Vec<(String, String)>) -> impl IntoView {
    (!documents.is_empty()).then(|| {
        let items = documents
            .into_iter()
            .map(|(kind, html)| {
                let title = match kind.as_str() {
                    "on_bilgilendirme" => text(locale, "legal.pre_contract"),
                    _ => text(locale, "legal.distance_sales"),
                };
                view! {
                    <details class="order__document">
                        <summary>{title}</summary>
                        <div class="prose" inner_html=html></div>
                    </details>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="siparis-belgeleri">
                <h2 id="siparis-belgeleri">{text(locale, "order.documents")}</h2>
                {items}
            </section>
        }
    })
}
