//! The islands' one way to ask the server: a same-origin `fetch` with a text body. Islands ask
//! for server-rendered HTML (the cart's views, recently viewed products) or send a form (the
//! cookie choice); a plain `fetch` keeps the server-function client and JSON out of the WASM.

/// The answer's status, headers and body, or `None` when the server could not be reached.
pub struct Answer {
    pub ok: bool,
    /// The address that answered, after any redirect the browser followed.
    pub url: String,
    pub headers: leptos::web_sys::Headers,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).ok().flatten()
    }
}

/// Sends `method url` with `body` (if any) and `headers`; `None` when there was no answer.
pub async fn send(
    method: &str,
    url: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Option<Answer> {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use leptos::web_sys::{Request, RequestInit, Response};
    use wasm_bindgen_futures::JsFuture;

    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(url, &init).ok()?;
    for (name, value) in headers {
        request.headers().set(name, value).ok()?;
    }
    let response: Response = JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let body = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
        .unwrap_or_default();
    Some(Answer {
        ok: response.ok(),
        url: response.url(),
        headers: response.headers(),
        body,
    })
}

/// The page's language, from `<html lang>`.
pub fn page_locale() -> crate::model::Locale {
    let lang = leptos::prelude::document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"));
    crate::model::Locale::from_code(lang.as_deref())
}
