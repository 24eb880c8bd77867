//! Session tokens and the name of the cookie that carries them (`cookies` builds it).

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
}
