//! The visitor's cookie choice as the browser knows it. The consent cookie is HttpOnly, so the
//! server writes the state on the page instead (`<html data-cerez="yok|100…">`, see
//! `ConsentState::token`); the cookie banner's island updates it after a choice made without
//! a reload. Code that is not strictly necessary asks [`use_consent`] first, and
//! [`enforce`] removes whatever a withdrawn consent no longer allows.

use leptos::prelude::*;

use crate::model::consent::ConsentState;

/// The attribute on `<html>` that carries the state.
pub use crate::wire::consent::PAGE_STATE as PAGE_ATTRIBUTE;

/// The consent state of this tab, shared by every island.
pub fn use_consent() -> ArcRwSignal<ConsentState> {
    #[cfg(feature = "hydrate")]
    {
        browser::STATE.with(Clone::clone)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // The server renders islands before any choice is known to them: nothing optional runs.
        ArcRwSignal::new(ConsentState::Unasked)
    }
}

/// Records a choice made in this tab: on the page (for styles and tests), in the shared state,
/// and in the browser's storage (what is no longer allowed is deleted).
pub fn set(state: ConsentState) {
    #[cfg(feature = "hydrate")]
    {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute(PAGE_ATTRIBUTE, &state.token());
        }
        enforce(&state);
        use_consent().set(state);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}

/// Deletes from the browser's storage what `state` does not allow.
pub fn enforce(state: &ConsentState) {
    #[cfg(feature = "hydrate")]
    {
        use crate::model::consent::{StorageKind, BROWSER_STORAGE};
        use gloo_storage::{LocalStorage, Storage};
        let choice = state.choice();
        for entry in BROWSER_STORAGE {
            if entry.kind == StorageKind::LocalStorage && !choice.allows(entry.category) {
                LocalStorage::delete(entry.name);
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;

    thread_local! {
        pub static STATE: ArcRwSignal<ConsentState> = {
            let token = document()
                .document_element()
                .and_then(|html| html.get_attribute(PAGE_ATTRIBUTE))
                .unwrap_or_default();
            let state = ConsentState::from_token(&token);
            // A choice withdrawn without JavaScript (the plain form) is enforced here, on the
            // next page that runs scripts.
            enforce(&state);
            ArcRwSignal::new(state)
        };
    }
}
