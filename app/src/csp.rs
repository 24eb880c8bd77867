//! The Content-Security-Policy of every HTML page: scripts only from this site
//! or inline with this response's nonce (or, for a page served from the page
//! cache, with one of its scripts' hashes), frames only from the video players.

/// The hosts a video facade may load a player from.
pub const PLAYER_HOSTS: &str = "https://www.youtube-nocookie.com https://player.vimeo.com";

pub fn policy(nonce: &str) -> String {
    allowing(&format!("'nonce-{nonce}'"))
}

/// The policy of a page whose inline scripts are known ahead: each one is
/// allowed by its SHA-256 (`hashes` in base64), so the same bytes can be sent
/// to every reader, compressed once.
pub fn policy_for_hashes<'a>(hashes: impl IntoIterator<Item = &'a str>) -> String {
    let sources: Vec<String> = hashes.into_iter().map(|h| format!("'sha256-{h}'")).collect();
    allowing(&sources.join(" "))
}

fn allowing(inline: &str) -> String {
    format!(
        "script-src 'self' {inline} 'wasm-unsafe-eval'; frame-src {PLAYER_HOSTS}; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Sends the policy with the nonce Leptos put on this response's scripts.
#[cfg(feature = "ssr")]
pub fn send_policy() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(value) = http::HeaderValue::from_str(&policy(&nonce)) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// Where a render leaves the nonce Leptos gave its scripts, for the layer
/// that writes the response's policy (`server::middleware`). The policy is
/// also sent through Leptos' response options (`send_policy`), but a render
/// was seen, about once in eighty, to come back without it, and a policy
/// with any other nonce blocks every script on the page.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Default)]
pub struct NonceSlot(std::sync::Arc<std::sync::OnceLock<String>>);

#[cfg(feature = "ssr")]
impl NonceSlot {
    /// The nonce the page's scripts carry, once the render has begun.
    pub fn get(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }
}

/// Leaves this render's nonce in the request's `NonceSlot`; called with the
/// render's other context, before anything is rendered.
#[cfg(feature = "ssr")]
pub fn remember_nonce() {
    use leptos::prelude::use_context;
    let parts = use_context::<http::request::Parts>();
    if let (Some(nonce), Some(slot)) =
        (leptos::nonce::use_nonce(), parts.as_ref().and_then(|p| p.extensions.get::<NonceSlot>()))
    {
        let _ = slot.0.set(nonce.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_nonce_and_locks_down_the_rest() {
        let p = policy("abc123");
        assert!(p.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"), "{p}");
        for part in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "frame-src https://www.youtube-nocookie.com",
        ] {
            assert!(p.contains(part), "{part} missing from {p}");
        }
        assert!(!p.contains("unsafe-inline"));
    }

    #[test]
    fn a_hash_policy_names_each_script_and_nothing_inline_beyond_them() {
        let p = policy_for_hashes(["AAA=", "BBB="]);
        assert!(p.contains("script-src 'self' 'sha256-AAA=' 'sha256-BBB=' 'wasm-unsafe-eval'"), "{p}");
        assert!(!p.contains("nonce") && !p.contains("unsafe-inline"), "{p}");
    }
}
