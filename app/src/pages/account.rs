//! Membership's pages: Giriş, Üye ol, Şifremi unuttum, the new-password page the e-mailed link
//! opens, and Hesabım. Every form is a plain POST to its page (server/src/account_forms.rs)
//! on the form kit: a failed one comes back with each problem beside its field and what was
//! typed (never a password). What just happened (`?durum=`) is said at the top of the page.

use leptos::prelude::*;

use crate::components::form::{Field, FormNotice, FormView};
use crate::i18n::text;
use crate::model::account::{
    CloseDraft, CloseField, EmailChangeDraft, EmailChangeField, ForgotDraft, ForgotField,
    LoginDraft, LoginField, MemberView, PasswordChangeDraft, PasswordChangeField, PreferencesDraft,
    PreferencesField, ProfileDraft, ProfileField, RegisterDraft, RegisterField, ResetDraft,
    ResetField, CART_FIELD, PASSWORD_MAX_CHARS,
};
use crate::model::contact::NAME_MAX_CHARS;
use crate::model::form::{Feedback, FormField};
use crate::model::route::{NEXT_QUERY, STATE_QUERY, TOKEN_QUERY};
use crate::model::{Locale, Page};
use crate::wire::account::{
    ACTION, ACTION_CLOSE, ACTION_EMAIL, ACTION_LOG_OUT, ACTION_PASSWORD, ACTION_PREFERENCES,
    ACTION_PROFILE,
};

/// The member who is logged in, as the server loaded it for this request (`Load::Member`).
pub fn member_now() -> Option<MemberView> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        parts.extensions.get::<MemberView>().cloned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Whether the e-mailed new-password link in the address is still good (`Load::ResetLink`).
fn reset_link_is_good() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .extensions
                .get::<crate::model::account::GoodResetLink>()
                .is_some()
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

pub(crate) fn query(name: &str) -> Option<String> {
    leptos_router::hooks::use_query_map().with_untracked(|query| query.get(name))
}

/// The message for `?durum=…` on `page`, if it names one.
pub(crate) fn state_notice(locale: Locale, page: &str) -> impl IntoView {
    let state = query(STATE_QUERY).filter(|state| {
        state.len() <= 20 && state.chars().all(|c| c.is_ascii_lowercase() || c == '-')
    });
    state.and_then(|state| {
        let key = format!("account.state.{page}.{state}");
        let message = text(locale, &key);
        (message != key).then(|| view! { <p class="notice" role="status">{message}</p> })
    })
}

#[component]
pub(crate) fn PrivateMeta(title: String) -> impl IntoView {
    view! {
        <leptos_meta::Title text=title/>
        <leptos_meta::Meta name="robots" content="noindex"/>
    }
}

#[component]
pub fn LoginPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "account.login_title");
    let form = FormView::<LoginDraft>::from_context(locale, "giris");
    let email = form.field(LoginField::Email);
    let password = form.field(LoginField::Password);
    let next = form.field(LoginField::Next);
    let next = Some(next.value)
        .filter(|value| !value.is_empty())
        .or_else(|| query(NEXT_QUERY))
        .unwrap_or_default();
    let member = member_now();
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account account--narrow">
            <h1>{title}</h1>
            {state_notice(locale, "login")}
            {member.map(|member| view! {
                <p class="notice" role="status">
                    {text(locale, "account.already_in")} " " <strong>{member.email}</strong> ". "
                    <a href=locale.path(&Page::Account)>{text(locale, "account.title")}</a>
                </p>
            })}
            <form class="account-form" method="post" action=locale.path(&Page::Login) novalidate>
                <FormNotice message=form.general()/>
                <input type="hidden" name=LoginField::Next.name() value=next/>
                // Filled by the cart store with the browser's cart, merged with the saved one.
                <input type="hidden" name={CART_FIELD} {..leptos::attr::custom::custom_attribute(crate::wire::member_cart::FORM_FIELD, "")}/>
                <Field field=email.clone() label=text(locale, "account.email")>
                    <input id=email.id.clone() name=email.name type="email" autocomplete="username" required
                        value=email.value.clone() {..email.aria()}/>
                </Field>
                <Field field=password.clone() label=text(locale, "account.password")>
                    <input id=password.id.clone() name=password.name type="password" autocomplete="current-password"
                        required maxlength={PASSWORD_MAX_CHARS} {..password.aria()}/>
                </Field>
                <button type="submit" class="button button--wide">{text(locale, "account.login")}</button>
            </form>
            <p><a href=locale.path(&Page::ForgotPassword)>{text(locale, "account.forgot_link")}</a></p>
            <p>{text(locale, "account.no_account")} " " <a href=locale.path(&Page::Register)>{text(locale, "account.register")}</a></p>
        </article>
    }
}

#[component]
pub fn RegisterPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "account.register_title");
    let sent = query(STATE_QUERY).as_deref() == Some("gonderildi");
    let body = if sent {
        view! {
            <div class="notice" role="status">
                <p><strong>{text(locale, "account.check_email_title")}</strong></p>
                <p>{text(locale, "account.check_email_text")}</p>
            </div>
            <p><a class="button" href=locale.path(&Page::Home)>{text(locale, "contact.back_to_shop")}</a></p>
        }
        .into_any()
    } else {
        view! { <RegisterForm locale/> }.into_any()
    };
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account account--narrow">
            <h1>{title}</h1>
            {body}
        </article>
    }
}

#[component]
fn RegisterForm(locale: Locale) -> impl IntoView {
    let form = FormView::<RegisterDraft>::from_context(locale, "uye-ol");
    let name = form.field(RegisterField::Name);
    let email = form.field(RegisterField::Email);
    let phone = form.field(RegisterField::Phone);
    let password = form.field(RegisterField::Password);
    let by_email = form.field(RegisterField::MarketingEmail);
    let by_sms = form.field(RegisterField::MarketingSms);
    view! {
        <form class="account-form" method="post" action=locale.path(&Page::Register) novalidate>
            <FormNotice message=form.general()/>
            <Field field=name.clone() label=text(locale, "account.name")>
                <input id=name.id.clone() name=name.name type="text" autocomplete="name" required
                    maxlength=NAME_MAX_CHARS value=name.value.clone() {..name.aria()}/>
            </Field>
            <Field field=email.clone() label=text(locale, "account.email")>
                <input id=email.id.clone() name=email.name type="email" autocomplete="email" required
                    value=email.value.clone() {..email.aria()}/>
            </Field>
            <Field field=phone.clone() label=text(locale, "account.phone_optional")>
                <input id=phone.id.clone() name=phone.name type="tel" autocomplete="tel" inputmode="tel"
                    value=phone.value.clone() {..phone.aria()}/>
            </Field>
            <Field field=password.clone() label=text(locale, "account.new_password")>
                <input id=password.id.clone() name=password.name type="password" autocomplete="new-password"
                    required minlength="10" maxlength={PASSWORD_MAX_CHARS} {..password.aria()}/>
                <p class="field__hint">{text(locale, "account.password_hint")}</p>
            </Field>
            <fieldset class="account-form__consents">
                <legend>{text(locale, "account.marketing_legend")}</legend>
                <p class="field__hint">{text(locale, "account.marketing_hint")}</p>
                <MarketingBox field=by_email.name id=by_email.id.clone() checked=!by_email.value.is_empty()
                    label=text(locale, "account.marketing_email")/>
                <MarketingBox field=by_sms.name id=by_sms.id.clone() checked=!by_sms.value.is_empty()
                    label=text(locale, "account.marketing_sms")/>
            </fieldset>
            <p class="account-form__privacy">
                {text(locale, "account.kvkk_note")} " "
                <a href=locale.path(&Page::Kvkk)>{text(locale, "legal.kvkk")}</a>
            </p>
            <button type="submit" class="button button--wide">{text(locale, "account.register")}</button>
        </form>
        <p>{text(locale, "account.have_account")} " " <a href=locale.path(&Page::Login)>{text(locale, "account.login")}</a></p>
    }
}

/// An unticked-by-default box for one marketing channel.
#[component]
fn MarketingBox(field: &'static str, id: String, checked: bool, label: String) -> impl IntoView {
    view! {
        <div class="field checkbox">
            <label>
                <input type="checkbox" id=id name=field value="1" checked=checked/>
                {label}
            </label>
        </div>
    }
}

#[component]
pub fn ForgotPasswordPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "account.forgot_title");
    let form = FormView::<ForgotDraft>::from_context(locale, "sifremi-unuttum");
    let email = form.field(ForgotField::Email);
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account account--narrow">
            <h1>{title}</h1>
            {state_notice(locale, "forgot")}
            <p>{text(locale, "account.forgot_intro")}</p>
            <form class="account-form" method="post" action=locale.path(&Page::ForgotPassword) novalidate>
                <FormNotice message=form.general()/>
                <Field field=email.clone() label=text(locale, "account.email")>
                    <input id=email.id.clone() name=email.name type="email" autocomplete="email" required
                        value=email.value.clone() {..email.aria()}/>
                </Field>
                <button type="submit" class="button button--wide">{text(locale, "account.send_link")}</button>
            </form>
            <p><a href=locale.path(&Page::Login)>{text(locale, "account.back_to_login")}</a></p>
        </article>
    }
}

#[component]
pub fn ResetPasswordPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "account.reset_title");
    let feedback = use_context::<Feedback<ResetDraft>>();
    // After a failed submit the form is shown again whatever the link's state: its message says.
    let good = feedback.is_some() || reset_link_is_good();
    let form = FormView::<ResetDraft>::from_context(locale, "sifre-yenile");
    let token = form.field(ResetField::Token);
    let token = Some(token.value)
        .filter(|value| !value.is_empty())
        .or_else(|| query(TOKEN_QUERY))
        .unwrap_or_default();
    let password = form.field(ResetField::Password);
    let body = if good {
        view! {
            <form class="account-form" method="post" action=locale.path(&Page::ResetPassword) novalidate>
                <FormNotice message=form.general()/>
                <input type="hidden" name=ResetField::Token.name() value=token/>
                <Field field=password.clone() label=text(locale, "account.new_password")>
                    <input id=password.id.clone() name=password.name type="password" autocomplete="new-password"
                        required minlength="10" maxlength={PASSWORD_MAX_CHARS} {..password.aria()}/>
                    <p class="field__hint">{text(locale, "account.password_hint")}</p>
                </Field>
                <button type="submit" class="button button--wide">{text(locale, "account.save_password")}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p class="notice notice--error" role="alert">{text(locale, "account.link_invalid")}</p>
            <p><a class="button" href=locale.path(&Page::ForgotPassword)>{text(locale, "account.send_link_again")}</a></p>
        }
        .into_any()
    };
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account account--narrow">
            <h1>{title}</h1>
            {body}
        </article>
    }
}

/// The member's pages, each a link (the current one marked).
#[component]
pub(crate) fn AccountNav(locale: Locale, current: Page) -> impl IntoView {
    let links = [(Page::Account, "account.profile_and_settings"), (Page::Orders, "account.orders"), (Page::Addresses, "account.addresses"), (Page::Cards, "account.cards"), (Page::PersonalData, "kvkk.title")]
        .into_iter()
        .map(|(page, key)| {
            let here = page == current;
            view! {
                <li><a href=locale.path(&page) aria-current=here.then_some("page")>{text(locale, key)}</a></li>
            }
        })
        .collect_view();
    view! {
        <nav class="account-nav" aria-label=text(locale, "account.title")>
            <ul>{links}</ul>
        </nav>
    }
}

/// Hesabım: the member's profile, password and contact preferences, and logging out. Only
/// rendered for a member (the route requires one).
#[component]
pub fn AccountPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "account.title");
    let Some(member) = member_now() else {
        return view! { <crate::pages::not_found::NotFound/> }.into_any();
    };
    let profile = use_context::<Feedback<ProfileDraft>>().unwrap_or_else(|| Feedback {
        draft: ProfileDraft::from(&member),
        ..Feedback::default()
    });
    let preferences = use_context::<Feedback<PreferencesDraft>>().unwrap_or_else(|| Feedback {
        draft: PreferencesDraft {
            email: if member.marketing.email {
                "1".into()
            } else {
                String::new()
            },
            sms: if member.marketing.sms {
                "1".into()
            } else {
                String::new()
            },
        },
        ..Feedback::default()
    });
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account">
            <h1>{title}</h1>
            <AccountNav locale current=Page::Account/>
            {state_notice(locale, "account")}
            <p>{text(locale, "account.greeting")} " " <strong>{member.name.clone()}</strong></p>
            <ProfileSection locale member=member.clone() form=FormView::new(locale, "profil", profile)/>
            <EmailSection locale/>
            <PasswordSection locale/>
            <PreferencesSection locale form=FormView::new(locale, "tercihler", preferences)/>
            <CloseSection locale/>
            <section aria-labelledby="hesap-cikis">
                <h2 id="hesap-cikis">{text(locale, "account.log_out_title")}</h2>
                <form method="post" action=locale.path(&Page::Account)>
                    <input type="hidden" name=ACTION value=ACTION_LOG_OUT/>
                    <button type="submit" class="button button--ghost">{text(locale, "account.log_out")}</button>
                </form>
            </section>
        </article>
    }
    .into_any()
}

#[component]
fn ProfileSection(
    locale: Locale,
    member: MemberView,
    form: FormView<ProfileDraft>,
) -> impl IntoView {
    let name = form.field(ProfileField::Name);
    let phone = form.field(ProfileField::Phone);
    view! {
        <section aria-labelledby="hesap-profil">
            <h2 id="hesap-profil">{text(locale, "account.profile")}</h2>
            <form class="account-form" method="post" action=locale.path(&Page::Account) novalidate>
                <input type="hidden" name=ACTION value=ACTION_PROFILE/>
                <FormNotice message=form.general()/>
                <p>{text(locale, "account.email")} ": " <strong>{member.email}</strong></p>
                <Field field=name.clone() label=text(locale, "account.name")>
                    <input id=name.id.clone() name=name.name type="text" autocomplete="name" required
                        maxlength=NAME_MAX_CHARS value=name.value.clone() {..name.aria()}/>
                </Field>
                <Field field=phone.clone() label=text(locale, "account.phone_optional")>
                    <input id=phone.id.clone() name=phone.name type="tel" autocomplete="tel" inputmode="tel"
                        value=phone.value.clone() {..phone.aria()}/>
                </Field>
                <button type="submit" class="button">{text(locale, "account.save")}</button>
            </form>
        </section>
    }
}

#[component]
fn EmailSection(locale: Locale) -> impl IntoView {
    let form = FormView::<EmailChangeDraft>::from_context(locale, "eposta");
    let email = form.field(EmailChangeField::Email);
    let password = form.field(EmailChangeField::Password);
    view! {
        <section aria-labelledby="hesap-eposta">
            <h2 id="hesap-eposta">{text(locale, "account.change_email")}</h2>
            <p>{text(locale, "account.change_email_text")}</p>
            <form class="account-form" method="post" action=locale.path(&Page::Account) novalidate>
                <input type="hidden" name=ACTION value=ACTION_EMAIL/>
                <FormNotice message=form.general()/>
                <Field field=email.clone() label=text(locale, "account.new_email")>
                    <input id=email.id.clone() name=email.name type="email" autocomplete="email" required
                        value=email.value.clone() {..email.aria()}/>
                </Field>
                <Field field=password.clone() label=text(locale, "account.current_password")>
                    <input id=password.id.clone() name=password.name type="password" autocomplete="current-password"
                        required maxlength={PASSWORD_MAX_CHARS} {..password.aria()}/>
                </Field>
                <button type="submit" class="button">{text(locale, "account.send_email_link")}</button>
            </form>
        </section>
    }
}

#[component]
fn CloseSection(locale: Locale) -> impl IntoView {
    let form = FormView::<CloseDraft>::from_context(locale, "kapat");
    let password = form.field(CloseField::Password);
    view! {
        <section aria-labelledby="hesap-kapat">
            <h2 id="hesap-kapat">{text(locale, "account.close_title")}</h2>
            <p>{text(locale, "account.close_text")}</p>
            <form class="account-form" method="post" action=locale.path(&Page::Account) novalidate>
                <input type="hidden" name=ACTION value=ACTION_CLOSE/>
                <FormNotice message=form.general()/>
                <Field field=password.clone() label=text(locale, "account.close_confirm")>
                    <input id=password.id.clone() name=password.name type="password" autocomplete="current-password"
                        required maxlength={PASSWORD_MAX_CHARS} {..password.aria()}/>
                </Field>
                <button type="submit" class="button button--ghost">{text(locale, "account.close")}</button>
            </form>
        </section>
    }
}

#[component]
fn PasswordSection(locale: Locale) -> impl IntoView {
    let form = FormView::<PasswordChangeDraft>::from_context(locale, "sifre");
    let current = form.field(PasswordChangeField::Current);
    let new = form.field(PasswordChangeField::New);
    view! {
        <section aria-labelledby="hesap-sifre">
            <h2 id="hesap-sifre">{text(locale, "account.change_password")}</h2>
            <form class="account-form" method="post" action=locale.path(&Page::Account) novalidate>
                <input type="hidden" name=ACTION value=ACTION_PASSWORD/>
                <FormNotice message=form.general()/>
                <Field field=current.clone() label=text(locale, "account.current_password")>
                    <input id=current.id.clone() name=current.name type="password" autocomplete="current-password"
                        required maxlength={PASSWORD_MAX_CHARS} {..current.aria()}/>
                </Field>
                <Field field=new.clone() label=text(locale, "account.new_password")>
                    <input id=new.id.clone() name=new.name type="password" autocomplete="new-password"
                        required minlength="10" maxlength={PASSWORD_MAX_CHARS} {..new.aria()}/>
                    <p class="field__hint">{text(locale, "account.password_hint")}</p>
                </Field>
                <button type="submit" class="button">{text(locale, "account.save_password")}</button>
            </form>
        </section>
    }
}

#[component]
fn PreferencesSection(locale: Locale, form: FormView<PreferencesDraft>) -> impl IntoView {
    let by_email = form.field(PreferencesField::Email);
    let by_sms = form.field(PreferencesField::Sms);
    view! {
        <section aria-labelledby="hesap-tercihler">
            <h2 id="hesap-tercihler">{text(locale, "account.preferences")}</h2>
            <form class="account-form" method="post" action=locale.path(&Page::Account) novalidate>
                <input type="hidden" name=ACTION value=ACTION_PREFERENCES/>
                <FormNotice message=form.general()/>
                <p class="field__hint">{text(locale, "account.marketing_hint")}</p>
                <MarketingBox field=by_email.name id=by_email.id.clone() checked=!by_email.value.is_empty()
                    label=text(locale, "account.marketing_email")/>
                <MarketingBox field=by_sms.name id=by_sms.id.clone() checked=!by_sms.value.is_empty()
                    label=text(locale, "account.marketing_sms")/>
                <button type="submit" class="button">{text(locale, "account.save_preferences")}</button>
            </form>
        </section>
    }
}

/// The one-click unsubscribe page a commercial e-mail links to: a button that withdraws the
/// consent for that channel (a GET never does), then a confirmation.
#[component]
pub fn UnsubscribePage(locale: Locale) -> impl IntoView {
    let title = text(locale, "unsubscribe.title");
    let link = good_unsubscribe_link();
    let done = query(STATE_QUERY).as_deref() == Some("iptal");
    let action = leptos_router::hooks::use_location().search.get_untracked();
    let body = match (link, done) {
        (Some(_), true) => view! {
            <p class="notice" role="status">{text(locale, "unsubscribe.done")}</p>
        }
        .into_any(),
        (Some(channel), false) => view! {
            <p>{text(locale, &format!("unsubscribe.ask.{}", channel.code()))}</p>
            <form method="post" action=format!("{}?{}", locale.path(&Page::Unsubscribe), action.trim_start_matches('?'))>
                <button type="submit" class="button">{text(locale, "unsubscribe.button")}</button>
            </form>
        }
        .into_any(),
        (None, _) => view! {
            <p class="notice notice--error" role="alert">{text(locale, "unsubscribe.invalid")}</p>
        }
        .into_any(),
    };
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account account--narrow">
            <h1>{title}</h1>
            {body}
            <p>{text(locale, "unsubscribe.account")} " " <a href=locale.path(&Page::Account)>{text(locale, "account.title")}</a></p>
        </article>
    }
}

fn good_unsubscribe_link() -> Option<crate::model::account::Channel> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|parts| {
            parts
                .extensions
                .get::<crate::model::account::GoodUnsubscribeLink>()
                .map(|link| link.0)
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The cart store's cues on a page (`wire::member_cart`): a member is logged in (send the
/// cart's changes), the cart merged at login (take it), or the member has just left (forget
/// and empty). Only private pages can carry the first two: public ones never vary by member.
#[component]
pub fn MemberCartMarkers() -> impl IntoView {
    use crate::wire::member_cart::{ADOPT, LEFT, MEMBER};
    use leptos::attr::custom::custom_attribute;
    let member = member_now().is_some();
    let handoff = cart_handoff_now();
    let left = matches!(query(STATE_QUERY).as_deref(), Some("cikis" | "kapatildi"));
    view! {
        {member.then(|| view! { <template {..custom_attribute(MEMBER, "")}></template> })}
        {handoff.map(|cart| view! { <template {..custom_attribute(ADOPT, cart)}></template> })}
        {left.then(|| view! { <template {..custom_attribute(LEFT, "")}></template> })}
    }
}

fn cart_handoff_now() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        parts
            .extensions
            .get::<crate::model::account::CartHandoff>()
            .map(|handoff| handoff.0.clone())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
