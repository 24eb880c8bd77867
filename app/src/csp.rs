//! The Content-Security-Policy of every HTML page: scripts only from this site
//! or inline with this response's nonce, frames only from the video players.

/// The hosts a video facade may load a player from.
pub const PLAYER_HOSTS: &str = "https://www.youtube-nocookie.com https://player.vimeo.com";

pub fn policy(nonce: &str) -> String {
    format!(
        "script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; frame-src {PLAYER_HOSTS}; object-src 'none'; \
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
}
