//! Hesabım › Siparişlerim: the member's orders, newest first, each opening its order page
//! (status, lines, invoice, and the form and contract as accepted); and, when guest orders were
//! placed with the member's confirmed address, a button to add them to the account.

use leptos::prelude::*;

use crate::i18n::{text, text_with};
use crate::model::account::{MemberOrder, MemberOrders};
use crate::model::{Locale, Page};
use crate::pages::account::{state_notice, AccountNav, PrivateMeta};
use crate::wire::account::{ACTION, ACTION_CLAIM};

fn orders_now() -> MemberOrders {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<MemberOrders>().cloned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        MemberOrders::default()
    }
}

#[component]
pub fn MemberOrdersPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "account.orders");
    let MemberOrders { orders, claimable } = orders_now();
    let claim = (claimable > 0).then(|| {
        view! {
            <form class="notice" method="post" action=locale.path(&Page::Orders)>
                <input type="hidden" name=ACTION value=ACTION_CLAIM/>
                <p>{text_with(locale, "account.claimable", &[("count", &claimable.to_string())])}</p>
                <button type="submit" class="button button--small">{text(locale, "account.claim")}</button>
            </form>
        }
    });
    let list = if orders.is_empty() {
        view! { <p class="account__empty">{text(locale, "account.no_orders")}</p> }.into_any()
    } else {
        let rows = orders
            .into_iter()
            .map(|order| view! { <OrderRow locale order/> })
            .collect_view();
        view! {
            <table class="member-orders">
                <thead><tr>
                    <th scope="col">{text(locale, "account.order_number")}</th>
                    <th scope="col">{text(locale, "account.order_date")}</th>
                    <th scope="col">{text(locale, "account.order_status")}</th>
                    <th scope="col">{text(locale, "cart.total")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account">
            <h1>{title}</h1>
            <AccountNav locale current=Page::Orders/>
            {state_notice(locale, "orders")}
            {claim}
            {list}
        </article>
    }
}

#[component]
fn OrderRow(locale: Locale, order: MemberOrder) -> impl IntoView {
    let date = order.placed_at.get(..10).unwrap_or_default().to_string();
    view! {
        <tr>
            <td><a href=order.link>{order.number}</a></td>
            <td>{date}</td>
            <td>{text(locale, order.status.label_key())}</td>
            <td>{order.total.format(locale)}</td>
        </tr>
    }
}
