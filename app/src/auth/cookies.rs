//! Spotlight's three cookies, built and read through axum-extra's jars.
//!
//! - the session (`spotlight_session`, `__Host-` prefixed over https): a random token;
//! - the guest reader (`spotlight_reader`): an id signed with the site's key, so
//!   guests can react and a forged id is refused;
//! - the form flash (`spotlight_flash`): a no-JavaScript form's error and values,
//!   kept for one redirect.
//!
//! All are HttpOnly, SameSite=Lax, path `/`, and Secure when the site is https.
//! Services never see cookies: they take and return tokens and ids, and the
//! extractors (`super::extract`) and handlers turn those into cookies here.

use super::session;
use crate::state::Site;
use axum::response::{IntoResponse, IntoResponseParts};
use axum_extra::extract::cookie::{Cookie, CookieJar, Key, SameSite, SignedCookieJar};
use http::{header, HeaderMap, HeaderValue};

/// The signed anonymous-reader cookie that lets guests react.
pub const GUEST: &str = "spotlight_reader";
/// Carries a no-JavaScript form's error and values across its redirect.
pub const FLASH: &str = "spotlight_flash";
const GUEST_MAX_AGE_SECS: i64 = 400 * 24 * 3600;
const FLASH_MAX_AGE_SECS: i64 = 60;

fn build(site: &Site, name: &'static str, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(site.is_https())
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
}

/// The session cookie carrying `token`.
pub fn session(site: &Site, token: &str) -> Cookie<'static> {
    build(site, session::cookie_name(site), token.to_owned(), session::ABSOLUTE_LIFETIME_SECS)
}

/// Clears the session cookie.
pub fn session_cleared(site: &Site) -> Cookie<'static> {
    build(site, session::cookie_name(site), String::new(), 0)
}

/// The guest cookie for `id` (signed when added to a `SignedCookieJar`).
pub fn guest(site: &Site, id: &str) -> Cookie<'static> {
    build(site, GUEST, id.to_owned(), GUEST_MAX_AGE_SECS)
}

/// The flash cookie carrying an encoded form flash.
pub fn flash(site: &Site, encoded: String) -> Cookie<'static> {
    build(site, FLASH, encoded, FLASH_MAX_AGE_SECS)
}

pub fn flash_cleared(site: &Site) -> Cookie<'static> {
    build(site, FLASH, String::new(), 0)
}

/// The well-formed session token a request carries, if any.
pub fn session_token(site: &Site, headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(session::cookie_name(site))
        .map(|c| c.value().to_owned())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The guest id of a request, when its signature verifies.
pub fn guest_id(key: &Key, headers: &HeaderMap) -> Option<String> {
    SignedCookieJar::from_headers(headers, key.clone())
        .get(GUEST)
        .map(|c| c.value().to_owned())
        .filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The raw flash cookie of a request.
pub fn flash_value(headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers).get(FLASH).map(|c| c.value().to_owned())
}

/// The request's headers as a reader without any cookie would send them.
pub fn forget_all(headers: &mut HeaderMap) {
    headers.remove(header::COOKIE);
}

/// The `Set-Cookie` values a jar (or any response parts) would send: how a
/// server function, which answers through `ResponseOptions`, sends a jar.
pub fn set_cookie_values(parts: impl IntoResponseParts) -> Vec<HeaderValue> {
    let res = (parts, ()).into_response();
    res.headers().get_all(header::SET_COOKIE).iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(parts: impl IntoResponseParts) -> String {
        set_cookie_values(parts).iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn cookie_flags_follow_the_site_scheme() {
        let http = sent(CookieJar::new().add(session(&Site::new("http://127.0.0.1:3000"), "t")));
        assert!(http.starts_with("spotlight_session=t;"), "{http}");
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
            assert!(http.contains(flag), "{flag} missing from {http}");
        }
        assert!(!http.contains("Secure"));
        let https = sent(CookieJar::new().add(session(&Site::new("https://spotlight.example"), "t")));
        assert!(https.starts_with("__Host-spotlight_session=t;") && https.contains("Secure"), "{https}");
    }

    #[test]
    fn a_cleared_cookie_expires_now() {
        let cleared = sent(CookieJar::new().add(session_cleared(&Site::new("http://x"))));
        assert!(cleared.starts_with("spotlight_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    }

    fn request_with(cookie_header: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(cookie_header).unwrap());
        headers
    }

    #[test]
    fn reads_a_well_formed_session_token_among_other_cookies() {
        let site = Site::new("http://x");
        let token = "a".repeat(64);
        assert_eq!(session_token(&site, &request_with(&format!("a=1; spotlight_session={token}; b=2"))), Some(token));
        assert_eq!(session_token(&site, &request_with("spotlight_session=short")), None);
        assert_eq!(session_token(&site, &request_with("a=1")), None);
    }

    #[test]
    fn a_guest_cookie_reads_back_only_with_its_signature() {
        let key = Key::generate();
        let site = Site::new("http://x");
        let id = "0123456789abcdef0123456789abcdef";
        let signed = sent(SignedCookieJar::new(key.clone()).add(guest(&site, id)));
        let pair = signed.split(';').next().unwrap();
        assert_eq!(guest_id(&key, &request_with(pair)), Some(id.to_owned()));
        // Unsigned, tampered or signed with another key: refused.
        assert_eq!(guest_id(&key, &request_with(&format!("{GUEST}={id}"))), None);
        let tampered = pair.replace("0123", "9999");
        assert_eq!(guest_id(&key, &request_with(&tampered)), None);
        assert_eq!(guest_id(&Key::generate(), &request_with(pair)), None);
    }
}
