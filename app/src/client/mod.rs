//! Browser-only state shared between islands: the cart store (signals persisted with
//! gloo-storage) and the visitor's cookie choice, and the shape every island shares
//! ([`island`]). Code here must also compile for the server build, because islands are
//! rendered there first; it runs in the browser only (under `cfg(feature = "hydrate")`, or from
//! effects and listeners, which never run on the server).

pub mod cart;
pub mod cart_view_request;
pub mod consent;
pub mod dom;
#[cfg(feature = "hydrate")]
pub mod fetch;
pub mod island;
