//! The cart store: one reactive cart per browser tab, shared by every island (header count,
//! "Sepete ekle", the cart page), persisted in localStorage (through gloo-storage) so it
//! survives reloads, and kept in step with other tabs through the `storage` event. It is
//! strictly necessary storage (the shopper put things in the cart), so it works before any
//! cookie choice.
//!
//! The stored text is [`encode_items`]'s one-line format with its version in front, not JSON:
//! the browser's WASM carries no JSON library (see `scripts/size.sh`).
//!
//! The server renders islands too, but it never knows a visitor's cart: there the store is
//! always empty and islands show their placeholder until they are live in the browser.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
use crate::model::cart::{decode_items, encode_items};
use crate::model::cart::{CartItem, MAX_LINES, MAX_QUANTITY_PER_LINE};
use crate::model::Money;

/// The localStorage key.
pub use crate::model::consent::CART_STORAGE_KEY as STORAGE_KEY;

/// Why the store has something to tell the shopper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreNotice {
    /// The saved cart could not be read (old format or damaged) and was emptied.
    UnreadableCartDropped,
}

/// The items in the browser's cart, and a notice for the shopper.
#[derive(Clone, Debug)]
pub struct CartStore {
    pub items: ArcRwSignal<Vec<CartItem>>,
    pub notice: ArcRwSignal<Option<StoreNotice>>,
}

impl CartStore {
    fn empty() -> Self {
        Self {
            items: ArcRwSignal::new(Vec::new()),
            notice: ArcRwSignal::new(None),
        }
    }

    pub fn count(&self) -> i64 {
        self.items
            .with(|items| items.iter().map(|i| i.quantity).sum())
    }

    /// Replaces the items and saves them.
    pub fn set_items(&self, items: Vec<CartItem>) {
        save(&items);
        self.items.set(items);
    }

    /// Adds one of `variant_id`, remembering the price the shopper saw (if any). Returns the
    /// items as they were, so the caller can roll back if the server refuses.
    pub fn add(&self, variant_id: i64, seen_price: Option<Money>) -> Vec<CartItem> {
        let before = self.items.get_untracked();
        let mut items = before.clone();
        let lines = items.len();
        match items.iter_mut().find(|item| item.variant_id == variant_id) {
            Some(item) => {
                item.quantity = (item.quantity + 1).min(MAX_QUANTITY_PER_LINE);
                item.seen_price = seen_price.or(item.seen_price);
            }
            None if lines < MAX_LINES => items.push(CartItem {
                variant_id,
                quantity: 1,
                seen_price,
            }),
            None => return before,
        }
        self.set_items(items);
        before
    }

    /// Sets the quantity of a line; zero removes it.
    pub fn set_quantity(&self, variant_id: i64, quantity: i64) {
        let mut items = self.items.get_untracked();
        if quantity <= 0 {
            items.retain(|item| item.variant_id != variant_id);
        } else if let Some(item) = items.iter_mut().find(|i| i.variant_id == variant_id) {
            item.quantity = quantity.min(MAX_QUANTITY_PER_LINE);
        }
        self.set_items(items);
    }

    /// Takes the server's corrected items (quantities cut to stock, prices now shown), unless
    /// the shopper changed the cart while the answer was on its way.
    pub fn apply_corrections(&self, asked: &[CartItem], corrected: Vec<CartItem>) {
        let unchanged = self.items.with_untracked(|items| items.as_slice() == asked);
        if unchanged && corrected != asked {
            self.set_items(corrected);
        }
    }
}

/// The store of this tab.
pub fn use_cart() -> CartStore {
    #[cfg(feature = "hydrate")]
    {
        browser::STORE.with(|store| store.clone())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        CartStore::empty()
    }
}

#[cfg(feature = "hydrate")]
fn save(items: &[CartItem]) {
    use crate::wire::member_cart::{ENDPOINT, MEMBER_FLAG_KEY};
    use gloo_storage::{LocalStorage, Storage};
    let line = encode_items(items);
    // A full or disabled storage only means the cart is not kept across reloads.
    let _ = LocalStorage::raw().set_item(STORAGE_KEY, &line);
    // A member's cart follows them: the server keeps a copy for their other devices. A
    // browser whose session is gone is told so and stops sending.
    if LocalStorage::raw()
        .get_item(MEMBER_FLAG_KEY)
        .ok()
        .flatten()
        .is_some()
    {
        leptos::task::spawn_local(async move {
            let answer = crate::client::fetch::send("POST", ENDPOINT, Some(&line), &[]).await;
            if answer.is_some_and(|answer| !answer.ok) {
                let _ = LocalStorage::raw().remove_item(MEMBER_FLAG_KEY);
            }
        });
    }
}

#[cfg(not(feature = "hydrate"))]
fn save(_items: &[CartItem]) {}

#[cfg(feature = "hydrate")]
mod browser {
    use gloo_storage::{LocalStorage, Storage};

    use super::*;

    thread_local! {
        pub static STORE: CartStore = load_and_listen();
    }

    /// Builds the tab's store from localStorage and follows changes other tabs make.
    fn load_and_listen() -> CartStore {
        let store = CartStore::empty();
        read_into(&store.items, &store.notice);
        // The order page right after ordering: what was in the cart is now an order (the
        // other tabs hear of it through the `storage` event).
        let placed = document().query_selector(crate::wire::checkout::ORDER_PLACED_SELECTOR);
        if placed.ok().flatten().is_some() {
            LocalStorage::delete(STORAGE_KEY);
            store.items.set(Vec::new());
        }
        follow_member(&store);
        let items = store.items.clone();
        let notice = store.notice.clone();
        // The `storage` event fires in every other tab of this origin when one tab writes
        // (with no key when storage was cleared).
        crate::client::island::listen(&window(), "storage", move |event| {
            use leptos::wasm_bindgen::JsCast;
            let event: &leptos::web_sys::StorageEvent = event.unchecked_ref();
            if event.key().is_none_or(|key| key == STORAGE_KEY) {
                read_into(&items, &notice);
            }
        });
        store
    }

    /// The page's cues about a member (`wire::member_cart`): their private pages say the cart
    /// is theirs (send its changes), the first one after login carries the merged cart to take,
    /// and Giriş after they leave says to forget them and empty the cart. The login form's
    /// hidden field gets the cart, for the server to merge.
    fn follow_member(store: &CartStore) {
        use crate::wire::member_cart::{
            ADOPT, ADOPT_SELECTOR, FORM_FIELD_SELECTOR, LEFT_SELECTOR, MEMBER_FLAG_KEY,
            MEMBER_SELECTOR,
        };
        use leptos::wasm_bindgen::JsCast;
        let find = |selector: &str| document().query_selector(selector).ok().flatten();
        if find(LEFT_SELECTOR).is_some() {
            LocalStorage::delete(MEMBER_FLAG_KEY);
            LocalStorage::delete(STORAGE_KEY);
            store.items.set(Vec::new());
        }
        if find(MEMBER_SELECTOR).is_some() {
            let _ = LocalStorage::raw().set_item(MEMBER_FLAG_KEY, "1");
        }
        let adopted = find(ADOPT_SELECTOR)
            .and_then(|marker| marker.get_attribute(ADOPT))
            .and_then(|line| decode_items(&line));
        if let Some(items) = adopted {
            store.set_items(items);
        }
        if let Some(field) = find(FORM_FIELD_SELECTOR)
            .and_then(|field| field.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        {
            field.set_value(&encode_items(&store.items.get_untracked()));
        }
    }

    fn read_into(items: &ArcRwSignal<Vec<CartItem>>, notice: &ArcRwSignal<Option<StoreNotice>>) {
        let raw = LocalStorage::raw().get_item(STORAGE_KEY).ok().flatten();
        let stored = match raw.as_deref().map(decode_items) {
            None => Vec::new(),
            Some(Some(stored)) => stored
                .into_iter()
                .filter(|item| item.quantity > 0)
                .take(MAX_LINES)
                .collect(),
            Some(None) => {
                LocalStorage::delete(STORAGE_KEY);
                notice.set(Some(StoreNotice::UnreadableCartDropped));
                Vec::new()
            }
        };
        items.set(stored);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_counts_up_to_the_line_limit_and_returns_what_was_there() {
        let store = CartStore::empty();
        assert!(store.add(4, Some(Money(100))).is_empty());
        let before = store.add(4, None);
        assert_eq!(before.len(), 1);
        assert_eq!(store.count(), 2);
        assert_eq!(
            store.items.get_untracked()[0].seen_price,
            Some(Money(100)),
            "a price once seen is kept"
        );
        for _ in 0..20 {
            store.add(4, Some(Money(100)));
        }
        assert_eq!(store.count(), MAX_QUANTITY_PER_LINE);
        store.set_quantity(4, 0);
        assert_eq!(store.count(), 0);
    }

    #[test]
    fn corrections_apply_only_to_the_cart_that_was_asked_about() {
        let store = CartStore::empty();
        store.add(4, None);
        let asked = store.items.get_untracked();
        let corrected = vec![CartItem {
            variant_id: 4,
            quantity: 1,
            seen_price: Some(Money(500)),
        }];
        store.add(5, None); // changed meanwhile
        store.apply_corrections(&asked, corrected.clone());
        assert_eq!(store.items.get_untracked().len(), 2);
        store.set_quantity(5, 0);
        let asked = store.items.get_untracked();
        store.apply_corrections(&asked, corrected.clone());
        assert_eq!(store.items.get_untracked(), corrected);
    }
}
