//! The WASM entry point. Everything the browser runs lives in `app`; this crate only starts it.

// The islands are `#[wasm_bindgen]` exports inside `app`; nothing here names them, so the crate
// must be linked explicitly or they would be left out of the WASM.
extern crate app;

/// Called by the script `HydrationScripts` puts in every page: wakes the islands the server
/// rendered. The rest of the page stays plain HTML.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panic messages in the console are for developers (`cargo leptos watch`); in the release
    // build a panic shows as "unreachable" and the formatting code stays out of what phones
    // download (about 0.9 kB brotli, scripts/size.sh).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
