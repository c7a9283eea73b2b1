//! An order's invoice (`/fatura/{order}`, with the order's signed link): seller and buyer, the
//! lines with their price before KDV, each KDV rate's base and tax, and the total. Printable
//! (the header and footer are left out in print). Shown once the invoice is issued, which
//! happens when the order is confirmed for fulfilment.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{text, text_with};
use crate::model::checkout::methods::SERVICE_KDV_RATE;
use crate::model::checkout::totals::kdv_per_rate;
use crate::model::checkout::InvoiceParty;
use crate::model::{Locale, Money};
use crate::pages::legal::use_seller;
use crate::pages::order::loaded_order;

/// The part of a KDV-inclusive amount before KDV at `rate`.
fn net(gross: Money, rate: i64) -> Money {
    Money(gross.0 - gross.kdv_share(rate).0)
}

/// An invoice's (or an invoice return's) lines: each with its price before KDV, then each KDV
/// rate's base and tax, and the total. `rows` are (name, quantity, amount with KDV, KDV rate).
#[component]
fn InvoiceLines(
    locale: Locale,
    rows: Vec<(String, i64, Money, i64)>,
    total: Money,
    total_key: &'static str,
) -> impl IntoView {
    let kdv_lines = kdv_per_rate(
        rows.iter().map(|(_, _, gross, rate)| (*rate, *gross)),
        Money::ZERO,
        Money::ZERO,
    );
    let net_total = Money(kdv_lines.iter().map(|line| line.gross.0 - line.kdv.0).sum());
    view! {
        <table class="order__lines">
            <thead><tr>
                <th scope="col">{text(locale, "order.item")}</th>
                <th scope="col" class="num">{text(locale, "cart.quantity")}</th>
                <th scope="col" class="num">{text(locale, "invoice.net_unit")}</th>
                <th scope="col" class="num">"KDV"</th>
                <th scope="col" class="num">{text(locale, "invoice.net_amount")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|(name, quantity, gross, rate)| {
                    let net_amount = net(gross, rate);
                    view! {
                        <tr>
                            <td>{name}</td>
                            <td class="num">{quantity}</td>
                            <td class="num">{Money(net_amount.0 / quantity.max(1)).format(locale)}</td>
                            <td class="num">{format!("%{rate}")}</td>
                            <td class="num">{net_amount.format(locale)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <dl class="totals">
            <div><dt>{text(locale, "invoice.net_total")}</dt><dd>{net_total.format(locale)}</dd></div>
            {kdv_lines.into_iter().map(|line| view! {
                <div><dt>{text_with(locale, "invoice.kdv_line", &[("rate", &line.rate.to_string()), ("base", &Money(line.gross.0 - line.kdv.0).format(locale))])}</dt>
                    <dd>{line.kdv.format(locale)}</dd></div>
            }).collect_view()}
            <div class="totals__grand"><dt>{text(locale, total_key)}</dt><dd data-total=if total_key == "invoice.total" { "total" } else { "return" }>{total.format(locale)}</dd></div>
        </dl>
    }
}

#[component]
pub fn InvoicePage(locale: Locale) -> impl IntoView {
    let Some(order) = loaded_order() else {
        return view! { <crate::pages::not_found::NotFound/> }.into_any();
    };
    let Some((number, issued_at)) = order.invoice.clone() else {
        let title = text(locale, "invoice.title_plain");
        return view! {
            <Title text=title.clone()/>
            <Meta name="robots" content="noindex"/>
            <article class="invoice"><h1>{title}</h1><p>{text(locale, "invoice.not_yet")}</p></article>
        }
        .into_any();
    };
    let seller = use_seller();
    let details = order.details.clone();
    let address = details.invoice_address().clone();
    let buyer = match &details.invoice {
        InvoiceParty::Individual { tc_kimlik_no } => {
            let mut buyer = address.full_name();
            if let Some(tc) = tc_kimlik_no {
                buyer.push_str(&format!(" · T.C. {tc}"));
            }
            buyer
        }
        InvoiceParty::Corporate {
            company,
            vkn,
            tax_office,
        } => format!("{company} · VKN {vkn} · {tax_office} V.D."),
    };
    let mut rows: Vec<(String, i64, Money, i64)> = order
        .lines
        .iter()
        .map(|line| {
            let mut name = format!(
                "{} ({} / {}) · {}",
                line.name, line.colour, line.size, line.sku
            );
            // The discount (iskonto) is shown on the line it lowered; amounts are after it.
            if line.discount.0 > 0 {
                name.push_str(&format!(
                    " · {} −{}",
                    text_with(
                        locale,
                        "coupon.line",
                        &[("code", order.coupon_code.as_deref().unwrap_or_default())]
                    ),
                    line.discount.format(locale)
                ));
            }
            // Pieces cancelled before the invoice was issued were never invoiced.
            let (gone, gone_amount) = order
                .cancellations
                .iter()
                .filter(|cancellation| {
                    cancellation.before_invoice && cancellation.order_line_id == line.id
                })
                .fold((0, 0), |(pieces, amount), cancellation| {
                    (
                        pieces + cancellation.quantity,
                        amount + cancellation.amount.0,
                    )
                });
            (
                name,
                line.quantity - gone,
                Money(line.charged().0 - gone_amount),
                line.kdv_rate,
            )
        })
        .filter(|(_, quantity, _, _)| *quantity > 0)
        .collect();
    if order.shipping.0 > 0 {
        rows.push((
            text(locale, "cart.shipping"),
            1,
            order.shipping,
            SERVICE_KDV_RATE,
        ));
    }
    if order.payment_fee.0 > 0 {
        rows.push((
            text(locale, "checkout.payment_fee"),
            1,
            order.payment_fee,
            SERVICE_KDV_RATE,
        ));
    }
    let never_invoiced: i64 = order
        .cancellations
        .iter()
        .filter(|cancellation| cancellation.before_invoice)
        .map(|cancellation| cancellation.amount.0)
        .sum();
    let total = Money(order.total.0 - never_invoiced);
    let returns = order
        .invoice_returns
        .iter()
        .map(|invoice_return| {
            let total = Money(invoice_return.lines.iter().map(|line| line.2 .0).sum());
            view! {
                <section class="invoice__return" data-invoice-return=invoice_return.number.clone()>
                    <h2>{text_with(locale, "invoice.return_title", &[("number", &invoice_return.number)])}</h2>
                    <dl class="invoice__meta">
                        <div><dt>{text(locale, "invoice.date")}</dt><dd>{invoice_return.issued_at.clone()}</dd></div>
                        <div><dt>{text(locale, "invoice.return_reason")}</dt><dd>{invoice_return.reason.clone()}</dd></div>
                    </dl>
                    <InvoiceLines locale rows=invoice_return.lines.clone() total total_key="invoice.return_total"/>
                </section>
            }
        })
        .collect_view();
    let title = text_with(locale, "invoice.title", &[("number", &number)]);
    view! {
        <Title text=title.clone()/>
        <Meta name="robots" content="noindex"/>
        <article class="invoice">
            <h1>{title}</h1>
            <dl class="invoice__meta">
                <div><dt>{text(locale, "invoice.date")}</dt><dd>{issued_at}</dd></div>
                <div><dt>{text(locale, "invoice.order")}</dt><dd>{order.number.clone()}</dd></div>
            </dl>
            <section class="order__addresses">
                <div>
                    <h2>{text(locale, "invoice.seller")}</h2>
                    <p>{seller.trade_name.clone()}<br/>{seller.address.clone()}<br/>"MERSİS " {seller.mersis.clone()}</p>
                </div>
                <div>
                    <h2>{text(locale, "invoice.buyer")}</h2>
                    <p>{buyer}<br/>{address.one_line()}</p>
                </div>
            </section>
            <InvoiceLines locale rows total total_key="invoice.total"/>
            {(!order.invoice_returns.is_empty()).then(|| view! { <h2>{text(locale, "invoice.returns")}</h2> })}
            {returns}
            <p class="hint">{text(locale, "invoice.print_hint")}</p>
        </article>
    }
    .into_any()
}
