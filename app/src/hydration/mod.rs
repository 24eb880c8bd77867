//! Starts the browser bundle after the page has loaded.
//!
//! Pages are rendered on the server and stay there: only their islands
//! (`#[island]`: an article's reactions and comment thread) run in the browser,
//! so the bundle holds their code and nothing else. Leptos' `HydrationScripts`
//! preloads the .wasm at once, where it competes with the lead image for the
//! reader's bandwidth (the largest paint); every page works without
//! JavaScript, so the bundle waits for `load` and the first paint
//! (`loader.js`), and a page
//! without islands loads no bundle at all. Links and forms navigate in place
//! (`navigation.js`), video facades play in place (`facades.js`) and the
//! header's unread count stays live (`bell.js`), all without the bundle.

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

/// The scripts as sent: without their comments and indentation (they hold no
/// multi-line strings).
#[cfg(feature = "ssr")]
fn compact(source: &str) -> String {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[component]
pub fn DeferredHydration(options: LeptosOptions) -> impl IntoView {
    // Outside islands there is nothing to hydrate: no markers, no resource data.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    #[cfg(feature = "ssr")]
    let (bundle, script) = {
        let (js, wasm) = bundle_names(&options);
        let pkg = &options.site_pkg_dir;
        let script = format!(
            "{}\n{}\n{}\n({})({:?}, {:?}, startNavigation, startFacades, startBell);",
            compact(include_str!("navigation.js")),
            compact(include_str!("facades.js")),
            compact(include_str!("bell.js")),
            compact(include_str!("loader.js")),
            format!("/{pkg}/{js}.js"),
            format!("/{pkg}/{wasm}.wasm"),
        );
        (js, script)
    };
    #[cfg(not(feature = "ssr"))]
    let (bundle, script) = {
        let _ = options;
        (String::new(), String::new())
    };
    view! { <script type="module" data-bundle=bundle nonce=leptos::nonce::use_nonce() inner_html=script></script> }
}
