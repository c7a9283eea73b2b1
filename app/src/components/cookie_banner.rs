//! The cookie banner and the cookie choice form.
//!
//! The server renders the banner on every page whose visitor has made no choice under the
//! current policy version, so it is there before any script runs and never flashes; for a
//! visitor who has chosen it is rendered hidden, ready to reopen. It is a plain form posting to
//! `/cerez-tercihi` (server/src/consent_form.rs): "Kabul ediyorum", "Reddet" and "Tercihler"
//! (a `<details>` with a switch per category) work without JavaScript. Live, the
//! [`CookieConsent`] island sends the same form with `fetch` and stays on the page, moves focus
//! into the banner and back, and opens it again from the footer's "Çerez tercihleri" link.

use leptos::{html, prelude::*};

use crate::i18n::text;
use crate::model::consent::{ConsentCategory, ConsentState};
use crate::model::{Locale, Page};

/// The consent state of the visitor whose page is being rendered (server only).
pub fn consent_state_of_request() -> ConsentState {
    #[cfg(feature = "ssr")]
    {
        use crate::model::consent::{consent_cookie_in, COOKIE_POLICY_VERSION};
        let version = use_context::<crate::backend::AppState>()
            .map(|state| state.cookie_policy_version)
            .unwrap_or_else(|| COOKIE_POLICY_VERSION.to_string());
        let cookie = use_context::<http::request::Parts>().and_then(|parts| {
            let headers = parts.headers.get_all(http::header::COOKIE);
            consent_cookie_in(headers.iter().filter_map(|value| value.to_str().ok()))
                .map(str::to_string)
        });
        ConsentState::of(cookie.as_deref(), &version)
    }
    // Never called in the browser: pages are rendered on the server only.
    #[cfg(not(feature = "ssr"))]
    {
        ConsentState::Unasked
    }
}

/// The banner: shown when the visitor has not chosen, hidden (to be reopened) otherwise.
#[component]
pub fn CookieBanner(locale: Locale, state: ConsentState, return_to: String) -> impl IntoView {
    let hidden = matches!(state, ConsentState::Chosen(_));
    view! {
        <CookieConsent>
            <section
                id="cerez-bildirimi"
                class="cookie-banner"
                aria-labelledby="cerez-bildirimi-baslik"
                tabindex="-1"
                hidden=hidden
            >
                <h2 id="cerez-bildirimi-baslik" class="cookie-banner__title">{text(locale, "consent.title")}</h2>
                <CookieChoiceForm locale state return_to preferences_open=false/>
            </section>
        </CookieConsent>
    }
}

/// The form itself, on the banner and on the "Çerez tercihleri" page. The switches show the
/// current choice.
#[component]
pub fn CookieChoiceForm(
    locale: Locale,
    state: ConsentState,
    return_to: String,
    /// The switches shown from the start (the preferences page) rather than behind "Tercihler".
    preferences_open: bool,
) -> impl IntoView {
    let choice = state.choice();
    let chosen = matches!(state, ConsentState::Chosen(_));
    let policy = locale.path(&Page::Privacy);
    let switches = ConsentCategory::ALL
        .into_iter()
        .map(|category| {
            let field = category.field();
            let id = format!("cerez-{field}");
            let description_id = format!("{id}-aciklama");
            let necessary = category == ConsentCategory::Necessary;
            view! {
                <div class="switch">
                    <input
                        type="checkbox"
                        role="switch"
                        id=id.clone()
                        name=(!necessary).then_some(field)
                        value="1"
                        checked=necessary || (chosen && choice.allows(category))
                        disabled=necessary
                        aria-describedby=description_id.clone()
                    />
                    <label for=id>
                        {text(locale, &format!("consent.{field}"))}
                        {necessary.then(|| view! { <span class="switch__note">{text(locale, "consent.always_on")}</span> })}
                    </label>
                    <p id=description_id class="switch__text">{text(locale, &format!("consent.{field}_text"))}</p>
                </div>
            }
        })
        .collect_view();
    view! {
        <form class="cookie-form" method="post" action="/cerez-tercihi">
            <input type="hidden" name="dil" value=locale.code()/>
            <input type="hidden" name="geri" value=return_to/>
            <p class="cookie-form__intro">
                {text(locale, "consent.intro")} " "
                <a href=policy>{text(locale, "consent.policy_link")}</a>
            </p>
            // Three answers of equal weight; "Tercihler" opens the switches in place.
            <div class="cookie-form__actions">
                <button type="submit" class="button cookie-form__action" name="secim" value="kabul">{text(locale, "consent.accept")}</button>
                <button type="submit" class="button cookie-form__action" name="secim" value="red">{text(locale, "consent.reject")}</button>
                <details class="cookie-form__preferences" open=preferences_open>
                    <summary class="button cookie-form__action">{text(locale, "consent.preferences")}</summary>
                    <fieldset class="cookie-form__categories">
                        <legend>{text(locale, "consent.categories")}</legend>
                        {switches}
                    </fieldset>
                    <button type="submit" class="button button--secondary" name="secim" value="tercih">{text(locale, "consent.save")}</button>
                </details>
            </div>
            <p class="cookie-form__error" role="alert" hidden>{text(locale, "consent.failed")}</p>
        </form>
    }
}

/// The banner's island. It holds no state the server did not render: it reads the form, sends
/// it, and shows or hides the banner.
#[island]
fn CookieConsent(children: Children) -> impl IntoView {
    let root = NodeRef::<html::Div>::new();
    // Where focus was before the banner took it, to give it back after a choice.
    let return_focus = StoredValue::new_local(None::<leptos::web_sys::HtmlElement>);

    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        browser::on_live(root, return_focus);
        #[cfg(not(feature = "hydrate"))]
        let _ = (root, return_focus);
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        browser::send_choice(ev, root, return_focus);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            // Escape never counts as a choice: it folds the switches away, and closes a banner
            // that was reopened (the earlier choice stands).
            #[cfg(feature = "hydrate")]
            browser::escape(&ev, root, return_focus);
        }
    };

    view! {
        <div class="cookie-consent" node_ref=root on:submit=on_submit on:keydown=on_keydown>
            {children()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, HtmlElement, HtmlInputElement};
    use leptos::{html, prelude::*};

    use crate::client::{consent, dom::closest_to_event, fetch::send};
    use crate::model::consent::{ConsentChoice, ConsentState};

    type Root = NodeRef<html::Div>;
    type ReturnFocus = StoredValue<Option<HtmlElement>, LocalStorage>;

    fn banner(root: Root) -> Option<HtmlElement> {
        root.get()?
            .query_selector("#cerez-bildirimi")
            .ok()??
            .dyn_into()
            .ok()
    }

    fn find(root: Root, selector: &str) -> Option<Element> {
        root.get()?.query_selector(selector).ok()?
    }

    fn focused() -> Option<HtmlElement> {
        document()
            .active_element()
            .and_then(|el| el.dyn_into::<HtmlElement>().ok())
            .filter(|el| el.tag_name() != "BODY")
    }

    fn open(root: Root, return_focus: ReturnFocus, with_preferences: bool) {
        let Some(banner) = banner(root) else { return };
        return_focus.set_value(focused());
        banner.remove_attribute("hidden").ok();
        if let Some(details) = find(root, "details") {
            if with_preferences {
                details.set_attribute("open", "").ok();
            }
        }
        let _ = banner.focus();
    }

    fn close(root: Root, return_focus: ReturnFocus) {
        if let Some(banner) = banner(root) {
            banner.set_attribute("hidden", "").ok();
        }
        if let Some(details) = find(root, "details") {
            details.remove_attribute("open").ok();
        }
        // Back where the visitor was; or the page's content when the banner came first.
        let target = return_focus.get_value().or_else(|| {
            document()
                .get_element_by_id("icerik")
                .and_then(|main| main.dyn_into::<HtmlElement>().ok())
        });
        if let Some(target) = target {
            if !target.has_attribute("tabindex") && target.tag_name() == "MAIN" {
                target.set_attribute("tabindex", "-1").ok();
            }
            let _ = target.focus();
        }
        return_focus.set_value(None);
    }

    pub fn on_live(root: Root, return_focus: ReturnFocus) {
        // A banner shown on arrival takes focus, unless the visitor is already somewhere.
        if let Some(banner) = banner(root) {
            if !banner.has_attribute("hidden") && focused().is_none() {
                let _ = banner.focus();
            }
        }
        // "Çerez tercihleri" in the footer opens the banner in place.
        let handle = window_event_listener(leptos::ev::click, move |ev| {
            if closest_to_event(&ev, "[data-cerez-tercihleri]").is_some() {
                ev.prevent_default();
                open(root, return_focus, true);
            }
        });
        // The banner lives as long as the page.
        std::mem::forget(handle);
    }

    pub fn escape(ev: &leptos::ev::KeyboardEvent, root: Root, return_focus: ReturnFocus) {
        ev.prevent_default();
        if let Some(details) = find(root, "details[open]") {
            details.remove_attribute("open").ok();
            if let Some(summary) =
                find(root, "summary").and_then(|s| s.dyn_into::<HtmlElement>().ok())
            {
                let _ = summary.focus();
            }
            return;
        }
        if matches!(
            consent::use_consent().get_untracked(),
            ConsentState::Chosen(_)
        ) {
            close(root, return_focus);
        }
    }

    pub fn send_choice(ev: leptos::ev::SubmitEvent, root: Root, return_focus: ReturnFocus) {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let action = ev
            .submitter()
            .and_then(|button| button.get_attribute("value"))
            .unwrap_or_default();
        let checked = |name: &str| {
            form.query_selector(&format!("input[name={name}]"))
                .ok()
                .flatten()
                .and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
                .is_some_and(|input| input.checked())
        };
        let switches = ConsentChoice {
            functional: checked("islevsel"),
            analytics: checked("analitik"),
            marketing: checked("pazarlama"),
        };
        let mut body = format!(
            "secim={action}&dil={}",
            crate::client::fetch::page_locale().code()
        );
        for (name, on) in [
            ("islevsel", switches.functional),
            ("analitik", switches.analytics),
            ("pazarlama", switches.marketing),
        ] {
            if on {
                body.push_str(&format!("&{name}=1"));
            }
        }
        let error = form.query_selector(".cookie-form__error").ok().flatten();
        leptos::task::spawn_local(async move {
            let answer = send(
                "POST",
                "/cerez-tercihi",
                Some(&body),
                &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("x-ada", "1"),
                ],
            )
            .await;
            let state = answer
                .filter(|answer| answer.ok)
                .and_then(|answer| answer.header("x-cerez"))
                .map(|token| ConsentState::from_token(&token))
                .filter(|state| matches!(state, ConsentState::Chosen(_)));
            let Some(state) = state else {
                // Nothing was recorded: the banner stays, saying so.
                if let Some(error) = &error {
                    error.remove_attribute("hidden").ok();
                }
                return;
            };
            if let Some(error) = &error {
                error.set_attribute("hidden", "").ok();
            }
            // The switches now show the choice, for when the banner is reopened.
            let choice = state.choice();
            for (name, on) in [
                ("islevsel", choice.functional),
                ("analitik", choice.analytics),
                ("pazarlama", choice.marketing),
            ] {
                if let Some(input) = form
                    .query_selector(&format!("input[name={name}]"))
                    .ok()
                    .flatten()
                    .and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
                {
                    input.set_checked(on);
                }
            }
            consent::set(state);
            close(root, return_focus);
        });
    }
}
