//! Per-response security pieces: CSP nonces, and the headers that depend on
//! who is asking (HSTS on https sites, no caching of anything personal).

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use http::{header, HeaderMap};
use rand::RngCore;

/// A fresh nonce in the shape Leptos makes them (16 random bytes, base64url).
pub fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The nonce named in a response's Content-Security-Policy.
pub fn nonce_in(headers: &HeaderMap) -> Option<String> {
    let policy = headers.get(header::CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(policy[start..start + len].to_owned()).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_gives_back_its_nonce_and_nonces_differ() {
        let nonce = new_nonce();
        assert_eq!(nonce.len(), 22);
        assert_ne!(nonce, new_nonce());
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_SECURITY_POLICY, app::csp::policy(&nonce).parse().unwrap());
        assert_eq!(nonce_in(&headers), Some(nonce));
        assert_eq!(nonce_in(&HeaderMap::new()), None);
    }
}
