//! The cart store: one reactive cart per browser tab, shared by every island (header count,
//! "Sepete ekle", the cart page), persisted in localStorage so it survives reloads, and kept in
//! step with other tabs through the `storage` event. It is strictly necessary storage (the
//! shopper put things in the cart), so it works before any cookie choice.
//!
//! The server renders islands too, but it never knows a visitor's cart: there the store is
//! always empty and islands show their placeholder until they are live in the browser.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::cart::{CartItem, PricedCart, MAX_LINES, MAX_QUANTITY_PER_LINE};
use crate::model::Money;

/// The localStorage key.
pub const STORAGE_KEY: &str = "lesminoria.sepet";
/// Bumped whenever the stored shape changes; an older or unreadable cart is dropped with a
/// notice rather than misread.
pub const STORED_VERSION: u32 = 1;

/// What is written to localStorage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCart {
    pub v: u32,
    pub items: Vec<CartItem>,
}

/// Why the store has something to tell the shopper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreNotice {
    /// The saved cart could not be read (old format or damaged) and was emptied.
    UnreadableCartDropped,
}

/// The items in the browser's cart, the server's latest pricing of them, and a notice.
#[derive(Clone, Debug)]
pub struct CartStore {
    pub items: ArcRwSignal<Vec<CartItem>>,
    pub priced: ArcRwSignal<Option<PricedCart>>,
    pub notice: ArcRwSignal<Option<StoreNotice>>,
}

impl CartStore {
    fn empty() -> Self {
        Self {
            items: ArcRwSignal::new(Vec::new()),
            priced: ArcRwSignal::new(None),
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

    /// Adds one of `variant_id`, remembering the price the shopper saw. Returns the items as
    /// they were, so the caller can roll back if the server refuses.
    pub fn add(&self, variant_id: i64, seen_price: Money) -> Vec<CartItem> {
        let before = self.items.get_untracked();
        let mut items = before.clone();
        let lines = items.len();
        match items.iter_mut().find(|item| item.variant_id == variant_id) {
            Some(item) => {
                item.quantity = (item.quantity + 1).min(MAX_QUANTITY_PER_LINE);
                item.seen_price = Some(seen_price);
            }
            None if lines < MAX_LINES => items.push(CartItem {
                variant_id,
                quantity: 1,
                seen_price: Some(seen_price),
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

    /// Takes the server's answer: its lines become the cart (corrected quantities, prices now
    /// shown), unless the shopper changed the cart while the answer was on its way.
    pub fn apply_pricing(&self, asked: &[CartItem], priced: PricedCart) {
        if self.items.with_untracked(|items| items.as_slice() == asked) {
            let corrected = priced.items();
            if corrected != asked {
                self.set_items(corrected);
            }
        }
        self.priced.set(Some(priced));
    }
}

/// Reads a stored cart; `None` when it cannot be used (another version, or damaged).
pub fn parse_stored(raw: &str) -> Option<Vec<CartItem>> {
    match serde_json::from_str::<StoredCart>(raw) {
        Ok(stored) if stored.v == STORED_VERSION => Some(
            stored
                .items
                .into_iter()
                .filter(|item| item.quantity > 0)
                .take(MAX_LINES)
                .collect(),
        ),
        _ => None,
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
    browser::save(items);
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
        let items = store.items.clone();
        let notice = store.notice.clone();
        // The `storage` event fires in every other tab of this origin when one tab writes
        // (with no key when storage was cleared).
        let handle = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().is_none_or(|key| key == STORAGE_KEY) {
                read_into(&items, &notice);
            }
        });
        // The store lives as long as the tab.
        std::mem::forget(handle);
        store
    }

    fn read_into(items: &ArcRwSignal<Vec<CartItem>>, notice: &ArcRwSignal<Option<StoreNotice>>) {
        let raw = LocalStorage::raw().get_item(STORAGE_KEY).ok().flatten();
        let stored = match raw.as_deref().map(parse_stored) {
            None => Vec::new(),
            Some(Some(stored)) => stored,
            Some(None) => {
                LocalStorage::delete(STORAGE_KEY);
                notice.set(Some(StoreNotice::UnreadableCartDropped));
                Vec::new()
            }
        };
        items.set(stored);
    }

    pub fn save(items: &[CartItem]) {
        let stored = StoredCart {
            v: STORED_VERSION,
            items: items.to_vec(),
        };
        // A full or disabled storage only means the cart is not kept across reloads.
        let _ = LocalStorage::set(STORAGE_KEY, stored);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_cart_of_this_version_is_read() {
        let raw = r#"{"v":1,"items":[{"variant_id":4,"quantity":2,"seen_price":12000},{"variant_id":5,"quantity":0}]}"#;
        assert_eq!(
            parse_stored(raw),
            Some(vec![CartItem {
                variant_id: 4,
                quantity: 2,
                seen_price: Some(Money(12_000)),
            }])
        );
    }

    #[test]
    fn old_or_damaged_carts_are_refused() {
        for raw in [
            r#"{"v":0,"items":[]}"#,
            r#"[{"id":4,"qty":2}]"#,
            "{",
            "null",
            r#"{"v":1,"items":"many"}"#,
        ] {
            assert_eq!(parse_stored(raw), None, "{raw}");
        }
    }

    #[test]
    fn adding_counts_up_to_the_line_limit_and_returns_what_was_there() {
        let store = CartStore::empty();
        assert!(store.add(4, Money(100)).is_empty());
        let before = store.add(4, Money(100));
        assert_eq!(before.len(), 1);
        assert_eq!(store.count(), 2);
        for _ in 0..20 {
            store.add(4, Money(100));
        }
        assert_eq!(store.count(), MAX_QUANTITY_PER_LINE);
        store.set_quantity(4, 0);
        assert_eq!(store.count(), 0);
    }
}
