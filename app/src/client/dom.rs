//! Small DOM helpers the islands share: they act on server-rendered markup through
//! selectors and `data-*` attributes (see `client::island` for why).

use leptos::web_sys;

/// The element matching `selector` that an event happened in (its target or an ancestor):
/// how islands recognise clicks on server-rendered buttons and links marked with `data-*`.
pub fn closest_to_event(
    event: &leptos::web_sys::Event,
    selector: &str,
) -> Option<leptos::web_sys::Element> {
    use leptos::wasm_bindgen::JsCast;
    event
        .target()?
        .dyn_into::<leptos::web_sys::Element>()
        .ok()?
        .closest(selector)
        .ok()?
}

/// The first element under `root` that matches `selector`.
pub fn find(root: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
    root.query_selector(selector).ok().flatten()
}

/// Sets (`"true"`) or removes an attribute: the `data-*` flags islands raise for styles and
/// tests (`data-live` once an island has taken over, `data-open`, `data-ready`…).
pub fn toggle_attribute(element: &web_sys::Element, name: &str, on: bool) {
    if on {
        element.set_attribute(name, "true").ok();
    } else {
        element.remove_attribute(name).ok();
    }
}

/// Moves focus to `element` if it is an HTML element that can take it.
pub fn focus(element: Option<web_sys::Element>) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
