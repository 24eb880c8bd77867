#![recursion_limit = "512"]

//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::enhance::install();
    leptos::mount::hydrate_body(app::App);
    app::enhance::mark_hydrated();
}
