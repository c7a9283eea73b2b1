//! Small DOM helpers the islands share.

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
