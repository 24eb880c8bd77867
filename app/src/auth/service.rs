//! Account rules: sign-up, log-in (throttled), log-out, who is asking.

use super::{
    names::{Email, NewPassword, Username},
    password, session, store, CurrentUser, Role,
};
use crate::{db::now, errors::AppError, state::AppState, throttle};

/// Who is knocking: address (for rate limits), any current session (ended at
/// log-in) and any guest id (whose reactions move to the account). Built from
/// a request by the extractor in `super::extract`.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: String,
    pub session: Option<String>,
    pub guest: Option<String>,
    /// "Firefox on Android" (see `device`), shown in the reader's list of sessions.
    pub device: String,
}

async fn after_login(state: &AppState, user_id: i64, client: &Client) -> Result<String, AppError> {
    if let Some(guest) = &client.guest {
        crate::reactions::service::merge_guest(state, guest, user_id).await?;
    }
    start_session(state, user_id, client).await
}

/// A successful sign-up or log-in: the user and the new session's token
/// (which the HTTP layer puts in the session cookie).
pub struct LoggedIn {
    pub user: CurrentUser,
    pub token: String,
}

fn current(
    id: i64,
    username: String,
    role: Role,
    banned_at: Option<i64>,
    created_at: i64,
    verified_at: Option<i64>,
    unread: i64,
) -> CurrentUser {
    CurrentUser {
        id,
        username,
        role,
        banned: banned_at.is_some(),
        verified: verified_at.is_some(),
        joined: crate::articles::service::stamp(created_at),
        joined_unix: created_at,
        unread,
    }
}

async fn start_session(state: &AppState, user_id: i64, client: &Client) -> Result<String, AppError> {
    // A fresh id at every log-in: a session fixed before log-in is worthless after it.
    if let Some(old) = &client.session {
        store::delete_session(&state.db, &session::token_hash(old)).await?;
    }
    let token = session::new_token();
    let now = now();
    let new = store::NewSession {
        token_hash: &session::token_hash(&token),
        user_id,
        device: &client.device,
        now,
        expires_at: now + session::ABSOLUTE_LIFETIME_SECS,
    };
    store::insert_session(&state.db, new).await?;
    Ok(token)
}

/// Hashes the password and stores the account; `None` when the name or email is taken.
async fn insert_account(
    state: &AppState,
    username: &Username,
    email: &Email,
    password: &NewPassword,
    role: Role,
    created_at: i64,
    verified: bool,
) -> Result<Option<i64>, AppError> {
    let hash = password::hash(&state.passwords, password.expose().to_owned()).await?;
    let new = store::NewUser {
        username: username.as_str(),
        username_key: &username.key(),
        email: email.as_str(),
        email_key: &email.key(),
        password_hash: &hash,
        role,
        verified,
    };
    Ok(store::insert_user(&state.db, new, created_at).await?)
}

pub struct SignupInput<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

pub async fn signup(state: &AppState, input: SignupInput<'_>, client: &Client) -> Result<LoggedIn, AppError> {
    let ip = client.ip.as_str();
    // Counted before anything is checked, failures included: finding out which
    // emails have accounts costs an attempt each.
    let limit = state.limits.signups_per_ip;
    let _counted = throttle::acquire(&state.db, limit, ip, "Too many sign-ups came from your network.").await?;
    let username = Username::parse(input.username)?;
    let email = Email::parse(input.email)?;
    let password = NewPassword::parse(input.password)?;
    store::release_names(&state.db, now() - super::settings::NAME_RESERVED_SECS).await?;
    if store::username_taken(&state.db, &username.key()).await? {
        return Err(AppError::Taken {
            field: "username".into(),
            message: "That username is taken. Please choose another.".into(),
        });
    }
    if store::email_taken(&state.db, &email.key()).await? {
        return Err(AppError::Taken {
            field: "email".into(),
            message: "An account with that email already exists. Try logging in instead.".into(),
        });
    }
    let created_at = now();
    let id = insert_account(state, &username, &email, &password, Role::Reader, created_at, false)
        .await?
        .ok_or_else(|| AppError::Conflict("That username or email was just taken. Please choose another.".into()))?;
    tracing::info!(user_id = id, "account created");
    super::email_links::send_verification(state, id, username.as_str(), email.as_str()).await?;
    let token = after_login(state, id, client).await?;
    Ok(LoggedIn { user: current(id, username.as_str().to_owned(), Role::Reader, None, created_at, None, 0), token })
}

pub async fn login(state: &AppState, login: &str, password: &str, client: &Client) -> Result<LoggedIn, AppError> {
    let ip = client.ip.as_str();
    let key = login.trim().to_lowercase();
    if key.is_empty() || password.is_empty() {
        let field = if key.is_empty() { "login" } else { "password" };
        return Err(AppError::invalid(field, "Enter your username or email and your password."));
    }
    if key.len() > 254 || password.len() > 1024 {
        return Err(AppError::Unauthorized);
    }
    // Every attempt is counted before the password is checked, atomically, so
    // parallel guesses cannot slip past the limit; a correct password takes its
    // attempts back. The per-address lock is what an attacker meets; the
    // account's own ceiling is far higher, so the owner can still log in from
    // an address without failures while another address is locked out.
    let limits = &state.limits;
    let message = "Too many failed log-in attempts.";
    let mut tickets = Vec::with_capacity(3);
    for (limit, key) in [
        (limits.login_per_account_ip, format!("{key}|{ip}")),
        (limits.login_per_ip, ip.to_owned()),
        (limits.login_per_account, key.clone()),
    ] {
        match throttle::acquire(&state.db, limit, &key, message).await {
            Ok(ticket) => tickets.push(ticket),
            Err(err) => {
                release(state, &tickets).await?;
                return Err(err);
            }
        }
    }
    let user = store::by_login(&state.db, &key).await?;
    let verified =
        password::verify(&state.passwords, password.to_owned(), user.as_ref().map(|u| u.password_hash.clone())).await;
    let ok = match verified {
        Ok(ok) => ok,
        Err(err) => {
            // Not judged (the hashers were busy): the attempt does not count.
            release(state, &tickets).await?;
            return Err(err);
        }
    };
    match user {
        Some(user) if ok => {
            release(state, &tickets).await?;
            throttle::clear(&state.db, limits.login_per_account_ip, &format!("{key}|{ip}")).await?;
            let token = after_login(state, user.id, client).await?;
            let unread = crate::notifications::service::unread(state, user.id).await?;
            Ok(LoggedIn {
                user: current(
                    user.id,
                    user.username,
                    user.role,
                    user.banned_at,
                    user.created_at,
                    user.email_verified_at,
                    unread,
                ),
                token,
            })
        }
        _ => Err(AppError::Unauthorized),
    }
}

async fn release(state: &AppState, tickets: &[throttle::Ticket]) -> Result<(), AppError> {
    for ticket in tickets {
        throttle::release(&state.db, *ticket).await?;
    }
    Ok(())
}

/// Ends the session on the server (the HTTP layer clears the cookie).
pub async fn logout(state: &AppState, token: Option<&str>) -> Result<(), AppError> {
    if let Some(token) = token {
        store::delete_session(&state.db, &session::token_hash(token)).await?;
    }
    Ok(())
}

/// The user behind a session token; expired and idle sessions are ended here.
pub async fn user_for_token(state: &AppState, token: Option<&str>) -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = token else { return Ok(None) };
    let hash = session::token_hash(token);
    let Some(row) = store::session(&state.db, &hash).await? else { return Ok(None) };
    let now = now();
    if now >= row.expires_at || now - row.last_seen_at >= session::IDLE_TIMEOUT_SECS {
        store::delete_session(&state.db, &hash).await?;
        return Ok(None);
    }
    if now - row.last_seen_at >= session::TOUCH_EVERY_SECS {
        store::touch_session(&state.db, &hash, now).await?;
    }
    Ok(Some(current(
        row.user_id,
        row.username,
        row.role,
        row.banned_at,
        row.created_at,
        row.email_verified_at,
        row.unread,
    )))
}

pub async fn require_user(state: &AppState, token: Option<&str>) -> Result<CurrentUser, AppError> {
    user_for_token(state, token).await?.ok_or(AppError::Unauthorized)
}

/// The live accounts among lower-case `names`: (id, lower-case name).
pub async fn readers_named(state: &AppState, names: &[String]) -> Result<Vec<(i64, String)>, AppError> {
    Ok(store::named(&state.db, names).await?)
}

/// A public profile.
pub async fn profile(state: &AppState, username: &str) -> Result<super::Profile, AppError> {
    let row = store::by_username(&state.db, username)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no reader with that name.".into()))?;
    let comments = crate::comments::service::recent_by_author(state, row.id, 20).await?;
    Ok(super::Profile {
        username: row.username,
        role: row.role,
        joined: crate::articles::service::stamp(row.created_at),
        comments,
    })
}

/// `server user create`: an account with a role, from the command line.
pub async fn create_user(
    state: &AppState,
    username: &str,
    email: &str,
    password: &str,
    role: Role,
) -> Result<i64, AppError> {
    let username = Username::parse(username)?;
    let email = Email::parse(email)?;
    let password = NewPassword::parse(password)?;
    insert_account(state, &username, &email, &password, role, now(), true)
        .await?
        .ok_or_else(|| AppError::Conflict("That username or email is already taken.".into()))
}

pub async fn set_role(state: &AppState, username: &str, role: Role) -> Result<(), AppError> {
    if store::set_role(&state.db, username, role).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("There is no user named {username:?}.")))
    }
}
