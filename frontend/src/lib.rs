#![recursion_limit = "512"]

//! The browser entry point. Pages are rendered on the server; this bundle
//! holds the islands (`#[island]` in `app`), which the page's loader wakes
//! one by one (`app::hydration`).

use wasm_bindgen::prelude::wasm_bindgen;

/// Starts the reactive runtime the islands run on.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

/// Called by the loader after in-site navigation replaced the page: islands
/// that left it are disposed.
#[wasm_bindgen]
pub fn islands_left() {
    app::islands::dispose_gone();
}
