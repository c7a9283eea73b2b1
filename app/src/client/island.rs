//! The one shape every island has, and the few doors through which islands reach Leptos and the
//! DOM.
//!
//! Every byte of the WASM is downloaded by every phone (budget: `scripts/size.sh`). Leptos is
//! generic: each distinct view type, event handler, effect closure or future is compiled into its
//! own copy of the framework code that drives it. So islands here:
//! - all render the same view, [`island_root`]: a `<div>` around their server-rendered children,
//!   so the code that hydrates an island exists once;
//! - act on that markup through the DOM (attributes, `data-*` hooks) instead of reactive view
//!   attributes, each of which would be another type;
//! - hand closures and futures to the framework boxed ([`react`], [`when_live`], [`listen`],
//!   [`spawn`], [`after_paint`]), so each framework function is compiled once, not once per
//!   closure.
//!
//! Moving the six islands to this shape took the WASM from 71.3 to 55.2 kB brotli (tachys'
//! share of the code from 23 to 5 kB raw). A new island that renders its own view or passes
//! closures to Leptos directly will cost far more than its own code.
//!
//! The reactive state islands share (the cart, the cookie choice) is still signals; [`react`]
//! is how an island follows them. Only islands' browser code calls these helpers; they compile
//! for the server too because islands are rendered there first.

use std::cell::Cell;
use std::future::Future;

use leptos::prelude::*;
use leptos::{html, web_sys};

/// The root element of an island, filled in when the island hydrates.
pub type Root = NodeRef<html::Div>;

/// Every island's view: `<div class=…>` around its server-rendered children.
pub fn island_root(class: &'static str, root: Root, children: Children) -> impl IntoView {
    view! { <div class=class node_ref=root>{children()}</div> }
}

/// The island's root element once it is live (`None` on the server and before hydration).
pub fn element(root: Root) -> Option<web_sys::HtmlElement> {
    root.get_untracked().map(Into::into)
}

/// Runs `effect` once the island is live in the browser, and again whenever a signal it reads
/// changes. Never runs on the server.
pub fn react(effect: impl Fn() + 'static) {
    react_boxed(Box::new(effect));
}

fn react_boxed(effect: Box<dyn Fn()>) {
    Effect::new(move |_: Option<()>| effect());
}

/// Runs `start` once, when the island is live: where islands attach their listeners. Signals
/// read inside do not make it run again.
pub fn when_live(start: impl FnOnce() + 'static) {
    let start: Cell<Option<Box<dyn FnOnce()>>> = Cell::new(Some(Box::new(start)));
    react(move || {
        if let Some(start) = start.take() {
            untrack(start);
        }
    });
}

/// Calls `handler` for every `event` on `target`, for as long as the page lives (islands are
/// never unmounted: there is no client-side navigation).
#[cfg(feature = "hydrate")]
pub fn listen(
    target: &web_sys::EventTarget,
    event: &str,
    handler: impl FnMut(web_sys::Event) + 'static,
) {
    listen_boxed(target, event, Box::new(handler));
}

#[cfg(feature = "hydrate")]
fn listen_boxed(
    target: &web_sys::EventTarget,
    event: &str,
    handler: Box<dyn FnMut(web_sys::Event)>,
) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    let closure = Closure::wrap(handler);
    target
        .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
        .ok();
    closure.forget();
}

/// Runs a future on the page's event loop (a request to the server and what follows it).
pub fn spawn(task: impl Future<Output = ()> + 'static) {
    spawn_boxed(Box::pin(task));
}

fn spawn_boxed(task: std::pin::Pin<Box<dyn Future<Output = ()>>>) {
    leptos::task::spawn_local(task);
}

/// Runs `then` on the next animation frame, once the styles of the current changes apply: focus
/// can only move to an element once it is displayed.
pub fn after_paint(then: impl FnOnce() + 'static) {
    after_paint_boxed(Box::new(then));
}

fn after_paint_boxed(then: Box<dyn FnOnce()>) {
    request_animation_frame(then);
}
