use leptos::prelude::*;

use crate::client::island::{island_root, Root};

/// "LES MENÜ": the main navigation, a drawer on small screens. Its children are the toggle (a
/// link to `#les-menu`, `data-menu-toggle`) and the drawer (`<nav id="les-menu">`), rendered by
/// the header.
///
/// Without JavaScript the toggle is a link and CSS opens the drawer with `:target`, so crawlers
/// and script-less visitors still reach every link. Once live the island takes over: it toggles
/// without touching the URL (`data-open` on its root), reports the state with `aria-expanded`,
/// moves focus into the drawer, and Escape or the drawer's close link (`data-menu-close`) closes
/// it and returns focus to the toggle.
#[island]
pub fn MenuDrawer(children: Children) -> impl IntoView {
    let root = Root::new();
    #[cfg(feature = "hydrate")]
    crate::client::island::when_live(move || browser::start(root));
    island_root("main-nav", root, children)
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, Event, KeyboardEvent};

    use crate::client::dom::{closest_to_event, find, focus, toggle_attribute};
    use crate::client::island::{after_paint, element, listen, Root};

    use crate::wire::menu::{CLOSE_SELECTOR, TOGGLE_SELECTOR as TOGGLE};
    use crate::wire::state::{HYDRATED, OPEN};

    pub fn start(root: Root) {
        let Some(root) = element(root) else { return };
        toggle_attribute(&root, HYDRATED, true);
        let on_click = {
            let root = root.clone();
            move |ev: Event| {
                if closest_to_event(&ev, TOGGLE).is_some() {
                    ev.prevent_default();
                    let open = !root.has_attribute(OPEN);
                    set_open(&root, open);
                } else if closest_to_event(&ev, CLOSE_SELECTOR).is_some() {
                    ev.prevent_default();
                    set_open(&root, false);
                }
            }
        };
        listen(&root, "click", on_click);
        let on_key = {
            let root = root.clone();
            move |ev: Event| {
                let key = ev.unchecked_ref::<KeyboardEvent>().key();
                let open = root.has_attribute(OPEN);
                // The toggle is a link with the role of a button, and buttons answer to the
                // space bar too.
                if key == " " && closest_to_event(&ev, TOGGLE).is_some() {
                    ev.prevent_default();
                    set_open(&root, !open);
                } else if key == "Escape" && open {
                    ev.prevent_default();
                    set_open(&root, false);
                }
            }
        };
        listen(&root, "keydown", on_key);
    }

    fn set_open(root: &Element, open: bool) {
        toggle_attribute(root, OPEN, open);
        let toggle = find(root, TOGGLE);
        if let Some(toggle) = &toggle {
            toggle
                .set_attribute("aria-expanded", if open { "true" } else { "false" })
                .ok();
        }
        // Focus moves on the next frame, once the drawer is displayed (before, it cannot take focus).
        let first_link = find(root, "#les-menu a");
        after_paint(move || focus(if open { first_link } else { toggle }));
    }
}
