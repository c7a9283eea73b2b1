//! Payment providers. Checkout will talk to them through a `PaymentProvider` trait (issue 13);
//! what exists so far is the part every provider and the built-in sandbox share: the signatures
//! on what we send and on what they answer, with the providers' published test vectors.

pub mod signature;
