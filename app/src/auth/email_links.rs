//! The links Spotlight sends by mail: one confirms a reader's address, one
//! resets a forgotten password. Each is single-use, only its SHA-256 is
//! stored, and it expires (48 hours, 30 minutes).

use super::{
    names::{Email, NewPassword},
    password, session,
    store::{self, LinkPurpose},
};
use crate::{
    db::now,
    errors::AppError,
    mail::{service as mail, Mail},
    state::AppState,
    throttle,
};

pub const VERIFY_FOR_SECS: i64 = 48 * 3600;
pub const RESET_FOR_SECS: i64 = 30 * 60;

pub use super::links::RESET_SENT;

async fn new_link(
    state: &AppState,
    user_id: i64,
    purpose: LinkPurpose,
    email: &str,
    lifetime: i64,
) -> Result<String, AppError> {
    let token = session::new_token();
    let now = now();
    store::insert_link(&state.db, &session::token_hash(&token), user_id, purpose, email, now, now + lifetime).await?;
    Ok(token)
}

/// Mails `email` a link that confirms it belongs to the account.
pub async fn send_verification(state: &AppState, user_id: i64, username: &str, email: &str) -> Result<(), AppError> {
    let token = new_link(state, user_id, LinkPurpose::Verify, email, VERIFY_FOR_SECS).await?;
    let link = state.site.absolute(&format!("/verify-email?token={token}"));
    let text = format!(
        "Hello {username},\n\n\
         Please confirm that this is your email address by opening this link:\n\n{link}\n\n\
         It works once, for 48 hours. Until you confirm, comments of yours that contain links \
         wait for a moderator before others see them.\n\n\
         If you did not sign up to {site}, you can ignore this mail.\n",
        site = crate::SITE_NAME,
    );
    let subject = format!("Confirm your email address for {}", crate::SITE_NAME);
    mail::send(state, Mail { to: email.to_owned(), subject, text, headers: Vec::new() }).await
}

/// A link that is not there (any more): 404, with what may have happened.
fn bad_link(what: &str) -> AppError {
    AppError::NotFound(format!(
        "This {what} link is not valid any more: it has been used, it has expired, or it was copied incompletely."
    ))
}

/// Uses a verification link; the account's address counts as confirmed.
pub async fn verify(state: &AppState, token: &str) -> Result<(), AppError> {
    let hash = session::token_hash(token.trim());
    let (user_id, email) =
        store::use_link(&state.db, &hash, LinkPurpose::Verify, now()).await?.ok_or_else(|| bad_link("confirmation"))?;
    if !store::set_verified(&state.db, user_id, &email, now()).await? {
        // The account's address changed since the link was sent.
        return Err(bad_link("confirmation"));
    }
    tracing::info!(user_id, "email address confirmed");
    Ok(())
}

/// "Forgot your password?": mails a reset link to the account using `email`,
/// if there is one. The answer (`RESET_SENT`) and its timing are the same
/// either way; rate-limited per client address (429) and per address asked
/// for (silently: no mail beyond the limit).
pub async fn request_reset(state: &AppState, email: &str, ip: &str) -> Result<&'static str, AppError> {
    let email = Email::parse(email)?;
    let _counted = throttle::acquire(
        &state.db,
        state.limits.resets_per_ip,
        ip,
        "Too many password resets came from your network.",
    )
    .await?;
    let state = state.clone();
    // The lookup and the mail happen after the answer: nothing in the reply says whether they did.
    tokio::spawn(async move {
        if let Err(error) = mail_reset(&state, &email).await {
            tracing::error!(%error, "a password reset mail could not be prepared");
        }
    });
    Ok(RESET_SENT)
}

async fn mail_reset(state: &AppState, email: &Email) -> Result<(), AppError> {
    let limit = state.limits.resets_per_account;
    let _counted = match throttle::acquire(&state.db, limit, &email.key(), "").await {
        Ok(ticket) => ticket,
        Err(AppError::TooManyRequests { .. }) => {
            tracing::warn!("password reset mails for one address are over their limit; none sent");
            return Ok(());
        }
        Err(other) => return Err(other),
    };
    let Some((user_id, username, address)) = store::by_email(&state.db, &email.key()).await? else {
        return Ok(());
    };
    let token = new_link(state, user_id, LinkPurpose::Reset, &address, RESET_FOR_SECS).await?;
    let link = state.site.absolute(&format!("/reset-password?token={token}"));
    let text = format!(
        "Hello {username},\n\n\
         Someone (we hope you) asked to reset the password of your {site} account. \
         To choose a new password, open this link:\n\n{link}\n\n\
         It works once, for 30 minutes. Choosing a new password logs your account out everywhere.\n\n\
         If you did not ask for this, ignore this mail: your password stays as it is.\n",
        site = crate::SITE_NAME,
    );
    let subject = format!("Reset your {} password", crate::SITE_NAME);
    mail::send(state, Mail { to: address, subject, text, headers: Vec::new() }).await
}

/// Uses a reset link: sets the new password, ends every session of the account
/// and every other reset link. The reader logs in again with the new password.
pub async fn reset(state: &AppState, token: &str, new_password: &str) -> Result<(), AppError> {
    let password = NewPassword::parse(new_password)?;
    let hash = session::token_hash(token.trim());
    // Checked before the (costly) hashing, used up after it: a busy server does not burn the link.
    if !store::link_usable(&state.db, &hash, LinkPurpose::Reset, now()).await? {
        return Err(bad_link("reset"));
    }
    let password_hash = password::hash(&state.passwords, password.expose().to_owned()).await?;
    let (user_id, _) =
        store::use_link(&state.db, &hash, LinkPurpose::Reset, now()).await?.ok_or_else(|| bad_link("reset"))?;
    store::set_password(&state.db, user_id, &password_hash).await?;
    store::drop_links(&state.db, user_id, LinkPurpose::Reset, now()).await?;
    store::delete_sessions_of(&state.db, user_id).await?;
    tracing::info!(user_id, "password reset; every session ended");
    Ok(())
}
