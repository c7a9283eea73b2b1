//! Facts about the brand that every page shows. The full seller identity (trade name, MERSİS,
//! address, KEP) becomes configuration with the legal-pages issue.

/// The shop's public name as it appears in titles and the header.
pub const BRAND_NAME: &str = "Les Minoria";

/// The one address the privacy notice gives for questions, complaints and KVKK requests.
pub const CONTACT_EMAIL: &str = "hello@lesminoria.com";
