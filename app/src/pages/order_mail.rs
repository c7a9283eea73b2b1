//! The order confirmation e-mail (Law 6563 m.5: confirm an order electronically without delay;
//! the Mesafeli Sözleşmeler Yönetmeliği: the form and the contract on a durable medium): the
//! order's status in plain words, its lines and total, what to do next, the signed link to the
//! order, and the two documents exactly as accepted.

use crate::i18n::{text, text_with};
use crate::model::brand::SellerIdentity;
use crate::model::checkout::{HoldReason, OrderStatus, OrderView, PaymentMethod};
use crate::model::text::escape_html;
use crate::model::Locale;

pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A short e-mail in plain text and HTML with the same words: a greeting, paragraphs (lines
/// kept), one link to act on, and the seller's identity at the foot.
pub fn short_mail(
    subject: String,
    greeting: &str,
    paragraphs: &[String],
    action: &str,
    link: &str,
    seller: &SellerIdentity,
    locale: Locale,
) -> Composed {
    let footer = format!(
        "{} · {} · {}",
        seller.trade_name, seller.address, seller.email
    );
    let text = format!(
        "{greeting}\n\n{}\n\n{action}: {link}\n\n{footer}",
        paragraphs.join("\n\n")
    );
    let paragraphs: String = paragraphs
        .iter()
        .map(|paragraph| format!("<p>{}</p>", escape_html(paragraph).replace('\n', "<br>")))
        .collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body><p>{}</p>{paragraphs}<p><a href=\"{}\">{}</a></p>\
         <hr><p>{}</p></body></html>",
        locale.code(),
        escape_html(greeting),
        escape_html(link),
        escape_html(action),
        escape_html(&footer)
    );
    Composed {
        subject,
        text,
        html,
    }
}

/// The e-mail that tells the shopper what staff just did with `order` (released, shipped,
/// delivered): its state now, in the order page's words.
pub fn order_update(
    order: &OrderView,
    link: &str,
    seller: &SellerIdentity,
    locale: Locale,
) -> Composed {
    let subject = text_with(
        locale,
        "mail.order_update_subject",
        &[("number", &order.number)],
    );
    let greeting = text_with(
        locale,
        "mail.greeting",
        &[("name", &order.details.delivery.full_name())],
    );
    let (headline, next) = crate::pages::order::what_happens(order, locale, seller);
    let mut paragraphs = vec![headline];
    paragraphs.extend(next);
    if !order.cancellations.is_empty() {
        paragraphs.push(text(locale, "order.cancellations"));
        paragraphs.extend(
            order
                .cancellations
                .iter()
                .map(|cancellation| crate::pages::order::cancellation_text(cancellation, locale)),
        );
        paragraphs.push(text_with(
            locale,
            "order.after_cancellations_text",
            &[("amount", &order.total_after_cancellations().format(locale))],
        ));
    }
    short_mail(
        subject,
        &greeting,
        &paragraphs,
        &text(locale, "mail.see_order"),
        link,
        seller,
        locale,
    )
}

/// The e-mail for `order`; `link` opens it, `documents` are (kind, html) as accepted.
pub fn order_confirmation(
    order: &OrderView,
    documents: &[(String, String)],
    link: &str,
    seller: &SellerIdentity,
    locale: Locale,
) -> Composed {
    let subject = text_with(locale, "mail.order_subject", &[("number", &order.number)]);
    let status = match (order.status, order.hold_reason) {
        (OrderStatus::OnHold, Some(reason)) => text(locale, reason.label_key()),
        (OrderStatus::OnHold, None) => text(locale, HoldReason::FirstOrder.label_key()),
        (status, _) => text(locale, status.label_key()),
    };
    let next = (order.payment_method == PaymentMethod::BankTransfer).then(|| {
        text_with(
            locale,
            "order.transfer_instructions",
            &[
                ("amount", &order.total.format(locale)),
                ("iban", &seller.iban),
                ("bank", &seller.bank_name),
                ("holder", &seller.trade_name),
                ("number", &order.number),
            ],
        )
    });
    let lines: Vec<String> = order
        .lines
        .iter()
        .map(|line| {
            format!(
                "{} ({} / {}) × {}: {}",
                line.name,
                line.colour,
                line.size,
                line.quantity,
                line.total().format(locale)
            )
        })
        .collect();
    let mut total = format!(
        "{}: {}",
        text(locale, "cart.total"),
        order.total.format(locale)
    );
    if order.discount.0 > 0 {
        total.push_str(&format!(
            " ({})",
            text_with(
                locale,
                "checkout.discount_included",
                &[
                    ("code", order.coupon_code.as_deref().unwrap_or_default()),
                    ("amount", &order.discount.format(locale)),
                ],
            )
        ));
    }
    let greeting = text_with(
        locale,
        "mail.greeting",
        &[("name", &order.details.delivery.first_name)],
    );
    let see = text(locale, "mail.see_order");
    let mut plain = vec![greeting.clone(), String::new(), status.clone()];
    if let Some(next) = &next {
        plain.push(next.clone());
    }
    plain.push(String::new());
    plain.extend(lines.iter().cloned());
    plain.push(total.clone());
    plain.push(String::new());
    plain.push(format!("{see}: {link}"));
    plain.push(String::new());
    plain.push(text(locale, "mail.documents_attached"));
    plain.push(format!(
        "{} · {} · {}",
        seller.trade_name, seller.address, seller.email
    ));

    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body><p>{}</p><p><strong>{}</strong></p>",
        locale.code(),
        escape_html(&greeting),
        escape_html(&status)
    );
    if let Some(next) = &next {
        html.push_str(&format!("<p>{}</p>", escape_html(next)));
    }
    html.push_str("<ul>");
    for line in &lines {
        html.push_str(&format!("<li>{}</li>", escape_html(line)));
    }
    html.push_str(&format!(
        "</ul><p><strong>{}</strong></p><p><a href=\"{}\">{}</a></p>",
        escape_html(&total),
        escape_html(link),
        escape_html(&see)
    ));
    for (kind, document) in documents {
        let title = match kind.as_str() {
            "on_bilgilendirme" => text(locale, "legal.pre_contract"),
            _ => text(locale, "legal.distance_sales"),
        };
        html.push_str(&format!("<hr><h2>{}</h2>{document}", escape_html(&title)));
    }
    html.push_str(&format!(
        "<hr><p>{} · {} · {}</p></body></html>",
        escape_html(&seller.trade_name),
        escape_html(&seller.address),
        escape_html(&seller.email)
    ));
    Composed {
        subject,
        text: plain.join("\n"),
        html,
    }
}
