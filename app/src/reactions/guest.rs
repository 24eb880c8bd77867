//! Who is reacting: an account, or a guest known by a signed, long-lived,
//! HttpOnly cookie (so counting needs no account, and a forged id is refused).

use crate::{auth, errors::AppError, state::AppState};
use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::Sha256;

/// The signed anonymous-reader cookie that lets guests react.
pub const COOKIE: &str = "spotlight_reader";
const MAX_AGE_SECS: i64 = 400 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    User(i64),
    Guest(String),
}

impl Reader {
    /// The key stored with a pick.
    pub fn key(&self) -> String {
        match self {
            Self::User(id) => format!("u:{id}"),
            Self::Guest(id) => format!("g:{id}"),
        }
    }
}

fn sign(secret: &[u8], id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(id.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The verified guest id in the request's cookie.
pub fn guest_id(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| auth::session::cookie_value(h, COOKIE))?;
    let (id, sig) = value.split_once('.')?;
    let expected = sign(&state.secret, id);
    // Constant-time comparison through the MAC's own verifier.
    let mut mac = Hmac::<Sha256>::new_from_slice(&state.secret).ok()?;
    mac.update(id.as_bytes());
    let ok = hex::decode(sig).ok().is_some_and(|raw| mac.verify_slice(&raw).is_ok());
    (ok && id.len() == 32 && expected.len() == 64).then(|| id.to_owned())
}

/// A new guest id and the `Set-Cookie` value that carries it.
pub fn new_guest(state: &AppState) -> (String, String) {
    let id = auth::session::new_token()[..32].to_owned();
    let secure = if state.site.is_https() { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={id}.{}; HttpOnly; SameSite=Lax; Path=/; Max-Age={MAX_AGE_SECS}{secure}",
        sign(&state.secret, &id)
    );
    (id, cookie)
}

/// The reader of a request: the account if logged in, else the guest cookie's id.
pub async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Option<Reader>, AppError> {
    let token = auth::session::token_from_headers(&state.site, headers);
    if let Some(user) = auth::service::user_for_token(state, token.as_deref()).await? {
        return Ok(Some(Reader::User(user.id)));
    }
    Ok(guest_id(state, headers).map(Reader::Guest))
}

/// Like `resolve`, but a reader with neither becomes a new guest; returns the cookie to set.
pub async fn resolve_or_create(state: &AppState, headers: &HeaderMap) -> Result<(Reader, Option<String>), AppError> {
    match resolve(state, headers).await? {
        Some(reader) => Ok((reader, None)),
        None => {
            let (id, cookie) = new_guest(state);
            Ok((Reader::Guest(id), Some(cookie)))
        }
    }
}

/// After a guest logs in: their picks move to the account.
pub async fn merge_into_account(state: &AppState, headers: &HeaderMap, user_id: i64) -> Result<(), AppError> {
    if let Some(guest) = guest_id(state, headers) {
        super::service::merge_guest(state, &guest, user_id).await?;
    }
    Ok(())
}

/// Loads the signing key from the database, creating it on first start.
pub async fn load_or_create_secret(db: &crate::db::Db) -> Result<Vec<u8>, sqlx::Error> {
    let fresh = auth::session::new_token();
    let key = super::store::setting_or_insert(db, "guest_cookie_key", &fresh).await?;
    Ok(hex::decode(key).unwrap_or_else(|_| fresh.into_bytes()))
}
