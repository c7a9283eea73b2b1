//! Kampanyalar ve indirim kodları (a yonetici's). Campaigns: a percentage off some categories
//! (or all) from a first to a last day, applied by the catalogue itself, the own price shown
//! struck through. Discount codes: their rules and how often they were used. Each list has a
//! form for a new one, and the same form filled in to change one (`?kampanya=ID`,
//! `?duzenle=KOD`). The rules are `model::campaign`'s and `model::coupon`'s.

use leptos::prelude::*;

use crate::components::form::{Field, FieldView, FormNotice, FormView};
use crate::i18n::{text, text_with};
use crate::model::campaign::{CampaignDesk, CampaignDraft, CampaignField};
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
/// The query parameter that opens a campaign's form to change it.
pub const CAMPAIGN_QUERY: &str = "kampanya";
/// Which of the page's two forms was posted.
pub const FORM_FIELD: &str = "form";
pub const CAMPAIGN_FORM: &str = "kampanya";

#[component]
pub fn CouponsPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(desk), Some(campaigns)) = (
        from_request::<StaffView>(),
        from_request::<CouponDesk>(),
        from_request::<CampaignDesk>(),
    ) else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.campaigns");
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
            <h2>{text(locale, "staff.campaign.title")}</h2>
            <p>{text(locale, "staff.campaign.intro")}</p>
            <CampaignList desk=campaigns.clone() categories=desk.categories.clone() locale/>
            <CampaignForm desk=campaigns categories=desk.categories.clone() locale/>
            <h2>{text(locale, "staff.coupons")}</h2>
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
        terms.push(category_names(&desk.categories, &rule.category_ids, locale));
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
        locale.path(&Page::StaffCampaigns),
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

/// The categories a rule may be limited to, ticked as it stands (none: every product).
#[component]
fn CategoryChoices(
    categories: Vec<(i64, String, Option<i64>)>,
    ticked: Vec<i64>,
    locale: Locale,
) -> impl IntoView {
    let boxes = categories
        .into_iter()
        .map(|(id, name, parent)| {
            let label = if parent.is_some() { format!("— {name}") } else { name };
            view! {
                <label><input type="checkbox" name=CATEGORY_FIELD value=id.to_string() checked=ticked.contains(&id)/>" "{label}</label>
            }
        })
        .collect_view();
    view! {
        <fieldset>
            <legend>{text(locale, "staff.coupon.categories")}</legend>
            {boxes}
        </fieldset>
    }
}

fn category_names(
    categories: &[(i64, String, Option<i64>)],
    ids: &[i64],
    locale: Locale,
) -> String {
    if ids.is_empty() {
        return text(locale, "staff.campaign.all_products");
    }
    ids.iter()
        .filter_map(|id| categories.iter().find(|(c, _, _)| c == id))
        .map(|(_, name, _)| name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn CampaignList(
    desk: CampaignDesk,
    categories: Vec<(i64, String, Option<i64>)>,
    locale: Locale,
) -> impl IntoView {
    if desk.rules.is_empty() {
        return view! { <p>{text(locale, "staff.campaign.none")}</p> }.into_any();
    }
    let now = now_seconds();
    let rows = desk
        .rules
        .iter()
        .map(|rule| {
            let edit = format!(
                "{}?{CAMPAIGN_QUERY}={}#kampanya-formu",
                locale.path(&Page::StaffCampaigns),
                rule.id
            );
            let state = if rule.runs_at(now) {
                text(locale, "staff.campaign.running")
            } else if !rule.active {
                text(locale, "staff.coupon.stopped")
            } else if rule.ends_at <= now {
                text(locale, "staff.campaign.ended")
            } else {
                text(locale, "staff.campaign.planned")
            };
            view! {
                <tr>
                    <td><a href=edit>{rule.name.clone()}</a></td>
                    <td class="num">{format!("%{}", rule.percent)}</td>
                    <td>{category_names(&categories, &rule.category_ids, locale)}</td>
                    <td>{format!("{} – {}", istanbul_date(rule.starts_at), istanbul_date(rule.ends_at - 1))}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="member-orders staff-campaigns">
            <thead><tr>
                <th scope="col">{text(locale, "staff.campaign.name")}</th>
                <th scope="col" class="num">{text(locale, "staff.coupon.discount")}</th>
                <th scope="col">{text(locale, "staff.campaign.categories")}</th>
                <th scope="col">{text(locale, "staff.coupon.when")}</th>
                <th scope="col">{text(locale, "account.order_status")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// Now, for saying which campaigns run (pages render on the server only).
fn now_seconds() -> i64 {
    #[cfg(feature = "ssr")]
    {
        crate::backend::time::now_seconds()
    }
    #[cfg(not(feature = "ssr"))]
    {
        0
    }
}

#[component]
fn CampaignForm(
    desk: CampaignDesk,
    categories: Vec<(i64, String, Option<i64>)>,
    locale: Locale,
) -> impl IntoView {
    let feedback = use_context::<Feedback<CampaignDraft>>().unwrap_or_else(|| Feedback {
        draft: desk.editing.as_ref().map_or_else(
            || CampaignDraft {
                active: "1".into(),
                ..CampaignDraft::default()
            },
            CampaignDraft::of,
        ),
        ..Feedback::default()
    });
    let ticked = feedback.draft.category_ids.clone();
    let active_now = feedback.draft.active == "1";
    let form = FormView::new(locale, "kampanya", feedback);
    let [name, percent, starts, ends] = [
        CampaignField::Name,
        CampaignField::Percent,
        CampaignField::Starts,
        CampaignField::Ends,
    ]
    .map(|f| form.field(f));
    let heading = match &desk.editing {
        Some(rule) => text_with(locale, "staff.campaign.change", &[("name", &rule.name)]),
        None => text(locale, "staff.campaign.new"),
    };
    let campaign_action = match &desk.editing {
        Some(rule) => format!(
            "{}?{CAMPAIGN_QUERY}={}",
            locale.path(&Page::StaffCampaigns),
            rule.id
        ),
        None => locale.path(&Page::StaffCampaigns),
    };
    view! {
        <section id="kampanya-formu">
            <h3>{heading}</h3>
            // Posted to the address that opened the campaign, so that a refused form comes back
            // still changing it.
            <form method="post" action=campaign_action class="account-form" novalidate>
                <input type="hidden" name=FORM_FIELD value=CAMPAIGN_FORM/>
                {desk.editing.as_ref().map(|rule| view! { <input type="hidden" name="id" value=rule.id.to_string()/> })}
                <Field field=name.clone() label=text(locale, "staff.campaign.name")>{input(name, "text")}</Field>
                <Field field=percent.clone() label=text(locale, "staff.campaign.percent")>{input(percent, "number")}</Field>
                <Field field=starts.clone() label=text(locale, "staff.campaign.starts")>{input(starts, "date")}</Field>
                <Field field=ends.clone() label=text(locale, "staff.campaign.ends")>{input(ends, "date")}</Field>
                <CategoryChoices categories ticked locale/>
                <label><input type="checkbox" name=CampaignField::Active.name() value="1" checked=active_now/>" "{text(locale, "staff.coupon.active")}</label>
                <button type="submit" class="button">{text(locale, "staff.campaign.save")}</button>
            </form>
        </section>
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
    let code_action = match &editing {
        Some(rule) => format!(
            "{}?{EDIT_QUERY}={}",
            locale.path(&Page::StaffCampaigns),
            rule.code
        ),
        None => locale.path(&Page::StaffCampaigns),
    };
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
    view! {
        <section id="kod-formu">
            <h3>{heading}</h3>
            <form method="post" action=code_action class="account-form" novalidate>
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
                <CategoryChoices categories=desk.categories.clone() ticked locale/>
                <label><input type="checkbox" name=CouponRuleField::Active.name() value="1" checked=active_now/>" "{text(locale, "staff.coupon.active")}</label>
                <button type="submit" class="button">{text(locale, "staff.save")}</button>
            </form>
        </section>
    }
}
