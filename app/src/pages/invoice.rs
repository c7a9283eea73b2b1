//! An order's invoice (`/fatura/{order}`, with the order's signed link): seller and buyer, the
//! lines with their price before KDV, each KDV rate's base and tax, and the total. Printable
//! (the header and footer are left out in print). Shown once the invoice is issued, which
//! happens when the order is confirmed for fulfilment.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{text, text_with};
use crate::model::checkout::methods::SERVICE_KDV_RATE;
use crate::model::checkout::InvoiceParty;
use crate::model::{Locale, Money};
use crate::pages::legal::use_seller;
use crate::pages::order::{kdv_per_rate, loaded_order};

/// The part of a KDV-inclusive amount before KDV at `rate`.
fn net(gross: Money, rate: i64) -> Money {
    Money(gross.0 - gross.kdv_share(rate).0)
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
            (name, line.quantity, line.charged(), line.kdv_rate)
        })
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
    let kdv_lines = kdv_per_rate(&order);
    let net_total = Money(kdv_lines.iter().map(|line| line.gross.0 - line.kdv.0).sum());
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
                <div class="totals__grand"><dt>{text(locale, "invoice.total")}</dt><dd data-total="total">{order.total.format(locale)}</dd></div>
            </dl>
            <p class="hint">{text(locale, "invoice.print_hint")}</p>
        </article>
    }
    .into_any()
}
