//! A reader's own account, from the settings page and the API: their address
//! (changed and confirmed again), their password, their open sessions, and
//! deleting the account. Every change that could lock the owner out asks for
//! the current password, and those checks are rate-limited like log-ins.

use super::{
    names::{Email, NewPassword},
    password, session, store, AccountSettings, CurrentUser, SessionInfo,
};
use crate::{
    articles::service::stamp,
    db::now,
    errors::AppError,
    mail::{service as mail, Mail},
    state::AppState,
    throttle,
};

/// A deleted account's name cannot be taken by a new sign-up for this long.
pub const NAME_RESERVED_SECS: i64 = 30 * 24 * 3600;

/// The settings page: the address, whether it is confirmed, and the open sessions
/// (`token` is this request's, marked as "this browser").
pub async fn overview(state: &AppState, user: &CurrentUser, token: Option<&str>) -> Result<AccountSettings, AppError> {
    let (username, email, verified_at, _, _) =
        store::account(&state.db, user.id).await?.ok_or(AppError::Unauthorized)?;
    let now = now();
    let current = token.map(session::token_hash);
    let sessions = store::sessions_of(&state.db, user.id, now, now - session::IDLE_TIMEOUT_SECS)
        .await?
        .into_iter()
        .map(|row| SessionInfo {
            current: current.as_deref() == Some(row.token_hash.as_str()),
            device: row.device,
            started: stamp(row.created_at),
            last_used: stamp(row.last_seen_at),
        })
        .collect();
    let reply_emails = crate::notifications::service::reply_emails(state, user.id).await?;
    Ok(AccountSettings { username, email, email_confirmed: verified_at.is_some(), reply_emails, sessions })
}

/// Checks the account's current password. Wrong answers are counted (5 per
/// 15 minutes, like log-ins from one address): a session left open on a shared
/// computer does not become a way to guess the password.
async fn confirm_password(state: &AppState, user_id: i64, given: &str, field: &str) -> Result<(), AppError> {
    if given.is_empty() {
        return Err(AppError::invalid(field, "Enter your current password."));
    }
    let limit = state.limits.login_per_account_ip;
    let key = format!("settings|{user_id}");
    let ticket = throttle::acquire(&state.db, limit, &key, "Too many wrong passwords.").await?;
    let hash = store::password_hash(&state.db, user_id).await?;
    let given = given.chars().take(1024).collect::<String>();
    match password::verify(&state.passwords, given, hash).await {
        Ok(true) => {
            throttle::release(&state.db, ticket).await?;
            Ok(())
        }
        Ok(false) => Err(AppError::WrongPassword { field: field.to_owned() }),
        Err(err) => {
            // Not judged (the hashers were busy): the attempt does not count.
            throttle::release(&state.db, ticket).await?;
            Err(err)
        }
    }
}

async fn notify(state: &AppState, to: &str, username: &str, subject: &str, what: &str) -> Result<(), AppError> {
    let text = format!(
        "Hello {username},\n\n{what}\n\n\
         If this was not you, reset your password at once:\n\n{reset}\n\n\
         and tell us by replying to this mail.\n",
        reset = state.site.absolute("/forgot-password"),
    );
    mail::send(state, Mail { to: to.to_owned(), subject: subject.to_owned(), text, headers: Vec::new() }).await
}

/// Changes the password (the current one is needed). Every other session of
/// the account ends, and so does every reset link; this browser stays signed in.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    token: Option<&str>,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    let new = NewPassword::parse(new).map_err(|e| e.on_field("password", "new_password"))?;
    confirm_password(state, user.id, current, "current_password").await?;
    let hash = password::hash(&state.passwords, new.expose().to_owned()).await?;
    store::set_password(&state.db, user.id, &hash).await?;
    store::drop_links(&state.db, user.id, store::LinkPurpose::Reset, now()).await?;
    let keep = token.map(session::token_hash).unwrap_or_default();
    let ended = store::delete_other_sessions(&state.db, user.id, &keep).await?;
    tracing::info!(user_id = user.id, ended, "password changed; other sessions ended");
    if let Some((username, email, ..)) = store::account(&state.db, user.id).await? {
        let what = "The password of your Spotlight account was just changed, and every other session was logged out.";
        notify(state, &email, &username, "Your Spotlight password was changed", what).await?;
    }
    Ok(())
}

/// Moves the account to a new address (the current password is needed). The
/// new address must be confirmed again: a link goes to it, and a notice to the old one.
pub async fn change_email(
    state: &AppState,
    user: &CurrentUser,
    password: &str,
    new_email: &str,
) -> Result<(), AppError> {
    let email = Email::parse(new_email)?;
    let (username, old, ..) = store::account(&state.db, user.id).await?.ok_or(AppError::Unauthorized)?;
    if email.key() == old.to_lowercase() {
        return Err(AppError::Taken { field: "email".into(), message: "That is already your address.".into() });
    }
    confirm_password(state, user.id, password, "password").await?;
    if !store::set_email(&state.db, user.id, email.as_str(), &email.key()).await? {
        return Err(AppError::Taken { field: "email".into(), message: "Another account uses that address.".into() });
    }
    // Links sent to the old address confirm nothing now.
    store::drop_links(&state.db, user.id, store::LinkPurpose::Verify, now()).await?;
    tracing::info!(user_id = user.id, "email address changed; waiting for confirmation");
    super::email_links::send_verification(state, user.id, &username, email.as_str()).await?;
    let what = format!(
        "The address of your Spotlight account was just changed to {}. This address will get no more mail from us.",
        email.as_str()
    );
    notify(state, &old, &username, "Your Spotlight email address was changed", &what).await
}

/// "Send the link again": a new confirmation link to the account's address, if
/// it is not confirmed yet. At most 3 an hour.
pub async fn resend_confirmation(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    let (username, email, verified_at, ..) = store::account(&state.db, user.id).await?.ok_or(AppError::Unauthorized)?;
    if verified_at.is_some() {
        return Err(AppError::Conflict("Your address is already confirmed.".into()));
    }
    let limit = state.limits.resets_per_account;
    let key = format!("verify|{}", user.id);
    let _counted =
        throttle::acquire(&state.db, limit, &key, "We have sent you several links in the last hour.").await?;
    super::email_links::send_verification(state, user.id, &username, &email).await
}

/// Logs out every other session of the account; returns how many ended.
pub async fn end_other_sessions(state: &AppState, user: &CurrentUser, token: Option<&str>) -> Result<u64, AppError> {
    let keep = token.map(session::token_hash).unwrap_or_default();
    let ended = store::delete_other_sessions(&state.db, user.id, &keep).await?;
    tracing::info!(user_id = user.id, ended, "other sessions ended by their reader");
    Ok(ended)
}

/// Deletes the account (the password is needed). Its comments become
/// "[deleted]", keeping their replies, and lose their words; its likes and
/// reactions are taken back, and every reader of those articles sees the counts
/// change live; every session ends; the name stays reserved for 30 days.
pub async fn delete_account(state: &AppState, user: &CurrentUser, password: &str) -> Result<(), AppError> {
    confirm_password(state, user.id, password, "password").await?;
    // What the reader left goes first: if a step fails, the account is still
    // there and deleting it again finishes the job.
    erase_traces(state, user.id).await?;
    if store::delete_account(&state.db, user.id, now()).await?.is_none() {
        return Err(AppError::Unauthorized);
    }
    // Anything a request already under way wrote in between.
    erase_traces(state, user.id).await?;
    tracing::info!(user_id = user.id, "account deleted by its reader");
    Ok(())
}

async fn erase_traces(state: &AppState, user_id: i64) -> Result<(), AppError> {
    crate::comments::service::erase_author(state, user_id).await?;
    crate::reactions::service::remove_all_of(state, user_id).await
}
