//! The back office (`/yonetim`, issue 15): staff log in, see what waits on the first page,
//! find orders and move them on. Server-rendered plain forms, in Turkish (staff work in it;
//! `/en/management` only mirrors the route table). A page renders only for the member of
//! staff the server's guard put on the request (`server/src/staff_guard.rs`); without one it
//! is the 404 page, so a page reached some other way still shows nothing.

use leptos::prelude::*;

use crate::components::form::{Field, FormNotice, FormView};
use crate::i18n::{text, text_with};
use crate::model::checkout::order::Fulfilment;
use crate::model::checkout::{OrderStatus, PaymentMethod, PaymentStatus};
use crate::model::date::{istanbul_date, to_the_minute};
use crate::model::staff::{
    StaffDashboard, StaffLoginDraft, StaffLoginField, StaffOrderDetail, StaffOrderList, StaffView,
    ORDERS_PER_PAGE,
};
use crate::model::{Locale, Page};
use crate::pages::account::{state_notice, PrivateMeta};
use crate::pages::not_found::NotFound;

/// The form field that says which action an order form asks for.
pub const ACTION: &str = "islem";
/// The partial cancellation's quantity field of an order line: this, then the line's id.
pub const CANCEL_QUANTITY_PREFIX: &str = "iptal-adet-";

/// Why an order action was refused (the key of the message), for the page rendered again.
#[derive(Clone, Copy, Debug)]
pub struct StaffNotice(pub &'static str);

/// What the request carries of type `T` (put there by the guard or the page's loader).
pub(crate) fn from_request<T: Clone + Send + Sync + 'static>() -> Option<T> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        parts.extensions.get::<T>().cloned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// A list's sentence when it has nothing to show, under its headings.
pub(crate) fn empty_list(locale: Locale, empty: bool, key: &'static str) -> impl IntoView {
    empty.then(|| view! { <p class="staff-empty">{text(locale, key)}</p> })
}

#[component]
pub(crate) fn StaffNav(locale: Locale, staff: StaffView) -> impl IntoView {
    view! {
        <nav class="account-nav" aria-label=text(locale, "staff.nav")>
            <a href=locale.path(&Page::StaffHome)>{text(locale, "staff.home")}</a>
            <a href=locale.path(&Page::StaffOrders)>{text(locale, "staff.orders")}</a>
            <a href=locale.path(&Page::StaffInbox)>{text(locale, "staff.inbox")}</a>
            <a href=locale.path(&Page::StaffKvkk)>{text(locale, "staff.kvkk")}</a>
            <a href=locale.path(&Page::StaffConsents)>{text(locale, "staff.consents")}</a>
            <a href=locale.path(&Page::StaffOutbox)>{text(locale, "staff.outbox")}</a>
            <a href=locale.path(&Page::StaffPassword)>{text(locale, "staff.password")}</a>
            {staff.role.covers(crate::model::staff::StaffRole::Yonetici).then(|| view! {
                <a href=locale.path(&Page::StaffProducts)>{text(locale, "staff.products")}</a>
                <a href=locale.path(&Page::StaffCampaigns)>{text(locale, "staff.campaigns")}</a>
                <a href=locale.path(&Page::StaffTeam)>{text(locale, "staff.team")}</a>
            })}
            <form method="post" action=format!("{}/cikis", locale.path(&Page::StaffHome)) class="inline-form">
                <span>{format!("{} ({})", staff.name, staff.role.code())}</span>
                " "
                <button type="submit" class="button button--secondary">{text(locale, "staff.log_out")}</button>
            </form>
        </nav>
    }
}

#[component]
pub fn StaffLoginPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "staff.login_title");
    let form = FormView::<StaffLoginDraft>::from_context(locale, "yonetim");
    let email = form.field(StaffLoginField::Email);
    let password = form.field(StaffLoginField::Password);
    let code = form.field(StaffLoginField::Code);
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account">
            <h1>{title}</h1>
            {state_notice(locale, "staff")}
            <form class="account-form" method="post" action=locale.path(&Page::StaffLogin) novalidate>
                <FormNotice message=form.general()/>
                <Field field=email.clone() label=text(locale, "account.email")>
                    <input id=email.id.clone() name=email.name type="email" autocomplete="username" value=email.value.clone() {..email.aria()}/>
                </Field>
                <Field field=password.clone() label=text(locale, "account.password")>
                    <input id=password.id.clone() name=password.name type="password" autocomplete="current-password" {..password.aria()}/>
                </Field>
                <Field field=code.clone() label=text(locale, "staff.code")>
                    // Not inputmode=numeric: a recovery code has letters.
                    <input id=code.id.clone() name=code.name autocomplete="one-time-code" autocapitalize="characters" {..code.aria()}/>
                </Field>
                <p class="hint">{text(locale, "staff.code_hint")}</p>
                <button type="submit" class="button">{text(locale, "staff.log_in")}</button>
            </form>
        </article>
    }
}

#[component]
pub fn StaffHomePage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(figures)) = (
        from_request::<StaffView>(),
        from_request::<StaffDashboard>(),
    ) else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.home");
    let orders = locale.path(&Page::StaffOrders);
    let can_edit = staff.role.covers(crate::model::staff::StaffRole::Yonetici);
    let stuck = figures
        .refunds_needing_staff
        .iter()
        .map(|(number, what, error)| {
            let href = locale.path(&Page::StaffOrder(number.clone()));
            let error = if error.is_empty() {
                text(locale, "staff.refund.unanswered")
            } else {
                error.clone()
            };
            view! { <li><a href=href>{format!("{number} · {what}")}</a>" · "{error}</li> }
        })
        .collect_view();
    let low_stock = figures
        .low_stock
        .iter()
        .map(|(slug, name, sku, stock)| {
            let label = format!("{name} · {sku}: {stock}");
            let href = can_edit.then(|| locale.path(&Page::StaffProduct(slug.clone())));
            view! { <li>{match href {
                Some(href) => view! { <a href=href>{label}</a> }.into_any(),
                None => label.into_any(),
            }}</li> }
        })
        .collect_view();
    let tiles = [
        (
            text(locale, "staff.orders_today"),
            figures.orders_today.to_string(),
            orders.clone(),
        ),
        (
            text(locale, "staff.revenue_today"),
            figures.revenue_today.format(locale),
            orders.clone(),
        ),
        (
            text(locale, "staff.on_hold"),
            figures.on_hold.to_string(),
            format!("{orders}?durum=on_hold"),
        ),
        (
            text(locale, "staff.awaiting_transfer"),
            figures.awaiting_transfer.to_string(),
            format!("{orders}?durum=on_hold&odeme=havale"),
        ),
        (
            text(locale, "staff.cayma_open"),
            format!(
                "{} ({} {})",
                figures.cayma_refunds_open,
                figures.cayma_refunds_overdue,
                text(locale, "staff.overdue")
            ),
            orders.clone(),
        ),
        (
            text(locale, "staff.kvkk_open"),
            format!(
                "{} ({} {})",
                figures.kvkk_open,
                figures.kvkk_overdue,
                text(locale, "staff.overdue")
            ),
            locale.path(&Page::StaffKvkk),
        ),
    ]
    .into_iter()
    .map(|(label, value, href)| {
        view! {
            <a class="staff-tile" href=href><span>{label}</span><strong>{value}</strong></a>
        }
    })
    .collect_view();
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            <section class="staff-tiles">{tiles}</section>
            {(!figures.refunds_needing_staff.is_empty()).then(|| view! {
                <section aria-labelledby="bekleyen-iadeler" class="staff-alert">
                    <h2 id="bekleyen-iadeler">{text(locale, "staff.refunds_needing_staff")}</h2>
                    <ul>{stuck}</ul>
                </section>
            })}
            <section aria-labelledby="az-stok">
                <h2 id="az-stok">{text(locale, "staff.low_stock")}</h2>
                <ul class="staff-low-stock">{low_stock}</ul>
            </section>
            <section aria-labelledby="son-gunler">
                <h2 id="son-gunler">{text(locale, "staff.orders_per_day")}</h2>
                <OrdersChart days=figures.orders_per_day.clone()/>
            </section>
        </article>
    }
    .into_any()
}

/// Orders per day as bars, drawn on the server (no script), with the numbers as text for
/// screen readers.
#[component]
fn OrdersChart(days: Vec<(String, i64)>) -> impl IntoView {
    let most = days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let (width, height, bar) = (14 * 24, 120, 18);
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, (day, count))| {
            let h = (count * (height - 20) / most).max(if *count > 0 { 2 } else { 0 });
            let x = i as i64 * 24 + 3;
            view! {
                <g>
                    <title>{format!("{day}: {count}")}</title>
                    <rect x=x y=height - 14 - h width=bar height=h fill="currentColor"></rect>
                    <text x=x + bar / 2 y=height - 2 font-size="9" text-anchor="middle">{day.get(8..10).unwrap_or_default().to_string()}</text>
                </g>
            }
        })
        .collect_view();
    let summary = days
        .iter()
        .map(|(day, count)| format!("{day}: {count}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <svg class="staff-chart" viewBox=format!("0 0 {width} {height}") role="img" aria-label=summary>
            {bars}
        </svg>
    }
}

fn status_text(locale: Locale, status: OrderStatus, fulfilment: Option<Fulfilment>) -> String {
    match (status, fulfilment) {
        (OrderStatus::Confirmed, Some(step)) => text(locale, step.label_key()),
        (status, _) => text(locale, status.label_key()),
    }
}

#[component]
pub fn StaffOrdersPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(list)) = (
        from_request::<StaffView>(),
        from_request::<StaffOrderList>(),
    ) else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.orders");
    let filter = list.filter.clone();
    let statuses = [
        OrderStatus::OnHold,
        OrderStatus::AwaitingPayment,
        OrderStatus::Confirmed,
        OrderStatus::Cancelled,
    ]
    .into_iter()
    .map(|status| view! {
        <option value=status.code() selected=filter.status == status.code()>{text(locale, status.label_key())}</option>
    })
    .collect_view();
    let methods = ["kart", "havale", "kapida"]
        .into_iter()
        .map(|method| view! {
            <option value=method selected=filter.payment == method>{text(locale, &format!("checkout.payment.{method}"))}</option>
        })
        .collect_view();
    let empty = list.rows.is_empty();
    let rows = list
        .rows
        .iter()
        .map(|row| {
            let href = locale.path(&Page::StaffOrder(row.number.clone()));
            view! {
                <tr data-siparis=row.number.clone()>
                    <td><a href=href>{row.number.clone()}</a></td>
                    <td>{to_the_minute(&row.created_at)}</td>
                    <td>{status_text(locale, row.status, row.fulfilment)}</td>
                    <td>{text(locale, &format!("checkout.payment.{}", row.payment_method))}" · "{text(locale, row.payment_status.label_key())}</td>
                    <td>{row.email.clone()}</td>
                    <td class="num">{row.total.format(locale)}</td>
                </tr>
            }
        })
        .collect_view();
    let pages = ((list.total_rows + ORDERS_PER_PAGE - 1) / ORDERS_PER_PAGE).max(1);
    let base = locale.path(&Page::StaffOrders);
    let link = |page: i64| {
        let query = filter.query(page);
        if query.is_empty() {
            base.clone()
        } else {
            format!("{base}?{query}")
        }
    };
    let previous = (filter.page > 1).then(
        || view! { <a rel="prev" href=link(filter.page - 1)>{text(locale, "staff.previous")}</a> },
    );
    let next = (filter.page < pages).then(
        || view! { <a rel="next" href=link(filter.page + 1)>{text(locale, "staff.next")}</a> },
    );
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            <form class="staff-filter" method="get" action=base.clone()>
                <label>{text(locale, "staff.filter_status")}
                    <select name="durum"><option value="">{text(locale, "staff.all")}</option>{statuses}</select>
                </label>
                <label>{text(locale, "checkout.payment_method")}
                    <select name="odeme"><option value="">{text(locale, "staff.all")}</option>{methods}</select>
                </label>
                <label>{text(locale, "staff.filter_search")}
                    <input name="ara" value=filter.search.clone()/>
                </label>
                <label>{text(locale, "staff.filter_from")}
                    <input name="tarih" type="date" value=filter.from.clone()/>
                </label>
                <button type="submit" class="button">{text(locale, "staff.filter")}</button>
            </form>
            <p>{text_with(locale, "staff.order_count", &[("count", &list.total_rows.to_string()), ("page", &filter.page.to_string()), ("pages", &pages.to_string())])}</p>
            <table class="member-orders staff-orders">
                <thead><tr>
                    <th scope="col">{text(locale, "account.order_number")}</th>
                    <th scope="col">{text(locale, "order.placed_at")}</th>
                    <th scope="col">{text(locale, "account.order_status")}</th>
                    <th scope="col">{text(locale, "checkout.payment_method")}</th>
                    <th scope="col">{text(locale, "account.email")}</th>
                    <th scope="col" class="num">{text(locale, "cart.total")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {empty_list(locale, empty, "staff.empty.orders")}
            <nav class="pagination">{previous}" "{next}</nav>
        </article>
    }
    .into_any()
}

#[component]
pub fn StaffOrderPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(detail)) = (
        from_request::<StaffView>(),
        from_request::<StaffOrderDetail>(),
    ) else {
        return view! { <NotFound/> }.into_any();
    };
    let order = detail.order.clone();
    let title = text_with(locale, "order.title", &[("number", &order.number)]);
    let action = locale.path(&Page::StaffOrder(order.number.clone()));
    let lines = order
        .lines
        .iter()
        .map(|line| view! {
            <tr>
                <td>{line.name.clone()}<br/><small>{format!("{} / {} · {}", line.colour, line.size, line.sku)}</small></td>
                <td class="num">{line.quantity}
                    {(line.cancelled > 0).then(|| view! { <br/><small data-cancelled=line.cancelled>{text_with(locale, "order.cancelled_pieces", &[("count", &line.cancelled.to_string())])}</small> })}
                </td>
                <td class="num">{line.total().format(locale)}</td>
            </tr>
        })
        .collect_view();
    let events = detail
        .events
        .iter()
        .map(|(at, note)| view! { <li><time datetime=at.clone()>{to_the_minute(at)}</time>" · "{note.clone()}</li> })
        .collect_view();
    let audit = detail
        .audit
        .iter()
        .map(|(at, who, what, details)| view! { <li>{format!("{} · {who} · {what} {details}", to_the_minute(at))}</li> })
        .collect_view();
    let requests = order
        .cayma
        .requests
        .iter()
        .map(|request| {
            let id = request.id.to_string();
            use crate::model::cayma::{CaymaStatus, RefundMethod};
            let buttons: &[(&str, &str)] = match (request.status, request.refund_method) {
                (CaymaStatus::Received, RefundMethod::Card) => &[("cayma_iade", "staff.cayma_refund_card")],
                (CaymaStatus::Received, RefundMethod::BankTransfer) => &[("cayma_havale", "staff.cayma_refund_transfer")],
                // Asked and (for all we know) never answered: staff say what the panel shows.
                (CaymaStatus::Refunding, RefundMethod::Card) => &[
                    ("cayma_kontrol_oldu", "staff.refund.checked_done"),
                    ("cayma_kontrol_olmadi", "staff.refund.checked_not_done"),
                ],
                _ => &[],
            };
            let goods = request.goods_received_at.is_none().then(|| view! {
                <form method="post" action=action.clone() class="inline-form">
                    <input type="hidden" name=ACTION value="cayma_urun"/>
                    <input type="hidden" name="talep" value=id.clone()/>
                    <input name="not" maxlength="300" aria-label=text(locale, "staff.goods_note")
                        placeholder=text(locale, "staff.goods_note")/>
                    <button type="submit" class="button button--secondary">{text(locale, "staff.goods_received")}</button>
                </form>
            });
            view! {
                <li data-cayma=request.reference.clone()>
                    <strong>{request.reference.clone()}</strong>" · "
                    {crate::pages::cayma::status_text(request, locale)}
                    {goods}
                    {buttons.iter().map(|(act, label)| view! {
                        <form method="post" action=action.clone() class="inline-form">
                            <input type="hidden" name=ACTION value=*act/>
                            <input type="hidden" name="talep" value=id.clone()/>
                            <button type="submit" class="button button--secondary">{text(locale, label)}</button>
                        </form>
                    }).collect_view()}
                </li>
            }
        })
        .collect_view();
    let next_step = order_actions(locale, &order, &action);
    let refunds = detail
        .refunds
        .iter()
        .map(|refund| {
            let state = match (refund.refunded, refund.unanswered, &refund.error) {
                (true, _, _) => text(locale, "staff.refund.done"),
                (false, true, _) => text(locale, "staff.refund.unanswered"),
                (false, false, Some(error)) => {
                    text_with(locale, "staff.refund.refused", &[("error", error)])
                }
                (false, false, None) => text(locale, "staff.refund.owed"),
            };
            let buttons: &[(&str, &str)] =
                match (refund.refunded, refund.unanswered, refund.method.as_str()) {
                    (false, false, "kart") => &[("iade_tekrar", "staff.refund.retry")],
                    (false, false, _) => &[("iade_havale", "staff.refund.transfer_sent")],
                    // Asked and never answered: staff say what the provider's panel shows.
                    (false, true, _) => &[
                        ("iade_kontrol_oldu", "staff.refund.checked_done"),
                        ("iade_kontrol_olmadi", "staff.refund.checked_not_done"),
                    ],
                    _ => &[],
                };
            view! {
                <li>
                    {refund.amount.format(locale)}" · "{state}
                    {buttons.iter().map(|(act, label)| view! {
                        <form method="post" action=action.clone() class="inline-form">
                            <input type="hidden" name=ACTION value=*act/>
                            <input type="hidden" name="talep" value=refund.id.to_string()/>
                            <button type="submit" class="button">{text(locale, label)}</button>
                        </form>
                    }).collect_view()}
                </li>
            }
        })
        .collect_view();
    let refunds = (!detail.refunds.is_empty()).then(|| {
        view! {
            <section class="staff-refund">
                <h2>{text(locale, "staff.refund.title")}</h2>
                <ul>{refunds}</ul>
            </section>
        }
    });
    let refused = use_context::<StaffNotice>().map(|notice| text(locale, notice.0));
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff" data-order-status=order.status.code()>
            <h1>{title}</h1>
            <StaffNav locale staff/>
            {state_notice(locale, "staff")}
            <FormNotice message=refused/>
            <p class="order__status"><strong>{status_text(locale, order.status, order.fulfilment)}</strong>
                " · " {text(locale, order.payment_status.label_key())}
                {order.hold_reason.map(|reason| view! { <br/>{text(locale, reason.label_key())} })}
            </p>
            {next_step}
            {refunds}
            <table class="order__lines">
                <thead><tr>
                    <th scope="col">{text(locale, "order.item")}</th>
                    <th scope="col" class="num">{text(locale, "cart.quantity")}</th>
                    <th scope="col" class="num">{text(locale, "order.line_total")}</th>
                </tr></thead>
                <tbody>{lines}</tbody>
            </table>
            <dl class="totals">
                <div><dt>{text(locale, "cart.total")}</dt><dd>{order.total.format(locale)}</dd></div>
                {order.paid.map(|paid| view! { <div><dt>{text(locale, "order.charged")}</dt><dd>{paid.format(locale)}</dd></div> })}
                {(!order.cancellations.is_empty()).then(|| view! {
                    <div><dt>{text(locale, "order.after_cancellations")}</dt><dd data-total="after-cancellations">{order.total_after_cancellations().format(locale)}</dd></div>
                })}
            </dl>
            <section>
                <h2>{text(locale, "staff.customer")}</h2>
                <p>{order.details.delivery.full_name()}<br/>{detail.email.clone()}<br/>{order.details.phone.clone()}<br/>
                    {order.details.delivery.one_line()}</p>
                <p><small>{format!("IP {} · {}", detail.ip, detail.user_agent)}</small></p>
                <p>{text(locale, &format!("checkout.payment.{}", order.payment_method.code()))}
                    {order.card_last4.clone().map(|last4| format!(" (**** {last4})"))}</p>
                {order.delivered_at_text(locale)}
            </section>
            {(!order.cayma.requests.is_empty()).then(|| view! {
                <section><h2>{text(locale, "cayma.section")}</h2><ul>{requests}</ul></section>
            })}
            <section><h2>{text(locale, "order.history")}</h2><ol>{events}</ol></section>
            <section><h2>{text(locale, "staff.audit")}</h2><ul>{audit}</ul></section>
        </article>
    }
    .into_any()
}

/// The forms for what may happen to the order next, on the status graph.
fn order_actions(
    locale: Locale,
    order: &crate::model::checkout::OrderView,
    action: &str,
) -> impl IntoView {
    let button = |act: &'static str, label: &'static str| {
        view! {
            <form method="post" action=action.to_string() class="inline-form">
                <input type="hidden" name=ACTION value=act/>
                <button type="submit" class="button">{text(locale, label)}</button>
            </form>
        }
        .into_any()
    };
    let mut forms: Vec<AnyView> = Vec::new();
    if order.status == OrderStatus::OnHold
        && order.payment_method == PaymentMethod::BankTransfer
        && order.payment_status == PaymentStatus::Pending
    {
        forms.push(button("havale", "staff.transfer_received"));
    }
    if order.status == OrderStatus::OnHold
        && matches!(
            order.payment_status,
            PaymentStatus::Paid | PaymentStatus::DueOnDelivery
        )
    {
        forms.push(
            view! {
                <form method="post" action=action.to_string() class="account-form staff-verify">
                    <input type="hidden" name=ACTION value="onayla"/>
                    <fieldset>
                        <legend>{text(locale, "staff.checks")}</legend>
                        <label><input type="checkbox" name="kontrol" value="telefon"/>" "{text(locale, "staff.check.phone")}</label>
                        <label><input type="checkbox" name="kontrol" value="adres"/>" "{text(locale, "staff.check.address")}</label>
                        <label><input type="checkbox" name="kontrol" value="banka"/>" "{text(locale, "staff.check.bank")}</label>
                    </fieldset>
                    <label for="staff-not">{text(locale, "staff.note")}</label>
                    <textarea id="staff-not" name="not" rows="2" maxlength="500"></textarea>
                    <button type="submit" class="button">{text(locale, "staff.release")}</button>
                </form>
            }
            .into_any(),
        );
    }
    if order.status == OrderStatus::Confirmed {
        match Fulfilment::next(order.fulfilment) {
            Some(Fulfilment::Preparing) => forms.push(button("hazirla", "staff.mark_preparing")),
            Some(Fulfilment::Shipped) => forms.push(
                view! {
                    <form method="post" action=action.to_string() class="account-form">
                        <input type="hidden" name=ACTION value="kargola"/>
                        <label for="staff-kargo">{text(locale, "staff.carrier")}</label>
                        <input id="staff-kargo" name="kargo" required maxlength="60"/>
                        <label for="staff-takip">{text(locale, "staff.tracking")}</label>
                        <input id="staff-takip" name="takip" required maxlength="60"/>
                        <button type="submit" class="button">{text(locale, "staff.mark_shipped")}</button>
                    </form>
                }
                .into_any(),
            ),
            Some(Fulfilment::Delivered) => forms.push(button("teslim", "staff.mark_delivered")),
            None => {}
        }
    }
    let cancellable = matches!(order.status, OrderStatus::OnHold | OrderStatus::Confirmed)
        && matches!(order.fulfilment, None | Some(Fulfilment::Preparing));
    if cancellable {
        forms.push(
            view! {
                <form method="post" action=action.to_string() class="account-form staff-cancel">
                    <input type="hidden" name=ACTION value="iptal"/>
                    <label for="staff-neden">{text(locale, "staff.cancel_reason")}</label>
                    <input id="staff-neden" name="neden" required maxlength="300"/>
                    <button type="submit" class="button button--secondary">{text(locale, "staff.cancel")}</button>
                </form>
            }
            .into_any(),
        );
        // Some pieces only; an unpaid transfer order can only be cancelled whole (the amount
        // the shopper is sending would no longer match).
        let pieces_left: i64 = order.lines.iter().map(|line| line.left()).sum();
        let awaiting_transfer = order.payment_status == PaymentStatus::Pending;
        if pieces_left > 1 && !awaiting_transfer {
            forms.push(cancel_lines_form(locale, order, action).into_any());
        }
    }
    (!forms.is_empty()).then(|| view! { <section class="staff-actions">{forms}</section> })
}

/// Staff cancel some pieces of the order's lines: how many of each, and why (the shopper reads it).
fn cancel_lines_form(
    locale: Locale,
    order: &crate::model::checkout::OrderView,
    action: &str,
) -> impl IntoView {
    let lines = order
        .lines
        .iter()
        .filter(|line| line.left() > 0)
        .map(|line| {
            let id = format!("staff-{CANCEL_QUANTITY_PREFIX}{}", line.id);
            view! {
                <label for=id.clone()>{format!("{} ({} / {})", line.name, line.colour, line.size)}</label>
                <select id=id name=format!("{CANCEL_QUANTITY_PREFIX}{}", line.id)>
                    {(0..=line.left()).map(|count| view! { <option value=count.to_string()>{count}</option> }).collect_view()}
                </select>
            }
        })
        .collect_view();
    view! {
        <form method="post" action=action.to_string() class="account-form staff-cancel-lines">
            <input type="hidden" name=ACTION value="iptal_kalem"/>
            <fieldset>
                <legend>{text(locale, "staff.cancel_lines")}</legend>
                {lines}
            </fieldset>
            <label for="staff-kalem-neden">{text(locale, "staff.cancel_lines_reason")}</label>
            <input id="staff-kalem-neden" name="neden" required maxlength="300"/>
            <p class="hint">{text(locale, "staff.cancel_lines_hint")}</p>
            <button type="submit" class="button button--secondary">{text(locale, "staff.cancel_lines_submit")}</button>
        </form>
    }
}

impl crate::model::checkout::OrderView {
    /// "Teslim edildi: 15.12.2026", once delivered.
    fn delivered_at_text(&self, locale: Locale) -> Option<String> {
        self.cayma.delivered_at.map(|at| {
            format!(
                "{}: {}",
                text(locale, "order.fulfilment.delivered"),
                istanbul_date(at)
            )
        })
    }
}
