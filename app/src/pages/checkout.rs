//! Ödeme: the checkout's three steps (details, shipping and payment method, review) as plain
//! HTML forms that post to this page (server/src/checkout_form.rs). What the page shows was
//! loaded and priced by the server before rendering (`CheckoutPageData`); a refused step comes
//! back with a `Feedback` in context: what was typed and each problem beside its field.

use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::components::checkout_flow::CheckoutFlow;
use crate::components::form::{Field, FieldView, FormNotice, FormView};
use crate::i18n::{text, text_with};
use crate::model::address::{province, provinces};
use crate::model::checkout::details::{
    INVOICE_CORPORATE, INVOICE_INDIVIDUAL, INVOICE_TO_DELIVERY, INVOICE_TO_OTHER,
};
use crate::model::checkout::page::{CheckoutPageData, CouponEntered};
use crate::model::checkout::{
    CheckoutStep, DetailsDraft, DetailsField, MethodsDraft, MethodsField, OrderTotals, ReviewDraft,
    ReviewField,
};
use crate::model::coupon::{CouponDraft, CouponField, CouponRefusal, MAX_CODE_CHARS};
use crate::model::form::{Draft, Feedback, FormField};
use crate::model::{Locale, Page};
use crate::wire::checkout::{COUPON_REMOVE, DISTRICT_LIST, IN_PLACE, STEP, TOTALS, TOTALS_FOR};

#[component]
pub fn CheckoutPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "checkout.title");
    let Some(data) = page_data() else {
        return view! {
            <Title text=title.clone()/>
            <Meta name="robots" content="noindex"/>
            <section class="checkout checkout--empty">
                <h1>{title}</h1>
                <p>{text(locale, "checkout.no_checkout")}</p>
                <p><a class="button" href=locale.path(&Page::Cart)>{text(locale, "checkout.to_cart")}</a></p>
            </section>
        }
        .into_any();
    };
    let step = data.step;
    let form = match step {
        CheckoutStep::Details => view! { <DetailsStep data=data.clone() locale/> }.into_any(),
        CheckoutStep::Methods => view! { <MethodsStep data=data.clone() locale/> }.into_any(),
        CheckoutStep::Review => view! { <ReviewStep data=data.clone() locale/> }.into_any(),
    };
    view! {
        <Title text=format!("{} – {}", text(locale, step.title_key()), title)/>
        <Meta name="robots" content="noindex"/>
        <section class="checkout">
            <h1>{title}</h1>
            <CheckoutFlow>
                <StepList current=step data=data.clone() locale/>
                <div class="checkout__layout">
                    <div class="checkout__step">{form}</div>
                    <Summary data locale/>
                </div>
            </CheckoutFlow>
        </section>
    }
    .into_any()
}

fn page_data() -> Option<CheckoutPageData> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        parts.extensions.get::<CheckoutPageData>().cloned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

fn step_href(locale: Locale, step: CheckoutStep) -> String {
    format!("{}?{STEP}={}", locale.path(&Page::Checkout), step.code())
}

#[component]
fn StepList(current: CheckoutStep, data: CheckoutPageData, locale: Locale) -> impl IntoView {
    let reachable = CheckoutStep::Review.allowed(data.details.is_some(), data.methods.is_some());
    let items = CheckoutStep::ALL
        .into_iter()
        .enumerate()
        .map(|(index, step)| {
            let label = format!("{}. {}", index + 1, text(locale, step.title_key()));
            let body = if step == current {
                // Focus moves here when the island swaps a step in, so a screen reader says
                // which step is now shown.
                view! { <span aria-current="step" tabindex="-1">{label}</span> }.into_any()
            } else if step <= reachable {
                view! { <a href=step_href(locale, step) {..custom_attribute(IN_PLACE, "")}>{label}</a> }.into_any()
            } else {
                view! { <span>{label}</span> }.into_any()
            };
            view! { <li class:checkout-steps__current=step == current>{body}</li> }
        })
        .collect_view();
    view! { <ol class="checkout-steps" aria-label=text(locale, "checkout.steps")>{items}</ol> }
}

/// The form's feedback: a refused submit's, or what this step accepted before.
fn feedback_or<D: Draft>(stored: Option<D>) -> Feedback<D> {
    use_context::<Feedback<D>>().unwrap_or_else(|| Feedback {
        draft: stored.unwrap_or_default(),
        ..Feedback::default()
    })
}

fn text_input(
    field: FieldView,
    kind: &'static str,
    autocomplete: &'static str,
    max: usize,
) -> impl IntoView {
    view! {
        <input id=field.id.clone() name=field.name type=kind autocomplete=autocomplete
            maxlength=max value=field.value.clone() {..field.aria()}/>
    }
}

#[component]
fn DetailsStep(data: CheckoutPageData, locale: Locale) -> impl IntoView {
    use crate::model::checkout::details::{COMPANY_MAX_CHARS, TAX_OFFICE_MAX_CHARS};
    let feedback = feedback_or(
        data.prefill
            .clone()
            .or_else(|| data.details.as_ref().map(DetailsDraft::from_accepted)),
    );
    let saved_addresses = (!data.saved_addresses.is_empty()).then(|| {
        let links = data
            .saved_addresses
            .iter()
            .map(|saved| {
                let href = format!(
                    "{}?{}={}&{}={}",
                    locale.path(&Page::Checkout),
                    crate::model::checkout::STEP_QUERY,
                    CheckoutStep::Details.code(),
                    crate::model::checkout::page::ADDRESS_QUERY,
                    saved.id
                );
                let name = if saved.title.is_empty() {
                    saved.address.full_name()
                } else {
                    saved.title.clone()
                };
                view! { <li><a href=href>{name}</a> " · " {saved.address.one_line()}</li> }
            })
            .collect_view();
        view! {
            <div class="saved-addresses">
                <p>{text(locale, "checkout.saved_addresses")}</p>
                <ul>{links}</ul>
            </div>
        }
    });
    let invoice_to = feedback
        .draft
        .value(DetailsField::InvoiceAddress)
        .to_string();
    let invoice_kind = feedback.draft.value(DetailsField::InvoiceKind).to_string();
    let form = FormView::new(locale, "odeme", feedback);
    let [email, phone, tc, company, vkn, tax_office] = [
        DetailsField::Email,
        DetailsField::Phone,
        DetailsField::TcKimlikNo,
        DetailsField::Company,
        DetailsField::Vkn,
        DetailsField::TaxOffice,
    ]
    .map(|field| form.field(field));
    let delivery = [
        DetailsField::FirstName,
        DetailsField::LastName,
        DetailsField::Province,
        DetailsField::District,
        DetailsField::Line,
        DetailsField::Postcode,
    ]
    .map(|field| form.field(field));
    let billing = [
        DetailsField::InvoiceFirstName,
        DetailsField::InvoiceLastName,
        DetailsField::InvoiceProvince,
        DetailsField::InvoiceDistrict,
        DetailsField::InvoiceLine,
        DetailsField::InvoicePostcode,
    ]
    .map(|field| form.field(field));
    let general = form.general();
    let other_address = invoice_to == INVOICE_TO_OTHER;
    let corporate = invoice_kind == INVOICE_CORPORATE;
    view! {
        <form class="checkout-form" method="post" action=locale.path(&Page::Checkout) novalidate
            {..custom_attribute(IN_PLACE, "")}>
            <input type="hidden" name=STEP value=CheckoutStep::Details.code()/>
            <FormNotice message=general/>
            <fieldset>
                <legend>{text(locale, "checkout.contact")}</legend>
                <Field field=email.clone() label=text(locale, "checkout.email")>
                    {text_input(email.clone(), "email", "email", 254)}
                </Field>
                <Field field=phone.clone() label=text(locale, "checkout.phone")>
                    {text_input(phone.clone(), "tel", "tel", 20)}
                </Field>
            </fieldset>
            <fieldset>
                <legend>{text(locale, "checkout.delivery_address")}</legend>
                {saved_addresses}
                <AddressFields locale fields=delivery section="shipping"/>
            </fieldset>
            <fieldset>
                <legend>{text(locale, "checkout.invoice")}</legend>
                <div class="choice">
                    <label><input type="radio" name=DetailsField::InvoiceAddress.name() value=INVOICE_TO_DELIVERY checked=!other_address/>
                        {text(locale, "checkout.invoice_same")}</label>
                    <label><input type="radio" name=DetailsField::InvoiceAddress.name() value=INVOICE_TO_OTHER checked=other_address/>
                        {text(locale, "checkout.invoice_other")}</label>
                </div>
                <div class="checkout-form__invoice-address">
                    <p class="hint">{text(locale, "checkout.invoice_other_hint")}</p>
                    <AddressFields locale fields=billing section="billing"/>
                </div>
                <div class="choice">
                    <label><input type="radio" name=DetailsField::InvoiceKind.name() value=INVOICE_INDIVIDUAL checked=!corporate/>
                        {text(locale, "checkout.invoice_individual")}</label>
                    <label><input type="radio" name=DetailsField::InvoiceKind.name() value=INVOICE_CORPORATE checked=corporate/>
                        {text(locale, "checkout.invoice_corporate")}</label>
                </div>
                <div class="checkout-form__individual">
                    <Field field=tc.clone() label=text(locale, "checkout.tc_kimlik_no")>
                        {text_input(tc.clone(), "text", "off", 11)}
                    </Field>
                </div>
                <div class="checkout-form__corporate">
                    <p class="hint">{text(locale, "checkout.corporate_hint")}</p>
                    <Field field=company.clone() label=text(locale, "checkout.company")>
                        {text_input(company.clone(), "text", "organization", COMPANY_MAX_CHARS)}
                    </Field>
                    <Field field=vkn.clone() label=text(locale, "checkout.vkn")>
                        {text_input(vkn.clone(), "text", "off", 12)}
                    </Field>
                    <Field field=tax_office.clone() label=text(locale, "checkout.tax_office")>
                        {text_input(tax_office.clone(), "text", "off", TAX_OFFICE_MAX_CHARS)}
                    </Field>
                </div>
            </fieldset>
            <button type="submit" class="button button--wide">{text(locale, "checkout.continue")}</button>
        </form>
    }
}

/// Name, province, district, address line and postcode of one address. The district is typed
/// (with the province's districts offered as suggestions) and checked on the server against the
/// bundled list, so the form works without JavaScript.
#[component]
pub fn AddressFields(
    locale: Locale,
    fields: [FieldView; 6],
    section: &'static str,
) -> impl IntoView {
    use crate::model::checkout::details::{LINE_MAX_CHARS, NAME_MAX_CHARS};
    let [first, last, province_field, district, line, postcode] = fields;
    let chosen = province(&province_field.value);
    let options = provinces()
        .iter()
        .map(|p| {
            let selected = chosen.is_some_and(|c| c.code == p.code);
            view! { <option value=p.code.clone() selected=selected>{p.name.clone()}</option> }
        })
        .collect_view();
    let list_id = format!("{}-list", district.id);
    let list_hook = custom_attribute(DISTRICT_LIST, list_id.clone());
    let suggestions = chosen.map(|p| {
        p.districts
            .iter()
            .map(|d| view! { <option value=d.clone()></option> })
            .collect_view()
    });
    let auto = move |what: &str| format!("{section} {what}");
    view! {
        <div class="field-row">
            <Field field=first.clone() label=text(locale, "checkout.first_name")>
                <input id=first.id.clone() name=first.name type="text" autocomplete=auto("given-name")
                    maxlength=NAME_MAX_CHARS value=first.value.clone() {..first.aria()}/>
            </Field>
            <Field field=last.clone() label=text(locale, "checkout.last_name")>
                <input id=last.id.clone() name=last.name type="text" autocomplete=auto("family-name")
                    maxlength=NAME_MAX_CHARS value=last.value.clone() {..last.aria()}/>
            </Field>
        </div>
        <div class="field-row">
            <Field field=province_field.clone() label=text(locale, "checkout.province")>
                <select id=province_field.id.clone() name=province_field.name {..province_field.aria()}
                    {..list_hook}>
                    <option value="" selected=chosen.is_none()>{text(locale, "checkout.province_choose")}</option>
                    {options}
                </select>
            </Field>
            <Field field=district.clone() label=text(locale, "checkout.district")>
                <input id=district.id.clone() name=district.name type="text" list=list_id.clone()
                    autocomplete="off" value=district.value.clone() {..district.aria()}/>
                <datalist id=list_id>{suggestions}</datalist>
            </Field>
        </div>
        <Field field=line.clone() label=text(locale, "checkout.address_line")>
            <textarea id=line.id.clone() name=line.name rows="2" maxlength=LINE_MAX_CHARS
                autocomplete=auto("street-address") {..line.aria()}>
                {crate::components::form::textarea_text(&line.value)}
            </textarea>
        </Field>
        <Field field=postcode.clone() label=text(locale, "checkout.postcode")>
            <input id=postcode.id.clone() name=postcode.name type="text" inputmode="numeric"
                autocomplete=auto("postal-code") maxlength="5" value=postcode.value.clone() {..postcode.aria()}/>
        </Field>
    }
}

#[component]
fn MethodsStep(data: CheckoutPageData, locale: Locale) -> impl IntoView {
    let feedback = feedback_or(data.methods.as_ref().map(MethodsDraft::from_accepted));
    let chosen_shipping = feedback.draft.shipping.clone();
    let chosen_payment = feedback.draft.payment.clone();
    let form = FormView::new(locale, "odeme", feedback);
    let shipping = form.field(MethodsField::Shipping);
    let payment = form.field(MethodsField::Payment);
    let free = text(locale, "cart.shipping_free");
    let shipping_options = data
        .shipping_offers
        .iter()
        .map(|(method, fee)| {
            let checked = chosen_shipping == method.code() || (chosen_shipping.is_empty() && method.code() == "standart");
            let fee = if fee.0 == 0 { free.clone() } else { fee.format(locale) };
            view! {
                <label class="method">
                    <input type="radio" name=shipping.name value=method.code() checked=checked/>
                    <span class="method__name">{text(locale, &format!("checkout.shipping.{}", method.code()))}</span>
                    <span class="method__fee">{fee}</span>
                </label>
            }
        })
        .collect_view();
    let payment_options = data
        .payment_offers
        .iter()
        .map(|(method, fee, offered)| {
            let checked = *offered && chosen_payment == method.code();
            let fee_text = if fee.0 == 0 { String::new() } else { format!("+ {}", fee.format(locale)) };
            view! {
                <label class="method" class:method--unavailable=!*offered>
                    <input type="radio" name=payment.name value=method.code() checked=checked disabled=!*offered/>
                    <span class="method__name">{text(locale, &format!("checkout.payment.{}", method.code()))}</span>
                    <span class="method__fee">{fee_text}</span>
                    <span class="method__note">{text(locale, &format!("checkout.payment_note.{}", method.code()))}</span>
                    {(!*offered).then(|| view! { <span class="method__note">{text(locale, "checkout.payment_unavailable")}</span> })}
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="checkout-form" method="post" action=locale.path(&Page::Checkout) novalidate
            {..custom_attribute(IN_PLACE, "")}>
            <input type="hidden" name=STEP value=CheckoutStep::Methods.code()/>
            <FormNotice message=form.general()/>
            <fieldset aria-describedby=shipping.problem.as_ref().map(|_| shipping.error_id())>
                <legend>{text(locale, "checkout.shipping_method")}</legend>
                {shipping.problem.clone().map(|m| view! { <p class="field__error" id=shipping.error_id()>{m}</p> })}
                {shipping_options}
            </fieldset>
            <fieldset aria-describedby=payment.problem.as_ref().map(|_| payment.error_id())>
                <legend>{text(locale, "checkout.payment_method")}</legend>
                {payment.problem.clone().map(|m| view! { <p class="field__error" id=payment.error_id()>{m}</p> })}
                {payment_options}
            </fieldset>
            <crate::components::InstallmentTable rows=data.installments.clone() locale/>
            <button type="submit" class="button button--wide">{text(locale, "checkout.continue")}</button>
        </form>
    }
}

#[component]
fn ReviewStep(data: CheckoutPageData, locale: Locale) -> impl IntoView {
    let (Some(review), Some(details), Some(methods), Some(totals)) = (
        data.review.clone(),
        data.details.clone(),
        data.methods,
        data.totals.clone(),
    ) else {
        return view! { <p>{text(locale, "checkout.no_checkout")}</p> }.into_any();
    };
    let form = FormView::<ReviewDraft>::from_context(locale, "odeme");
    let accept = form.field(ReviewField::Accept);
    let features = data
        .cart
        .lines
        .iter()
        .map(|line| view! { <li>{format!("{} ({} / {}) × {}", line.name, line.colour, line.size, line.quantity)}</li> })
        .collect_view();
    let payment_name = text(
        locale,
        &format!("checkout.payment.{}", methods.payment.code()),
    );
    let invoice_party = match &details.invoice {
        crate::model::checkout::InvoiceParty::Individual { .. } => {
            details.invoice_address().full_name()
        }
        crate::model::checkout::InvoiceParty::Corporate { company, vkn, .. } => {
            format!("{company} (VKN {vkn})")
        }
    };
    view! {
        <div class="review">
            {data.payment_error.clone().map(|message| view! {
                <p class="notice notice--error" role="alert">{text_with(locale, "checkout.payment_failed", &[("reason", &message)])}</p>
            })}
            <section class="review__facts">
                <h2>{text(locale, "checkout.review_details")}</h2>
                <dl>
                    <div><dt>{text(locale, "checkout.email")}</dt><dd>{details.email.clone()}</dd></div>
                    <div><dt>{text(locale, "checkout.phone")}</dt><dd>{details.phone.clone()}</dd></div>
                    <div><dt>{text(locale, "checkout.delivery_address")}</dt>
                        <dd>{format!("{}, {}", details.delivery.full_name(), details.delivery.one_line())}</dd></div>
                    <div><dt>{text(locale, "checkout.invoice")}</dt>
                        <dd>{format!("{invoice_party}, {}", details.invoice_address().one_line())}</dd></div>
                    <div><dt>{text(locale, "checkout.shipping_method")}</dt>
                        <dd>{text(locale, &format!("checkout.shipping.{}", methods.shipping.code()))}</dd></div>
                    <div><dt>{text(locale, "checkout.payment_method")}</dt><dd>{payment_name}</dd></div>
                </dl>
                <p><a href=step_href(locale, CheckoutStep::Details) {..custom_attribute(IN_PLACE, "")}>
                    {text(locale, "checkout.change")}</a></p>
            </section>
            <section class="review__documents">
                <h2>{text(locale, "legal.pre_contract")}</h2>
                <div class="document" tabindex="0" role="region" aria-label=text(locale, "legal.pre_contract")
                    data-document="on-bilgilendirme" inner_html=review.pre_information_html.clone()></div>
                <h2>{text(locale, "legal.distance_sales")}</h2>
                <div class="document" tabindex="0" role="region" aria-label=text(locale, "legal.distance_sales")
                    data-document="mesafeli-satis" inner_html=review.contract_html.clone()></div>
            </section>
            // Mesafeli Sözleşmeler Yönetmeliği m.6/2-a: features, total, cayma and its
            // exceptions together, immediately before the obligation to pay.
            <section class="review__before-paying" aria-labelledby="before-paying">
                <h2 id="before-paying">{text(locale, "checkout.before_paying")}</h2>
                <ul class="review__features">{features}</ul>
                <p class="review__total"><strong>{text(locale, "cart.total")} ": " {totals.total.format(locale)}</strong>
                    " " {text(locale, "checkout.kdv_included")}</p>
                <p>{text(locale, "checkout.cayma_summary")}</p>
                <p>{text(locale, "checkout.cayma_exceptions")}</p>
            </section>
            <form class="checkout-form" method="post" action=locale.path(&Page::Checkout) novalidate>
                <input type="hidden" name=STEP value=CheckoutStep::Review.code()/>
                <input type="hidden" name=crate::wire::checkout::DOCUMENTS value=review.documents_sha256.clone()/>
                <FormNotice message=form.general()/>
                <div class="field checkbox" class:field--invalid=accept.problem.is_some()>
                    <label>
                        <input type="checkbox" id=accept.id.clone() name=accept.name value="1" {..accept.aria()}/>
                        {text(locale, "checkout.accept")}
                    </label>
                    {accept.problem.clone().map(|m| view! { <p class="field__error" id=accept.error_id()>{m}</p> })}
                </div>
                <button type="submit" class="button button--wide button--pay">{text(locale, "checkout.confirm_and_pay")}</button>
            </form>
        </div>
    }
    .into_any()
}

/// The order as it stands: lines and every figure the server computed.
#[component]
fn Summary(data: CheckoutPageData, locale: Locale) -> impl IntoView {
    let cart = data.cart;
    let choices = data
        .totals_by_choice
        .into_iter()
        .map(|choice| {
            view! {
                <template {..custom_attribute(TOTALS_FOR, choice.own_key())}>
                    <TotalsList totals=choice.totals.clone() locale/>
                </template>
            }
        })
        .collect_view();
    let corrections = described(&cart.corrections, locale);
    let lines = cart
        .lines
        .iter()
        .map(|line| view! {
            <li class="summary__line">
                <span>{format!("{} ({} / {}) × {}", line.name, line.colour, line.size, line.quantity)}</span>
                <span>{line.total().format(locale)}</span>
            </li>
        })
        .collect_view();
    let totals = data.totals.unwrap_or_else(|| OrderTotals {
        item_count: cart.totals.item_count,
        subtotal: cart.totals.subtotal,
        shipping: cart.totals.shipping,
        total: cart.totals.total,
        kdv: cart.totals.kdv,
        ..OrderTotals::default()
    });
    view! {
        <aside class="checkout__summary" aria-labelledby="checkout-summary">
            <h2 id="checkout-summary">{text(locale, "cart.summary")}</h2>
            {(!corrections.is_empty()).then(|| view! {
                <div class="notice notice--warning" role="status">
                    <ul>{corrections.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                </div>
            })}
            <ul class="summary__lines">{lines}</ul>
            <div {..custom_attribute(TOTALS, "")}><TotalsList totals locale/></div>
            {choices}
            <CouponForm step=data.step coupon=data.coupon locale/>
        </aside>
    }
}

/// The discount code: a field and "Uygula", or the code applied and "Kaldır". A code that
/// does not apply stays in the field with the reason beside it (what the server found for the
/// stored code, or for the one just typed).
#[component]
fn CouponForm(step: CheckoutStep, coupon: Option<CouponEntered>, locale: Locale) -> impl IntoView {
    let form = FormView::<CouponDraft>::from_context(locale, "odeme");
    let mut field = form.field(CouponField::Code);
    let why = coupon.as_ref().and_then(|entered| entered.refused.clone());
    if field.value.is_empty() {
        if let Some(entered) = coupon.as_ref().filter(|entered| entered.refused.is_some()) {
            field.value = entered.code.clone();
        }
    }
    if field.problem.is_some() || why.is_some() {
        // The reason in full: a minimum basket names its amount.
        let key = use_context::<Feedback<CouponDraft>>()
            .and_then(|feedback| feedback.problem(CouponField::Code))
            .or(why.as_ref().map(CouponRefusal::message_key))
            .unwrap_or("coupon.refused.unknown");
        let minimum = match why {
            Some(CouponRefusal::BelowMinimum(minimum)) => minimum.format(locale),
            _ => String::new(),
        };
        field.problem = Some(text_with(locale, key, &[("amount", &minimum)]));
    }
    let action = crate::wire::checkout::coupon_path(locale);
    let applied = coupon.filter(|entered| entered.refused.is_none());
    let body = match applied {
        Some(entered) => view! {
            <form class="coupon coupon--applied" method="post" action=action novalidate {..custom_attribute(IN_PLACE, "")}>
                <input type="hidden" name=STEP value=step.code()/>
                <p role="status">{text_with(locale, "coupon.applied", &[("code", &entered.code)])}</p>
                <button type="submit" class="link-button" name=COUPON_REMOVE value="1">{text(locale, "coupon.remove")}</button>
            </form>
        }
        .into_any(),
        None => view! {
            <form class="coupon" method="post" action=action novalidate {..custom_attribute(IN_PLACE, "")}>
                <input type="hidden" name=STEP value=step.code()/>
                <Field field=field.clone() label=text(locale, "coupon.label")>
                    <div class="coupon__row">
                        <input id=field.id.clone() name=field.name type="text" autocomplete="off"
                            autocapitalize="characters" spellcheck="false" maxlength=MAX_CODE_CHARS
                            value=field.value.clone() {..field.aria()}/>
                        <button type="submit" class="button button--secondary">{text(locale, "coupon.apply")}</button>
                    </div>
                </Field>
            </form>
        }
        .into_any(),
    };
    view! { <div class="checkout__coupon">{body}</div> }
}

/// Goods, delivery, the payment method's fee, the total and the KDV in it per rate.
#[component]
pub fn TotalsList(totals: OrderTotals, locale: Locale) -> impl IntoView {
    let kdv_lines = totals
        .kdv_lines
        .iter()
        .map(|line| view! {
            <div class="totals__kdv"><dt>{text_with(locale, "checkout.kdv_at", &[("rate", &line.rate.to_string())])}</dt><dd>{line.kdv.format(locale)}</dd></div>
        })
        .collect_view();
    let shipping = if totals.shipping.0 == 0 {
        text(locale, "cart.shipping_free")
    } else {
        totals.shipping.format(locale)
    };
    view! {
        <dl class="totals">
            <div><dt>{text(locale, "cart.subtotal")}</dt><dd data-total="subtotal">{totals.subtotal.format(locale)}</dd></div>
            {(totals.discount.0 > 0).then(|| view! {
                <div class="totals__discount">
                    <dt>{text_with(locale, "coupon.line", &[("code", totals.coupon_code.as_deref().unwrap_or_default())])}</dt>
                    <dd data-total="discount">{format!("−{}", totals.discount.format(locale))}</dd>
                </div>
            })}
            <div><dt>{text(locale, "cart.shipping")}</dt><dd data-total="shipping">{shipping}</dd></div>
            {(totals.payment_fee.0 > 0).then(|| view! {
                <div><dt>{text(locale, "checkout.payment_fee")}</dt><dd data-total="payment-fee">{totals.payment_fee.format(locale)}</dd></div>
            })}
            <div class="totals__grand"><dt>{text(locale, "cart.total")}</dt><dd data-total="total">{totals.total.format(locale)}</dd></div>
            {kdv_lines}
        </dl>
    }
}

/// The cart's corrections as sentences (the words live in the server build only; pages are
/// never rendered in the browser).
fn described(corrections: &[crate::model::cart::Correction], locale: Locale) -> Vec<String> {
    #[cfg(feature = "ssr")]
    {
        corrections
            .iter()
            .map(|c| crate::components::cart::views::describe(c, locale))
            .collect()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (corrections, locale);
        Vec::new()
    }
}
