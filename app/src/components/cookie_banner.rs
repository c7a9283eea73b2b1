//! The cookie banner and the cookie choice form.
//!
//! The server renders the banner on every page whose visitor has made no choice under the
//! current policy version, so it is there before any script runs and never flashes; for a
//! visitor who has chosen it is rendered hidden, ready to reopen. It is a plain form posting to
//! `/cerez-tercihi` (server/src/consent_form.rs): "Kabul ediyorum", "Reddet" and "Tercihler"
//! (a `<details>` with a switch per category) work without JavaScript. Live, the
//! [`CookieConsent`] island sends the same form with `fetch` and stays on the page, moves focus
//! into the banner and back, and opens it again from the footer's "Çerez tercihleri" link.

use leptos::prelude::*;

use crate::client::island::{island_root, Root};

use crate::i18n::text;
use crate::model::consent::{ConsentAction, ConsentCategory, ConsentState};
use crate::model::{Locale, Page};
use crate::wire::{consent, LOCALE};

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
        <form class="cookie-form" method="post" action=consent::PATH>
            <input type="hidden" name=LOCALE value=locale.code()/>
            <input type="hidden" name=consent::RETURN_TO value=return_to/>
            <p class="cookie-form__intro">
                {text(locale, "consent.intro")} " "
                <a href=policy>{text(locale, "consent.policy_link")}</a>
            </p>
            // Three answers of equal weight; "Tercihler" opens the switches in place.
            <div class="cookie-form__actions">
                <button type="submit" class="button cookie-form__action" name=consent::CHOICE value=ConsentAction::AcceptAll.code()>{text(locale, "consent.accept")}</button>
                <button type="submit" class="button cookie-form__action" name=consent::CHOICE value=ConsentAction::RejectAll.code()>{text(locale, "consent.reject")}</button>
                <details class="cookie-form__preferences" open=preferences_open>
                    <summary class="button cookie-form__action">{text(locale, "consent.preferences")}</summary>
                    <fieldset class="cookie-form__categories">
                        <legend>{text(locale, "consent.categories")}</legend>
                        {switches}
                    </fieldset>
                    <button type="submit" class="button button--secondary" name=consent::CHOICE value=ConsentAction::Custom.code()>{text(locale, "consent.save")}</button>
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
    let root = Root::new();
    #[cfg(feature = "hydrate")]
    crate::client::island::when_live(move || browser::start(root));
    island_root("cookie-consent", root, children)
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{
        Element, Event, HtmlElement, HtmlFormElement, HtmlInputElement, KeyboardEvent, SubmitEvent,
    };

    use crate::client::dom::{closest_to_event, find, focus};
    use crate::client::island::{element, listen, spawn, Root};
    use crate::client::{consent, fetch::send};
    use crate::model::consent::{ConsentCategory, ConsentState};
    use crate::wire;

    /// The live banner: its island's root, and where focus was before the banner took it (to
    /// give it back after a choice).
    #[derive(Clone)]
    struct Banner {
        root: Element,
        return_focus: Rc<RefCell<Option<HtmlElement>>>,
    }

    pub fn start(root: Root) {
        let Some(root) = element(root) else { return };
        let banner = Banner {
            root: root.into(),
            return_focus: Rc::default(),
        };
        // A banner shown on arrival takes focus, unless the visitor is already somewhere.
        if let Some(section) = banner.section() {
            if !section.has_attribute("hidden") && focused().is_none() {
                let _ = section.focus();
            }
        }
        listen(&banner.root, "submit", {
            let banner = banner.clone();
            move |ev: Event| {
                ev.prevent_default();
                banner.send_choice(ev.unchecked_ref());
            }
        });
        listen(&banner.root, "keydown", {
            let banner = banner.clone();
            move |ev: Event| {
                // Escape never counts as a choice: it folds the switches away, and closes a
                // banner that was reopened (the earlier choice stands).
                if ev.unchecked_ref::<KeyboardEvent>().key() == "Escape" {
                    ev.prevent_default();
                    banner.escape();
                }
            }
        });
        // "Çerez tercihleri" in the footer opens the banner in place.
        listen(&window(), "click", move |ev: Event| {
            if closest_to_event(&ev, wire::consent::OPEN_PREFERENCES_SELECTOR).is_some() {
                ev.prevent_default();
                banner.open(true);
            }
        });
    }

    /// The form's switch for a category.
    fn switch(form: &Element, name: &str) -> Option<HtmlInputElement> {
        find(form, &format!("input[name={name}]"))?.dyn_into().ok()
    }

    fn focused() -> Option<HtmlElement> {
        document()
            .active_element()
            .and_then(|el| el.dyn_into::<HtmlElement>().ok())
            .filter(|el| el.tag_name() != "BODY")
    }

    impl Banner {
        fn section(&self) -> Option<HtmlElement> {
            find(&self.root, "#cerez-bildirimi")?.dyn_into().ok()
        }

        fn open(&self, with_preferences: bool) {
            let Some(section) = self.section() else {
                return;
            };
            *self.return_focus.borrow_mut() = focused();
            section.remove_attribute("hidden").ok();
            if let Some(details) = find(&self.root, "details") {
                if with_preferences {
                    details.set_attribute("open", "").ok();
                }
            }
            let _ = section.focus();
        }

        fn close(&self) {
            if let Some(section) = self.section() {
                section.set_attribute("hidden", "").ok();
            }
            if let Some(details) = find(&self.root, "details") {
                details.remove_attribute("open").ok();
            }
            // Back where the visitor was; or the page's content when the banner came first.
            let back = self.return_focus.borrow_mut().take();
            let target = back.map(Element::from).or_else(|| {
                let main = document().get_element_by_id("icerik")?;
                if !main.has_attribute("tabindex") {
                    main.set_attribute("tabindex", "-1").ok();
                }
                Some(main)
            });
            focus(target);
        }

        fn escape(&self) {
            if let Some(details) = find(&self.root, "details[open]") {
                details.remove_attribute("open").ok();
                focus(find(&self.root, "summary"));
                return;
            }
            if matches!(
                consent::use_consent().get_untracked(),
                ConsentState::Chosen(_)
            ) {
                self.close();
            }
        }

        fn send_choice(&self, ev: &SubmitEvent) {
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            else {
                return;
            };
            let action = ev
                .submitter()
                .and_then(|button| button.get_attribute("value"))
                .unwrap_or_default();
            let mut body = format!(
                "{}={action}&{}={}",
                wire::consent::CHOICE,
                wire::LOCALE,
                crate::client::fetch::page_locale().code()
            );
            for category in ConsentCategory::OPTIONAL {
                let name = category.field();
                if switch(&form, name).is_some_and(|input| input.checked()) {
                    body.push_str(&format!("&{name}=1"));
                }
            }
            let error = find(&form, ".cookie-form__error");
            let banner = self.clone();
            spawn(async move {
                let answer = send(
                    "POST",
                    wire::consent::PATH,
                    Some(&body),
                    &[
                        ("content-type", "application/x-www-form-urlencoded"),
                        (wire::consent::ISLAND_HEADER, "1"),
                    ],
                )
                .await;
                let state = answer
                    .filter(|answer| answer.ok)
                    .and_then(|answer| answer.header(wire::consent::STATE_HEADER))
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
                for category in ConsentCategory::OPTIONAL {
                    if let Some(input) = switch(&form, category.field()) {
                        input.set_checked(choice.allows(category));
                    }
                }
                consent::set(state);
                banner.close();
            });
        }
    }
}
