//! Starts the browser bundle after the page has loaded.
//!
//! Leptos' `HydrationScripts` preloads the .wasm at once, where it competes
//! with the lead image for the reader's bandwidth (the largest paint). Every
//! page works without JavaScript, so hydration can wait for `load`.

use leptos::prelude::*;

/// The bundle's file names: content-hashed when cargo-leptos wrote a hash file
/// next to the server binary, as Leptos' own loader resolves them.
#[cfg(feature = "ssr")]
fn read_bundle_names(options: &LeptosOptions) -> (String, String) {
    let name = options.output_name.to_string();
    let (mut js, mut wasm) = (name.clone(), name);
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        for (file, hash) in hashes.lines().filter_map(|l| l.split_once(':')) {
            match file.trim() {
                "js" => js.push_str(&format!(".{}", hash.trim())),
                "wasm" => wasm.push_str(&format!(".{}", hash.trim())),
                _ => {}
            }
        }
    } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        wasm.push_str("_bg");
    }
    (js, wasm)
}

/// Read once in a release build. Under `cargo leptos watch` (a debug build) the
/// client is rebuilt, and renamed, while the server keeps running: read every time.
#[cfg(feature = "ssr")]
fn bundle_names(options: &LeptosOptions) -> (String, String) {
    use std::sync::OnceLock;
    static NAMES: OnceLock<(String, String)> = OnceLock::new();
    if cfg!(debug_assertions) {
        return read_bundle_names(options);
    }
    NAMES.get_or_init(|| read_bundle_names(options)).clone()
}

#[component]
pub fn DeferredHydration(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let script = {
        let (js, wasm) = bundle_names(&options);
        let pkg = &options.site_pkg_dir;
        format!(
            "(()=>{{const go=()=>import('/{pkg}/{js}.js').then(m=>m.default({{module_or_path:'/{pkg}/{wasm}.wasm'}}).then(()=>m.hydrate()));\
             document.readyState==='complete'?go():addEventListener('load',go,{{once:true}});}})()"
        )
    };
    #[cfg(not(feature = "ssr"))]
    let script = {
        let _ = options;
        String::new()
    };
    view! { <script type="module" nonce=leptos::nonce::use_nonce() inner_html=script></script> }
}
