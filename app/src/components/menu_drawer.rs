use leptos::{html, prelude::*};

use crate::client::dom::closest_to_event;

/// "LES MENÜ": the main navigation, a drawer on small screens.
///
/// Without JavaScript the toggle is a link to `#les-menu` and CSS opens the drawer with
/// `:target`, so crawlers and script-less visitors still reach every link. Once hydrated the
/// island takes over: it toggles without touching the URL, reports the state with
/// `aria-expanded`, moves focus into the drawer, and Escape closes it and returns focus.
#[island]
pub fn MenuDrawer(children: Children) -> impl IntoView {
    let open = RwSignal::new(false);
    // Effects run only in the browser: the attribute appears once the island is live, for
    // tests and for styles that should only apply when the WASM has taken over.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    let toggle_ref = NodeRef::<html::A>::new();
    let drawer_ref = NodeRef::<html::Nav>::new();

    // Focus moves after the browser has applied the new class, otherwise the target is still
    // `display: none` and cannot take focus.
    let focus_after_paint = move |into_drawer: bool| {
        request_animation_frame(move || {
            if into_drawer {
                let first_link = drawer_ref
                    .get()
                    .and_then(|drawer| drawer.query_selector("a").ok().flatten())
                    .and_then(|el| {
                        use leptos::wasm_bindgen::JsCast;
                        el.dyn_into::<leptos::web_sys::HtmlElement>().ok()
                    });
                if let Some(link) = first_link {
                    let _ = link.focus();
                }
            } else if let Some(toggle) = toggle_ref.get() {
                let _ = toggle.focus();
            }
        });
    };

    let toggle = move || {
        let now_open = !open.get_untracked();
        open.set(now_open);
        focus_after_paint(now_open);
    };
    let on_toggle_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        toggle();
    };
    // The toggle is a link (so it works without JavaScript) with the role of a button, and
    // buttons also answer to the space bar.
    let on_toggle_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == " " {
            ev.prevent_default();
            toggle();
        }
    };

    // The close link is server-rendered inside the drawer (in the page's language) and marked
    // `data-menu-close`. Taking no props keeps serde out of this island's WASM.
    let on_drawer_click = move |ev: leptos::ev::MouseEvent| {
        if closest_to_event(&ev, "[data-menu-close]").is_some() {
            ev.prevent_default();
            open.set(false);
            focus_after_paint(false);
        }
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            open.set(false);
            focus_after_paint(false);
        }
    };

    view! {
        <div
            class="main-nav"
            class:main-nav--open=move || open.get()
            data-hydrated=move || hydrated.get().then_some("true")
            on:keydown=on_keydown
        >
            <a
                node_ref=toggle_ref
                href="#les-menu"
                id="les-menu-toggle"
                class="main-nav__toggle"
                role="button"
                aria-controls="les-menu"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                on:click=on_toggle_click
                on:keydown=on_toggle_key
            >
                <span class="main-nav__icon" aria-hidden="true"></span>
                "LES MENÜ"
            </a>
            <nav
                node_ref=drawer_ref
                id="les-menu"
                class="main-nav__drawer"
                aria-label="LES MENÜ"
                on:click=on_drawer_click
            >
                {children()}
            </nav>
        </div>
    }
}
