//! The team (a yonetici's): everyone on staff with their role and second factor; add a member
//! of staff, change a role, close an account. A new yonetici's TOTP secret is shown once, on
//! the page that answers the change, and never again.

use leptos::prelude::*;

use crate::components::form::FormNotice;
use crate::i18n::{text, text_with};
use crate::model::staff::{NewSecondFactor, StaffRole, StaffView, Team};
use crate::model::{Locale, Page};
use crate::pages::account::{state_notice, PrivateMeta};
use crate::pages::admin::{from_request, StaffNav, StaffNotice, ACTION};
use crate::pages::not_found::NotFound;

#[component]
pub fn TeamPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(team)) = (from_request::<StaffView>(), from_request::<Team>()) else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.team");
    let action = locale.path(&Page::StaffTeam);
    let refused = use_context::<StaffNotice>().map(|notice| text(locale, notice.0));
    let second_factor = use_context::<NewSecondFactor>()
        .map(|new| view! { <SecondFactorOnce locale new key="staff.secret_once"/> });
    let me = staff.id;
    let rows = team
        .members
        .iter()
        .map(|member| {
            let id = member.id.to_string();
            let controls = (!member.disabled && member.id != me).then(|| {
                let other = match member.role {
                    StaffRole::Destek => StaffRole::Yonetici,
                    StaffRole::Yonetici => StaffRole::Destek,
                };
                view! {
                    <form method="post" action=action.clone() class="inline-form">
                        <input type="hidden" name=ACTION value="rol"/>
                        <input type="hidden" name="id" value=id.clone()/>
                        <input type="hidden" name="rol" value=other.code()/>
                        <button type="submit" class="button button--secondary">
                            {text_with(locale, "staff.make_role", &[("role", other.code())])}
                        </button>
                    </form>
                    {(member.role == StaffRole::Yonetici).then(|| view! {
                        <form method="post" action=action.clone() class="inline-form">
                            <input type="hidden" name=ACTION value="ikinci_adim"/>
                            <input type="hidden" name="id" value=id.clone()/>
                            <button type="submit" class="button button--secondary">{text(locale, "staff.reset_second_factor")}</button>
                        </form>
                    })}
                    <form method="post" action=action.clone() class="inline-form">
                        <input type="hidden" name=ACTION value="kapat"/>
                        <input type="hidden" name="id" value=id.clone()/>
                        <button type="submit" class="button button--secondary">{text(locale, "staff.disable")}</button>
                    </form>
                }
            });
            view! {
                <tr data-personel=member.email.clone()>
                    <td>{member.name.clone()}<br/><small>{member.email.clone()}</small></td>
                    <td>{member.role.code()}</td>
                    <td>{text(locale, if member.second_factor { "staff.yes" } else { "staff.no" })}</td>
                    <td>{text(locale, if member.disabled { "staff.closed" } else { "staff.open" })}</td>
                    <td>{controls}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            {state_notice(locale, "staff")}
            <FormNotice message=refused/>
            {second_factor}
            <table class="member-orders staff-team">
                <thead><tr>
                    <th scope="col">{text(locale, "staff.customer_name")}</th>
                    <th scope="col">{text(locale, "staff.role")}</th>
                    <th scope="col">{text(locale, "staff.second_factor")}</th>
                    <th scope="col">{text(locale, "account.order_status")}</th>
                    <th scope="col"></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <form method="post" action=action class="account-form">
                <h2>{text(locale, "staff.add")}</h2>
                <input type="hidden" name=ACTION value="ekle"/>
                <label for="ekip-ad">{text(locale, "staff.customer_name")}</label>
                <input id="ekip-ad" name="ad" required maxlength="120"/>
                <label for="ekip-eposta">{text(locale, "account.email")}</label>
                <input id="ekip-eposta" name="eposta" type="email" required maxlength="320"/>
                <label for="ekip-rol">{text(locale, "staff.role")}</label>
                <select id="ekip-rol" name="rol">
                    <option value="destek">"destek"</option>
                    <option value="yonetici">"yonetici"</option>
                </select>
                <label for="ekip-sifre">{text(locale, "staff.first_password")}</label>
                <input id="ekip-sifre" name="sifre" type="password" autocomplete="new-password" required/>
                <button type="submit" class="button">{text(locale, "staff.add")}</button>
            </form>
        </article>
    }
    .into_any()
}

/// A new TOTP secret and its recovery codes, shown once: the key for the app, its
/// `otpauth://` address, and the codes to keep somewhere safe.
#[component]
fn SecondFactorOnce(locale: Locale, new: NewSecondFactor, key: &'static str) -> impl IntoView {
    view! {
        <section class="notice staff-secret" role="status">
            <p>{text_with(locale, key, &[("email", &new.email)])}</p>
            <p><code data-totp-secret="">{new.secret}</code></p>
            <p><small><code>{new.uri}</code></small></p>
            <p>{text(locale, "staff.recovery_codes_once")}</p>
            <ul class="staff-recovery-codes">
                {new.recovery_codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ul>
        </section>
    }
}

/// A member of staff changes their own password (every other session of theirs ends); a
/// yonetici also renews their authenticator (after logging in with a recovery code).
#[component]
pub fn PasswordPage(locale: Locale) -> impl IntoView {
    let Some(staff) = from_request::<StaffView>() else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.password");
    let refused = use_context::<StaffNotice>().map(|notice| text(locale, notice.0));
    let renewed = use_context::<NewSecondFactor>()
        .map(|new| view! { <SecondFactorOnce locale new key="staff.secret_renewed"/> });
    let yonetici = staff.role == StaffRole::Yonetici;
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            {state_notice(locale, "staff")}
            <FormNotice message=refused/>
            <form method="post" action=locale.path(&Page::StaffPassword) class="account-form">
                <label for="sifre-simdiki">{text(locale, "staff.current_password")}</label>
                <input id="sifre-simdiki" name="sifre" type="password" autocomplete="current-password" required/>
                <label for="sifre-yeni">{text(locale, "staff.new_password")}</label>
                <input id="sifre-yeni" name="yeni_sifre" type="password" autocomplete="new-password" required/>
                <button type="submit" class="button">{text(locale, "staff.change_password")}</button>
            </form>
            {yonetici.then(|| view! {
                <section class="staff-second-factor">
                    <h2>{text(locale, "staff.second_factor")}</h2>
                    {renewed}
                    <p>{text(locale, "staff.second_factor_text")}</p>
                    <form method="post" action=locale.path(&Page::StaffPassword) class="account-form">
                        <input type="hidden" name=ACTION value="ikinci_adim"/>
                        <label for="ikinci-sifre">{text(locale, "staff.current_password")}</label>
                        <input id="ikinci-sifre" name="sifre" type="password" autocomplete="current-password" required/>
                        <button type="submit" class="button button--secondary">{text(locale, "staff.renew_second_factor")}</button>
                    </form>
                </section>
            })}
        </article>
    }
    .into_any()
}
