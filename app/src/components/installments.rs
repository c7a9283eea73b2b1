//! The taksit table: for a price, each card family's instalments, what each costs and what they
//! cost in all. Shown on the product page (for its price) and at payment (for the order's total),
//! from the payment provider's rates (`PaymentProvider::installments`).

use leptos::prelude::*;

use crate::i18n::{text, text_with};
use crate::model::checkout::page::InstallmentRow;
use crate::model::{Locale, Money};

#[component]
pub fn InstallmentTable(rows: Vec<InstallmentRow>, locale: Locale) -> impl IntoView {
    (!rows.is_empty()).then(|| {
        let counts: Vec<u32> = rows[0].prices.iter().map(|(count, _, _)| *count).collect();
        let head = counts
            .iter()
            .map(|count| view! { <th scope="col">{text_with(locale, "checkout.installment_count", &[("count", &count.to_string())])}</th> })
            .collect_view();
        let body = rows
            .into_iter()
            .map(|row| {
                let cells = row
                    .prices
                    .iter()
                    .map(|(count, each, total)| view! {
                        <td>{format!("{count} × {}", each.format(locale))}<br/><small>{total.format(locale)}</small></td>
                    })
                    .collect_view();
                view! { <tr><th scope="row">{row.card_family}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            <details class="installments">
                <summary>{text(locale, "checkout.installments")}</summary>
                <div class="installments__scroll">
                    <table>
                        <thead><tr><th scope="col">{text(locale, "checkout.card_family")}</th>{head}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <p class="hint">{text(locale, "checkout.installments_note")}</p>
            </details>
        }
    })
}

/// The provider's instalment table for `price`, for the page being rendered (server only).
pub fn installments_now(price: Money) -> Vec<InstallmentRow> {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::backend::AppState>()
            .map(|state| installment_rows(&state, price))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = price;
        Vec::new()
    }
}

/// The provider's instalment table for `price`, as the tables show it.
#[cfg(feature = "ssr")]
pub fn installment_rows(state: &crate::backend::AppState, price: Money) -> Vec<InstallmentRow> {
    state
        .payments
        .installments(price, state.checkout.max_installments)
        .into_iter()
        .map(|table| InstallmentRow {
            card_family: table.card_family,
            prices: table
                .prices
                .into_iter()
                .map(|row| (row.count, row.each, row.total))
                .collect(),
        })
        .collect()
}
