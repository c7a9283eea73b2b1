//! What the checkout and order pages render from, loaded before rendering (`pages::load`):
//! the shopper's checkout priced as of now, the step they may see, the methods with their fees,
//! the instalment table and the review's documents; or the order a valid link opens.

use std::sync::Arc;

use app::backend::accounts;
use app::backend::catalogue::Snapshot;
use app::backend::coupons::CouponOutcome;
use app::backend::{checkout, order_link, orders, time, AppState};
use app::model::account::{MemberView, SavedAddress};
use app::model::checkout::details::{CheckoutDetails, DetailsDraft};
use app::model::checkout::page::{
    CheckoutPageData, CouponEntered, ReviewDocuments, TotalsForChoice, ADDRESS_QUERY,
};
use app::model::checkout::{
    CheckoutStep, OrderTotals, OrderView, PaymentMethod, ShippingMethod, STEP_QUERY,
};
use app::model::coupon::Discount;
use app::model::{Locale, Money};
use axum::http::{HeaderMap, Uri};

use crate::checkout_form::checkout_id;

pub async fn load(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    snapshot: Option<Arc<Snapshot>>,
    locale: Locale,
    member: Option<&MemberView>,
) -> Result<Option<CheckoutPageData>, sqlx::Error> {
    let Some(id) = checkout_id(headers) else {
        return Ok(None);
    };
    let Some(mut checkout) = checkout::load(&state.db, &id).await? else {
        return Ok(None);
    };
    checkout.locale = locale;
    let snapshot = match snapshot {
        Some(snapshot) => snapshot,
        None => state.catalogue.get_recent(&state.db).await?,
    };
    let policy = &state.checkout;
    let requested = crate::query::value(uri.query(), STEP_QUERY)
        .and_then(|code| CheckoutStep::from_code(&code))
        .unwrap_or(CheckoutStep::Review);
    let step = requested.allowed(checkout.details.is_some(), checkout.methods.is_some());
    checkout.customer_id = member.map(|member| member.id);
    let cart = checkout::priced(&snapshot, &checkout, policy);
    let coupon = checkout::coupon(&state.db, &snapshot, &checkout, &cart).await?;
    let discount = coupon.discount();
    // Delivery is priced on the goods before the discount (`OrderTotals::choosing`); kapıda
    // ödeme's ceiling and the instalments on what is charged.
    let subtotal = cart.totals.subtotal;
    let goods = Money(subtotal.0 - discount.map_or(0, |d| d.total.0));
    let shipping_offers = ShippingMethod::ALL
        .into_iter()
        .map(|method| (method, method.fee(policy, subtotal)))
        .collect();
    let shipping_now = checkout
        .methods
        .map_or(ShippingMethod::Standard, |methods| methods.shipping)
        .fee(policy, subtotal);
    let before_fee = Money(goods.0 + shipping_now.0);
    let payment_offers = PaymentMethod::ALL
        .into_iter()
        .map(|method| {
            (
                method,
                method.fee(policy),
                method.offered_for(policy, before_fee),
            )
        })
        .collect();
    // Before the methods are chosen: standard delivery and no payment fee yet.
    let totals = Some(match checkout.methods {
        Some(methods) => OrderTotals::of(&cart.lines, discount, methods, policy),
        None => OrderTotals::choosing(
            &cart.lines,
            discount,
            ShippingMethod::Standard,
            None,
            policy,
        ),
    });
    let totals_by_choice = if step == CheckoutStep::Methods {
        totals_by_choice(&cart.lines, discount, policy)
    } else {
        Vec::new()
    };
    let installments = if step == CheckoutStep::Methods && !cart.lines.is_empty() {
        app::components::installment_rows(state, before_fee)
    } else {
        Vec::new()
    };
    let review = if step == CheckoutStep::Review {
        let today = &time::iso_utc(time::now_seconds())[..10];
        checkout::review(
            &checkout,
            cart.clone(),
            discount,
            policy,
            &state.seller,
            today,
        )
        .map(|review| ReviewDocuments {
            pre_information_html: review.pre_information_html,
            contract_html: review.contract_html,
            documents_sha256: review.documents_sha256,
        })
    } else {
        None
    };
    let coupon = match coupon {
        CouponOutcome::None => None,
        CouponOutcome::Applied(discount) => Some(CouponEntered {
            code: discount.code,
            refused: None,
        }),
        CouponOutcome::Refused(code, why) => Some(CouponEntered {
            code,
            refused: Some(why),
        }),
    };
    let (prefill, saved_addresses) = match member {
        Some(member) if step == CheckoutStep::Details => {
            member_prefill(state, uri, member, checkout.details.as_ref()).await?
        }
        _ => (None, Vec::new()),
    };
    let payment_error = checkout::last_payment_error(&state.db, &checkout.id).await?;
    Ok(Some(CheckoutPageData {
        step,
        details: checkout.details,
        methods: checkout.methods,
        cart,
        totals,
        shipping_offers,
        payment_offers,
        installments,
        totals_by_choice,
        review,
        payment_error,
        prefill,
        saved_addresses,
        coupon,
    }))
}

/// A member's first step: their address book, and the form filled from their account when
/// nothing was accepted yet (the default address) or when `?adres=` chose one of theirs.
async fn member_prefill(
    state: &AppState,
    uri: &Uri,
    member: &MemberView,
    accepted: Option<&CheckoutDetails>,
) -> Result<(Option<DetailsDraft>, Vec<SavedAddress>), sqlx::Error> {
    let addresses = accounts::addresses::list(&state.db, member.id).await?;
    let chosen = crate::query::value(uri.query(), ADDRESS_QUERY)
        .and_then(|id| id.parse::<i64>().ok())
        .and_then(|id| addresses.iter().find(|saved| saved.id == id));
    let address = match (chosen, accepted) {
        (Some(chosen), _) => Some(chosen),
        (None, None) => addresses.iter().find(|saved| saved.is_default),
        (None, Some(_)) => return Ok((None, addresses)),
    };
    let prefill = DetailsDraft::for_member(
        accepted,
        &member.email,
        member.phone.as_deref(),
        address.map(|saved| &saved.address),
    );
    Ok((Some(prefill), addresses))
}

/// The totals of every choice the methods step offers: each shipping method, with no payment
/// method yet and with each payment method offered for it.
fn totals_by_choice(
    lines: &[app::model::cart::PricedLine],
    discount: Option<&Discount>,
    policy: &app::model::checkout::methods::CheckoutPolicy,
) -> Vec<TotalsForChoice> {
    let mut choices = Vec::new();
    for shipping in ShippingMethod::ALL {
        let before_fee = OrderTotals::choosing(lines, discount, shipping, None, policy);
        let offered: Vec<PaymentMethod> = PaymentMethod::ALL
            .into_iter()
            .filter(|method| method.offered_for(policy, before_fee.total))
            .collect();
        choices.push(TotalsForChoice {
            shipping,
            payment: None,
            totals: before_fee,
        });
        for payment in offered {
            choices.push(TotalsForChoice {
                shipping,
                payment: Some(payment),
                totals: OrderTotals::choosing(lines, discount, shipping, Some(payment), policy),
            });
        }
    }
    choices
}

/// The order the address names, when the request carries a valid link to it.
pub async fn load_order(state: &AppState, uri: &Uri) -> Result<Option<OrderView>, sqlx::Error> {
    let number = crate::pages::last_segment(uri);
    let number = number.as_str();
    if app::model::order_number::parse(number).is_none() {
        return Ok(None);
    }
    let Some(token) = crate::query::value(uri.query(), order_link::ACCESS_QUERY) else {
        return Ok(None);
    };
    if order_link::verify(
        &state.order_link_secret,
        number,
        &token,
        time::now_seconds(),
    )
    .is_err()
    {
        return Ok(None);
    }
    orders::find_by_number(&state.db, number).await
}

/// Whether the request is the first view of order `number` right after placing it: it asks
/// (`?yeni=1`, which only the redirect after placing adds) and no view answered it before.
pub async fn just_placed(state: &AppState, uri: &Uri, number: &str) -> Result<bool, sqlx::Error> {
    let asks = crate::query::value(uri.query(), app::wire::checkout::PLACED_QUERY)
        .is_some_and(|value| value == "1");
    if !asks {
        return Ok(false);
    }
    orders::first_view_after_placing(&state.db, number).await
}
