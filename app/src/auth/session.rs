//! Session tokens and the cookie that carries them.

use crate::state::Site;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Ends after this long without a request.
pub const IDLE_TIMEOUT_SECS: i64 = 14 * 24 * 3600;
/// Ends this long after log-in, however active.
pub const ABSOLUTE_LIFETIME_SECS: i64 = 30 * 24 * 3600;
/// `last_seen_at` is written at most this often, not on every request.
pub const TOUCH_EVERY_SECS: i64 = 300;

/// 256 random bits from the operating system's CSPRNG, hex-encoded.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session cookie's name over plain http (development, tests).
pub const COOKIE: &str = "spotlight_session";
/// Its name over https: the `__Host-` prefix pins it to this host, path `/`, Secure.
pub const HOST_COOKIE: &str = "__Host-spotlight_session";

/// `__Host-` prefixed (and Secure) whenever the site is served over https.
pub fn cookie_name(site: &Site) -> &'static str {
    if site.is_https() {
        HOST_COOKIE
    } else {
        COOKIE
    }
}

pub fn set_cookie(site: &Site, token: &str) -> String {
    let secure = if site.is_https() { "; Secure" } else { "" };
    format!("{}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={ABSOLUTE_LIFETIME_SECS}{secure}", cookie_name(site))
}

pub fn clear_cookie(site: &Site) -> String {
    let secure = if site.is_https() { "; Secure" } else { "" };
    format!("{}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}", cookie_name(site))
}

/// The value of cookie `name` in a `Cookie` request header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// The session token a request carries, if any.
pub fn token_from_headers(site: &Site, headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie_value(h, cookie_name(site)))
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn cookie_flags_follow_the_site_scheme() {
        let http = set_cookie(&Site::new("http://127.0.0.1:3000"), "t");
        assert!(http.starts_with("spotlight_session=t; HttpOnly; SameSite=Lax; Path=/"));
        assert!(!http.contains("Secure"));
        let https = set_cookie(&Site::new("https://spotlight.example"), "t");
        assert!(https.starts_with("__Host-spotlight_session=t;") && https.contains("; Secure"));
    }

    #[test]
    fn reads_the_session_cookie_among_others() {
        assert_eq!(cookie_value("a=1; spotlight_session=abc; b=2", "spotlight_session"), Some("abc"));
        assert_eq!(cookie_value("a=1", "spotlight_session"), None);
    }
}
