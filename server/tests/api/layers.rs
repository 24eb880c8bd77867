//! The layer rule, checked on the source: handler → service → store → database.
//! SQL lives only in `store.rs` files (and the `db` module); a store imports nothing
//! from above it; an area reaches another area through its service, never its
//! store (a store may append to the live log in its own transaction).

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its `#[cfg(test)]` module (tests may poke the tables).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

fn all_sources() -> Vec<(String, String)> {
    let root = crate::helpers::workspace();
    let mut files = Vec::new();
    sources(&root.join("app/src"), &mut files);
    sources(&root.join("server/src"), &mut files);
    files
        .into_iter()
        // The bench seeds its fixtures straight into the tables; it is a tool, not a layer.
        .filter(|p| !p.starts_with(root.join("server/src/bin/bench")))
        .map(|p| (p.strip_prefix(&root).unwrap().display().to_string(), code(&p)))
        .collect()
}

fn is_store(path: &str) -> bool {
    path.ends_with("/store.rs") || path.contains("/store/")
}

#[test]
fn sql_lives_only_in_stores() {
    for (path, code) in all_sources() {
        // `db` is the database itself: connecting, migrating, copying a site.
        if is_store(&path) || path.contains("app/src/db/") {
            continue;
        }
        for needle in ["sqlx::query", "query_as(", "query_scalar("] {
            assert!(!code.contains(needle), "{path} runs SQL ({needle}); move it to its area's store.rs");
        }
    }
}

#[test]
fn stores_import_nothing_from_above() {
    for (path, code) in all_sources().into_iter().filter(|(p, _)| is_store(p)) {
        // Whole `use` statements, however many lines they span.
        let uses: Vec<&str> = code.split(';').map(str::trim_start).filter(|s| s.starts_with("use ")).collect();
        for above in ["service", "content", "state", "leptos", "axum"] {
            let uses_above = uses.iter().any(|u| u.contains(above)) || code.contains(&format!("super::{above}"));
            assert!(!uses_above, "{path} imports `{above}`, which sits above the store");
        }
    }
}

#[test]
fn areas_reach_each_other_through_services_not_stores() {
    for (path, code) in all_sources() {
        if is_store(&path) {
            continue;
        }
        for line in code.lines() {
            let foreign_store = ["crate::", "app::"].iter().any(|p| {
                line.split(p).skip(1).any(|rest| rest.split("::").nth(1).is_some_and(|seg| seg.starts_with("store")))
            });
            assert!(!foreign_store, "{path} reaches into another area's store: {}", line.trim());
        }
    }
}

#[test]
fn services_never_read_the_http_request() {
    for (path, code) in all_sources().into_iter().filter(|(p, _)| p.ends_with("/service.rs")) {
        for needle in ["use_context::<Parts>", "ResponseOptions", "HeaderMap", "leptos_axum", "request::"] {
            assert!(!code.contains(needle), "{path} reads the HTTP exchange ({needle}); take it as an argument");
        }
    }
    // Server functions reach the request only through `auth::request`, which runs the shared extractors.
    for (path, code) in all_sources() {
        if !path.ends_with("app/src/auth/request.rs") {
            assert!(!code.contains("use_context::<Parts>"), "{path} reads the request itself; use auth::request");
        }
    }
}

#[test]
fn cookies_are_built_and_read_in_one_place() {
    for (path, code) in all_sources() {
        if path.ends_with("app/src/auth/cookies.rs") {
            continue;
        }
        for needle in ["HttpOnly;", "Max-Age=", "SameSite=", "header::COOKIE", "insert(header::SET_COOKIE"] {
            assert!(!code.contains(needle), "{path} writes or parses a cookie by hand ({needle}); use auth::cookies");
        }
    }
}
