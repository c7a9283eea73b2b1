//! The checkout island: makes the steps at `/odeme` instant once JavaScript runs, while the steps
//! stay plain HTML forms that the server checks and answers (server/src/checkout_form.rs), so
//! the page works the same without it.
//!
//! With it:
//! - a step's form is posted with `fetch`, and the step the server answers with (the next one,
//!   or the same one with each problem beside its field) is swapped in without loading a page;
//!   links between steps and the browser's back and forward buttons work the same way;
//! - the district suggestions follow the province as soon as it is chosen
//!   (`GET /odeme/ilceler?il=34`);
//! - the summary's totals follow the shipping and payment method as they are picked, from
//!   figures the server rendered into the page for every choice (`<template>`s): the browser
//!   computes no money.
//!
//! The review's "Siparişi onayla ve öde" is left to the browser: it leaves the shop for the
//! payment page, which a swap could not show.
//!
//! Only the checkout page needs this code, so it is not in the WASM every page loads: it is
//! compiled only into the checkout's own bundle (feature `checkout-bundle`, crate
//! `frontend-checkout`, chosen by `HeadScripts`). Everywhere else the component is a plain
//! one that the WASM never references.

use leptos::prelude::*;

use crate::client::island::{island_root, Root};

#[cfg_attr(any(feature = "ssr", feature = "checkout-bundle"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "checkout-bundle")), component)]
pub fn CheckoutFlow(children: Children) -> impl IntoView {
    let root = Root::new();
    #[cfg(feature = "checkout-bundle")]
    crate::client::island::when_live(move || {
        if let Some(element) = crate::client::island::element(root) {
            browser::start(element);
        }
    });
    island_root(crate::wire::checkout::FLOW_CLASS, root, children)
}

#[cfg(feature = "checkout-bundle")]
mod browser {
    use std::rc::Rc;

    use leptos::prelude::{document, window};
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use leptos::web_sys::{
        self, js_sys, DomParser, Element, Event, FormData, HtmlElement, HtmlFormElement,
        HtmlInputElement, MouseEvent, SupportedType, UrlSearchParams,
    };

    use crate::client::dom::{closest_to_event, find, focus, toggle_attribute};
    use crate::client::fetch::{send, Answer};
    use crate::client::island::{listen, spawn};
    use crate::model::checkout::page::TotalsForChoice;
    use crate::model::checkout::MethodsField;
    use crate::model::form::FormField;
    use crate::wire::checkout::{
        DISTRICTS_PATH, DISTRICT_LIST, FLOW_CLASS, IN_PLACE_SELECTOR, PROVINCE_QUERY, STEP,
        TOTALS_FOR, TOTALS_SELECTOR,
    };
    use crate::wire::state::LIVE;

    /// Marks a form whose answer is awaited: a second submit is ignored until it comes.
    const BUSY: &str = "aria-busy";

    pub fn start(root: HtmlElement) {
        let root = Rc::new(root);
        let target: &web_sys::EventTarget = root.as_ref();
        listen(target, "change", {
            let root = Rc::clone(&root);
            move |event| changed(&root, &event)
        });
        listen(target, "submit", {
            let root = Rc::clone(&root);
            move |event| submitted(&root, &event)
        });
        listen(target, "click", {
            let root = Rc::clone(&root);
            move |event| clicked(&root, &event)
        });
        // Back and forward between steps this island swapped in: show the step of the address
        // the browser now shows.
        listen(window().as_ref(), "popstate", {
            let root = Rc::clone(&root);
            move |_| {
                let root = Rc::clone(&root);
                let here = window().location().href().unwrap_or_default();
                spawn(async move {
                    if !show_step_at(&root, &here, false).await {
                        window().location().reload().ok();
                    }
                });
            }
        });
        name_the_step_shown(&root);
        toggle_attribute(&root, LIVE, true);
    }

    /// `/odeme` alone shows the furthest step the shopper may see, which changes as they go on:
    /// the address of the first page is made to name its step, so that going back to it shows
    /// that step again.
    fn name_the_step_shown(root: &HtmlElement) {
        let location = window().location();
        if location
            .search()
            .unwrap_or_default()
            .contains(&format!("{STEP}="))
        {
            return;
        }
        let step = find(root, &format!("input[name=\"{STEP}\"]"))
            .and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
            .map(|input| input.value());
        if let (Some(step), Ok(path), Ok(history)) = (step, location.pathname(), window().history())
        {
            let here = format!("{path}?{STEP}={step}");
            history
                .replace_state_with_url(&JsValue::NULL, "", Some(&here))
                .ok();
        }
    }

    /// A province chosen: its districts become the suggestions. A choice of payment or
    /// shipping: the totals of that choice replace the summary's.
    fn changed(root: &HtmlElement, event: &Event) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if let Some(list_id) = target.get_attribute(DISTRICT_LIST) {
            if let Ok(select) = target.dyn_into::<web_sys::HtmlSelectElement>() {
                spawn(follow_province(select, list_id));
            }
        } else if target.get_attribute("type").as_deref() == Some("radio") {
            show_totals_of_choice(root);
        }
    }

    async fn follow_province(select: web_sys::HtmlSelectElement, list_id: String) {
        let code = select.value();
        let Some(list) = document().get_element_by_id(&list_id) else {
            return;
        };
        let names = if code.is_empty() {
            Vec::new()
        } else {
            let url = format!("{DISTRICTS_PATH}?{PROVINCE_QUERY}={code}");
            let Some(answer) = send("GET", &url, None, &[]).await.filter(|a| a.ok) else {
                return;
            };
            district_names(&answer.body)
        };
        // Another province may have been chosen while this one's districts were on their way.
        if select.value() != code {
            return;
        }
        list.set_inner_html("");
        for name in &names {
            if let Ok(option) = document().create_element("option") {
                option.set_attribute("value", name).ok();
                list.append_child(&option).ok();
            }
        }
        // A district typed for the province before is wrong for this one.
        let district = document()
            .query_selector(&format!("input[list=\"{list_id}\"]"))
            .ok()
            .flatten()
            .and_then(|input| input.dyn_into::<HtmlInputElement>().ok());
        if let Some(district) = district {
            let typed = district.value();
            if !typed.is_empty() && !names.contains(&typed) {
                district.set_value("");
            }
        }
    }

    fn district_names(json: &str) -> Vec<String> {
        js_sys::JSON::parse(json)
            .ok()
            .filter(js_sys::Array::is_array)
            .map(|value| {
                js_sys::Array::from(&value)
                    .iter()
                    .filter_map(|name| name.as_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn show_totals_of_choice(root: &HtmlElement) {
        let checked = |field: MethodsField| {
            find(root, &format!("input[name=\"{}\"]:checked", field.name()))
                .and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
                .map(|input| input.value())
                .unwrap_or_default()
        };
        let key = TotalsForChoice::key(
            &checked(MethodsField::Shipping),
            &checked(MethodsField::Payment),
        );
        let template = find(root, &format!("template[{TOTALS_FOR}=\"{key}\"]"));
        let shown = find(root, TOTALS_SELECTOR);
        if let (Some(template), Some(shown)) = (template, shown) {
            shown.set_inner_html(&template.inner_html());
        }
    }

    /// A step's form: posted in the background, the answer swapped in. When the answer is not
    /// a checkout step (an error page, a limit reached, no connection), the form is submitted
    /// the ordinary way, so the shopper sees exactly what the server says.
    fn submitted(root: &Rc<HtmlElement>, event: &Event) {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if form.matches(IN_PLACE_SELECTOR) != Ok(true) {
            return;
        }
        event.prevent_default();
        if form.has_attribute(BUSY) {
            return;
        }
        let Some(body) = FormData::new_with_form(&form)
            .ok()
            .and_then(|data| UrlSearchParams::new_with_str_sequence_sequence(&data).ok())
            .map(|params| String::from(params.to_string()))
        else {
            form.submit().ok();
            return;
        };
        form.set_attribute(BUSY, "true").ok();
        let root = Rc::clone(root);
        let action = form.action();
        spawn(async move {
            let answer = send(
                "POST",
                &action,
                Some(&body),
                &[("content-type", "application/x-www-form-urlencoded")],
            )
            .await;
            form.remove_attribute(BUSY).ok();
            // Accepted, the server sends the browser on to the next step's address; refused,
            // it answers at the form's own address with the same step, which is no new place
            // in the history.
            let moved_on = |answer: &Answer| answer.url != action;
            if !answer.is_some_and(|answer| swap_in(&root, &answer, moved_on(&answer))) {
                form.submit().ok();
            }
        });
    }

    /// A link to another step: fetched and swapped in. Clicks that ask for a new tab or
    /// window are left to the browser.
    fn clicked(root: &Rc<HtmlElement>, event: &Event) {
        let Some(link) = closest_to_event(event, &format!("a{IN_PLACE_SELECTOR}")) else {
            return;
        };
        if let Some(mouse) = event.dyn_ref::<MouseEvent>() {
            if mouse.button() != 0
                || mouse.ctrl_key()
                || mouse.meta_key()
                || mouse.shift_key()
                || mouse.alt_key()
            {
                return;
            }
        }
        let Some(href) = link
            .dyn_ref::<web_sys::HtmlAnchorElement>()
            .map(|a| a.href())
        else {
            return;
        };
        event.prevent_default();
        let root = Rc::clone(root);
        spawn(async move {
            if !show_step_at(&root, &href, true).await {
                window().location().set_href(&href).ok();
            }
        });
    }

    /// Fetches the step at `url` and swaps it in (`remember`: as a new place in the history);
    /// `false` when there was no answer or it held no checkout step.
    async fn show_step_at(root: &HtmlElement, url: &str, remember: bool) -> bool {
        let answer = send("GET", url, None, &[]).await;
        answer.is_some_and(|answer| swap_in(root, &answer, remember))
    }

    /// Puts the checkout step of a server's answer in place of the shown one: the page's
    /// title and address follow, and focus moves to the first field with a problem, or else
    /// to the step's name. `false` when the answer holds no checkout step.
    fn swap_in(root: &HtmlElement, answer: &Answer, remember: bool) -> bool {
        let Some(page) = DomParser::new().ok().and_then(|parser| {
            parser
                .parse_from_string(&answer.body, SupportedType::TextHtml)
                .ok()
        }) else {
            return false;
        };
        let Some(step) = page
            .query_selector(&format!(".{FLOW_CLASS}"))
            .ok()
            .flatten()
        else {
            return false;
        };
        root.set_inner_html(&step.inner_html());
        document().set_title(&page.title());
        if remember && !answer.url.is_empty() {
            let here = window().location().href().unwrap_or_default();
            if answer.url != here {
                if let Ok(history) = window().history() {
                    history
                        .push_state_with_url(&JsValue::NULL, "", Some(&answer.url))
                        .ok();
                }
            }
        }
        let problem = find(root, "[aria-invalid=\"true\"]");
        if problem.is_none() {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
        focus(problem.or_else(|| find(root, "[aria-current=\"step\"]")));
        true
    }
}
