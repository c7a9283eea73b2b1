//! İndirim kodları (a yonetici's): every discount code with its rules and how often it was used,
//! a form for a new one, and the same form filled in to change one (`?duzenle=KOD`). Shoppers
//! enter codes in the cart or at checkout; the rules are `model::coupon`'s.

use leptos::prelude::*;

use crate::components::form::{Field, FieldView, FormNotice, FormView};
use crate::i18n::{text, text_with};
use crate::model::coupon::{
    CouponDesk, CouponRule, CouponRuleDraft, CouponRuleField, DiscountKind, CATEGORY_FIELD,
};
use crate::model::date::istanbul_date;
use crate::model::form::{Feedback, FormField};
use crate::model::staff::StaffView;
use crate::model::{Locale, Money, Page};
use crate::pages::account::{state_notice, PrivateMeta};
use crate::pages::admin::{from_request, StaffNav, StaffNotice};
use crate::pages::not_found::NotFound;

/// The query parameter that opens a code's form to change it.
pub const EDIT_QUERY: &str = "duzenle";

#[component]
pub fn CouponsPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(desk)) = (from_request::<StaffView>(), from_request::<CouponDesk>())
    else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.coupons");
    let refused = use_context::<StaffNotice>().map(|notice| text(locale, notice.0));
    let rows = desk
        .rules
        .iter()
        .map(|rule| view! { <CouponRow rule=rule.clone() desk=desk.clone() locale/> })
        .collect_view();
    let list = if desk.rules.is_empty() {
        view! { <p>{text(locale, "staff.coupons_none")}</p> }.into_any()
    } else {
        view! {
            <table class="member-orders">
                <thead><tr>
                    <th scope="col">{text(locale, "coupon.label")}</th>
                    <th scope="col">{text(locale, "staff.coupon.discount")}</th>
                    <th scope="col">{text(locale, "staff.coupon.when")}</th>
                    <th scope="col" class="num">{text(locale, "staff.coupon.used")}</th>
                    <th scope="col">{text(locale, "account.order_status")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            {state_notice(locale, "coupons")}
            <FormNotice message=refused/>
            {list}
            <CouponForm desk locale/>
        </article>
    }
    .into_any()
}

/// What a code takes off, in words: `%10` or `150,00 TL`.
fn amount_text(rule: &CouponRule, locale: Locale) -> String {
    match rule.kind {
        DiscountKind::Percent => format!("%{}", rule.amount),
        DiscountKind::Amount => Money(rule.amount).format(locale),
    }
}

#[component]
fn CouponRow(rule: CouponRule, desk: CouponDesk, locale: Locale) -> impl IntoView {
    let mut terms = vec![amount_text(&rule, locale)];
    if rule.min_basket.0 > 0 {
        terms.push(text_with(
            locale,
            "staff.coupon.min",
            &[("amount", &rule.min_basket.format(locale))],
        ));
    }
    if !rule.category_ids.is_empty() {
        let names: Vec<String> = rule
            .category_ids
            .iter()
            .filter_map(|id| desk.categories.iter().find(|(c, _, _)| c == id))
            .map(|(_, name, _)| name.clone())
            .collect();
        terms.push(names.join(", "));
    }
    let when = match (rule.starts_at, rule.ends_at) {
        (None, None) => text(locale, "staff.coupon.always"),
        (starts, ends) => format!(
            "{} – {}",
            starts.map(istanbul_date).unwrap_or_default(),
            ends.map(|ends| istanbul_date(ends - 1)).unwrap_or_default()
        ),
    };
    let used = match rule.usage_limit {
        Some(limit) => format!("{} / {limit}", rule.used_count),
        None => rule.used_count.to_string(),
    };
    let per_shopper = rule.per_customer_limit.map(|limit| {
        text_with(
            locale,
            "staff.coupon.per_shopper",
            &[("count", &limit.to_string())],
        )
    });
    let edit = format!(
        "{}?{EDIT_QUERY}={}#kod-formu",
        locale.path(&Page::StaffCoupons),
        rule.code
    );
    view! {
        <tr>
            <td><a href=edit><strong>{rule.code.clone()}</strong></a><br/><small>{rule.description.clone()}</small></td>
            <td>{terms.join(" · ")}</td>
            <td>{when}</td>
            <td class="num">{used}{per_shopper.map(|text| view! { <br/><small>{text}</small> })}</td>
            <td>{if rule.active { text(locale, "staff.coupon.active") } else { text(locale, "staff.coupon.stopped") }}</td>
        </tr>
    }
}

fn input(field: FieldView, kind: &'static str) -> impl IntoView {
    view! { <input id=field.id.clone() name=field.name type=kind value=field.value.clone() {..field.aria()}/> }
}

/// The form: empty for a new code, the code's rules to change one, or what was typed after a
/// refusal (each problem beside its field).
#[component]
fn CouponForm(desk: CouponDesk, locale: Locale) -> impl IntoView {
    let feedback = use_context::<Feedback<CouponRuleDraft>>().unwrap_or_else(|| Feedback {
        draft: desk.editing.as_ref().map_or_else(
            || CouponRuleDraft {
                kind: DiscountKind::Percent.code().into(),
                active: "1".into(),
                ..CouponRuleDraft::default()
            },
            CouponRuleDraft::of,
        ),
        ..Feedback::default()
    });
    let ticked = feedback.draft.category_ids.clone();
    let kind_now = feedback.draft.kind.clone();
    let active_now = feedback.draft.active == "1";
    let form = FormView::new(locale, "kod", feedback);
    let [code, description, kind, amount, min_basket, starts, ends, usage_limit, per_customer] = [
        CouponRuleField::Code,
        CouponRuleField::Description,
        CouponRuleField::Kind,
        CouponRuleField::Amount,
        CouponRuleField::MinBasket,
        CouponRuleField::Starts,
        CouponRuleField::Ends,
        CouponRuleField::UsageLimit,
        CouponRuleField::PerCustomerLimit,
    ]
    .map(|f| form.field(f));
    let editing = desk.editing.clone();
    let heading = match &editing {
        Some(rule) => text_with(locale, "staff.coupon.change", &[("code", &rule.code)]),
        None => text(locale, "staff.coupon.new"),
    };
    let kinds = [DiscountKind::Percent, DiscountKind::Amount]
        .into_iter()
        .map(|choice| {
            view! {
                <option value=choice.code() selected=kind_now == choice.code()>
                    {text(locale, &format!("staff.coupon.kind.{}", choice.code()))}
                </option>
            }
        })
        .collect_view();
    let categories = desk
        .categories
        .iter()
        .map(|(id, name, parent)| {
            let label = if parent.is_some() {
                format!("— {name}")
            } else {
                name.clone()
            };
            view! {
                <label><input type="checkbox" name=CATEGORY_FIELD value=id.to_string() checked=ticked.contains(id)/>" "{label}</label>
            }
        })
        .collect_view();
    view! {
        <section id="kod-formu">
            <h2>{heading}</h2>
            <form method="post" action=locale.path(&Page::StaffCoupons) class="account-form" novalidate>
                {editing.as_ref().map(|rule| view! { <input type="hidden" name="duzenlenen" value=rule.code.clone()/> })}
                <Field field=code.clone() label=text(locale, "coupon.label")>
                    <input id=code.id.clone() name=code.name value=code.value.clone() maxlength="32"
                        autocapitalize="characters" readonly=editing.is_some() {..code.aria()}/>
                </Field>
                <Field field=description.clone() label=text(locale, "staff.coupon.description")>
                    {input(description, "text")}
                </Field>
                <Field field=kind.clone() label=text(locale, "staff.coupon.kind")>
                    <select id=kind.id.clone() name=kind.name {..kind.aria()}>{kinds}</select>
                </Field>
                <Field field=amount.clone() label=text(locale, "staff.coupon.amount")>
                    {input(amount, "text")}
                </Field>
                <Field field=min_basket.clone() label=text(locale, "staff.coupon.min_basket")>
                    {input(min_basket, "text")}
                </Field>
                <Field field=starts.clone() label=text(locale, "staff.coupon.starts")>
                    {input(starts, "date")}
                </Field>
                <Field field=ends.clone() label=text(locale, "staff.coupon.ends")>
                    {input(ends, "date")}
                </Field>
                <Field field=usage_limit.clone() label=text(locale, "staff.coupon.usage_limit")>
                    {input(usage_limit, "number")}
                </Field>
                <Field field=per_customer.clone() label=text(locale, "staff.coupon.per_customer_limit")>
                    {input(per_customer, "number")}
                </Field>
                <fieldset>
                    <legend>{text(locale, "staff.coupon.categories")}</legend>
                    {categories}
                </fieldset>
                <label><input type="checkbox" name=CouponRuleField::Active.name() value="1" checked=active_now/>" "{text(locale, "staff.coupon.active")}</label>
                <button type="submit" class="button">{text(locale, "staff.save")}</button>
            </form>
        </section>
    }
}
