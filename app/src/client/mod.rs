//! Browser-only state shared between islands: the cart store (signals persisted with
//! gloo-storage) and the visitor's cookie choice. Code here must also compile for the server
//! build, because islands are rendered there first; browser APIs are only touched under
//! `cfg(feature = "hydrate")`.

pub mod cart;
pub mod cart_view_request;
pub mod consent;
pub mod dom;
#[cfg(feature = "hydrate")]
pub mod fetch;
pub mod island;
