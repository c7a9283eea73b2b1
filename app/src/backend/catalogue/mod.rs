//! The catalogue: an in-memory snapshot of categories, products, variants and images
//! ([`snapshot`]), and the page data computed from it ([`views`]).

pub mod campaigns;
pub mod changes;
pub mod snapshot;
pub mod views;

pub use snapshot::{CatalogueCache, Snapshot};
