//! One-click unsubscribe from reply mails (RFC 8058). The link names the
//! account and carries an HMAC of it under the server's signing key, so it
//! works without logging in, cannot be forged for another account, and needs
//! no table. Opening the link shows a button; the mail client's one-click
//! `POST` (and the button) turn the mails off.

use crate::{errors::AppError, state::AppState};
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn mac(state: &AppState, user_id: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(state.cookie_key.signing()).expect("HMAC takes any key length");
    mac.update(format!("unsubscribe-reply-emails:{user_id}").as_bytes());
    mac
}

pub fn token(state: &AppState, user_id: i64) -> String {
    hex::encode(mac(state, user_id).finalize().into_bytes())
}

/// The page a reader opens from the mail (a button, no change on opening).
pub fn page_link(state: &AppState, user_id: i64) -> String {
    state.site.absolute(&format!("/unsubscribe?user={user_id}&token={}", token(state, user_id)))
}

/// Where a mail client posts its one-click unsubscribe (`List-Unsubscribe`).
pub fn one_click_link(state: &AppState, user_id: i64) -> String {
    state.site.absolute(&format!("/api/v1/unsubscribe?user={user_id}&token={}", token(state, user_id)))
}

/// Turns reply mails off for `user_id` if `token` is theirs (compared in constant time).
pub async fn apply(state: &AppState, user_id: i64, token: &str) -> Result<(), AppError> {
    let bad =
        || AppError::NotFound("This unsubscribe link is not valid. Turn reply emails off in your settings.".into());
    let given = hex::decode(token.trim()).map_err(|_| bad())?;
    mac(state, user_id).verify_slice(&given).map_err(|_| bad())?;
    super::store::set_reply_emails(&state.db, user_id, false).await?;
    tracing::info!(user_id, "reply emails turned off from a mail");
    Ok(())
}
