//! Server functions (`#[server]`), one module per area. They stay thin: check who is asking,
//! then call into `backend`. The catalogue, cart, consent, checkout and account issues add
//! their modules here.
