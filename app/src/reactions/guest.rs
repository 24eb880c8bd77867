//! Who is reacting: an account, or a guest known by a signed, long-lived,
//! HttpOnly cookie (so counting needs no account, and a forged id is refused).
//! The cookie itself is built and verified in `auth::cookies`.

use crate::auth;
use axum_extra::extract::cookie::Key;
use sha2::{Digest, Sha512};

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

/// A new random guest id (32 hex digits).
pub fn new_id() -> String {
    auth::session::new_token()[..32].to_owned()
}

/// The key that signs guest cookies: kept in the database (created on first
/// start) so restarts, and every instance of the site, keep their guests.
pub async fn load_or_create_key(db: &crate::db::Db) -> Result<Key, sqlx::Error> {
    let stored = super::store::setting_or_insert(db, "guest_cookie_key", &auth::session::new_token()).await?;
    // SHA-512 of the stored secret: the 64 bytes a signing key is made of.
    Ok(Key::from(&Sha512::digest(stored.as_bytes())))
}
