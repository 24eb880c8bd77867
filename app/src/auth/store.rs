//! Account and session SQL. Portable SQL: see `db::Backend` for where the dialects differ.

use super::Role;
use crate::db::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub password_hash: String,
    pub banned_at: Option<i64>,
    pub created_at: i64,
    pub email_verified_at: Option<i64>,
}

const USER_COLUMNS: &str = "id, username, role, password_hash, banned_at, created_at, email_verified_at";

/// A live account by username or address (a deleted one cannot log in).
pub async fn by_login(db: &Db, key: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE (username_key = $1 OR email_key = $1) AND deleted_at IS NULL"
    ))
    .bind(key)
    .fetch_optional(db)
    .await
}

/// A live account by name (a deleted one has no profile).
pub async fn by_username(db: &Db, username: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE username_key = $1 AND deleted_at IS NULL"))
        .bind(username.to_ascii_lowercase())
        .fetch_optional(db)
        .await
}

pub async fn username_taken(db: &Db, key: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT 1 FROM users WHERE username_key = $1")
        .bind(key)
        .fetch_optional(db)
        .await?
        .is_some())
}

pub async fn email_taken(db: &Db, key: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT 1 FROM users WHERE email_key = $1")
        .bind(key)
        .fetch_optional(db)
        .await?
        .is_some())
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub username_key: &'a str,
    pub email: &'a str,
    pub email_key: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    /// Accounts an operator makes are verified; sign-ups are not until the link is used.
    pub verified: bool,
}

/// `Ok(None)` when the username or email is already taken (a race lost to another sign-up).
pub async fn insert_user(db: &Db, user: NewUser<'_>, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let result = sqlx::query_scalar(
        "INSERT INTO users (username, username_key, email, email_key, password_hash, role, created_at, \
         email_verified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(user.username)
    .bind(user.username_key)
    .bind(user.email)
    .bind(user.email_key)
    .bind(user.password_hash)
    .bind(user.role)
    .bind(now)
    .bind(user.verified.then_some(now))
    .fetch_one(db)
    .await;
    match result {
        Ok(id) => Ok(Some(id)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn set_role(db: &Db, username: &str, role: Role) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET role = $1 WHERE username_key = $2")
        .bind(role)
        .bind(username.to_ascii_lowercase())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub device: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_session(db: &Db, new: NewSession<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, device) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new.token_hash)
    .bind(new.user_id)
    .bind(new.now)
    .bind(new.now)
    .bind(new.expires_at)
    .bind(new.device)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub banned_at: Option<i64>,
    pub created_at: i64,
    pub email_verified_at: Option<i64>,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub unread: i64,
}

/// The session and its reader, with their unread notifications (one query:
/// every signed-in page shows the count).
pub async fn session(db: &Db, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT s.user_id, u.username, u.role, u.banned_at, u.created_at, u.email_verified_at, s.last_seen_at, \
         s.expires_at, {unread} AS unread \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        unread = crate::notifications::store::unread_of("s.user_id"),
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

pub async fn touch_session(db: &Db, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(db).await?;
    Ok(())
}

/// What a single-use link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Verify,
    Reset,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Reset => "reset",
        }
    }
}

pub async fn insert_link(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    purpose: LinkPurpose,
    email: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(email)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Uses a link up: marks it used and gives its account and address, once, if
/// it is for `purpose`, unused and unexpired (one statement: two clicks at
/// once cannot both succeed).
pub async fn use_link(
    db: &Db,
    token_hash: &str,
    purpose: LinkPurpose,
    now: i64,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE account_tokens SET used_at = $3 \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
         RETURNING user_id, email",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(now)
    .fetch_optional(db)
    .await
}

pub async fn link_usable(db: &Db, token_hash: &str, purpose: LinkPurpose, now: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(1 AS BIGINT) FROM account_tokens \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Ends every unused link of `purpose` for an account (a reset ends the others).
pub async fn drop_links(db: &Db, user_id: i64, purpose: LinkPurpose, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL")
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// A live account's id, name and address, by its address.
pub async fn by_email(db: &Db, email_key: &str) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, username, email FROM users WHERE email_key = $1 AND deleted_at IS NULL")
        .bind(email_key)
        .fetch_optional(db)
        .await
}

/// Marks `email` verified for the account, if it is still the account's address.
pub async fn set_verified(db: &Db, user_id: i64, email: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $3) WHERE id = $1 AND email = $2",
    )
    .bind(user_id)
    .bind(email)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_password(db: &Db, user_id: i64, password_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_sessions_of(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(db).await?;
    Ok(())
}

/// An account's own details, for its data export: name, address, confirmed, role, joined.
pub async fn account(db: &Db, user_id: i64) -> Result<Option<(String, String, Option<i64>, Role, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT username, email, email_verified_at, role, created_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// A live account's password hash (`None` once deleted).
pub async fn password_hash(db: &Db, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct SessionListRow {
    pub token_hash: String,
    pub device: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// An account's sessions that are still open at `now` (not expired, not idle
/// since `idle_since`), most recently used first.
pub async fn sessions_of(db: &Db, user_id: i64, now: i64, idle_since: i64) -> Result<Vec<SessionListRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT token_hash, device, created_at, last_seen_at FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .bind(idle_since)
    .fetch_all(db)
    .await
}

/// Ends every session of the account but `keep`; returns how many ended.
pub async fn delete_other_sessions(db: &Db, user_id: i64, keep: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// A new address, not yet confirmed; `false` when another account has it.
pub async fn set_email(db: &Db, user_id: i64, email: &str, email_key: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET email = $1, email_key = $2, email_verified_at = NULL WHERE id = $3 AND deleted_at IS NULL",
    )
    .bind(email)
    .bind(email_key)
    .bind(user_id)
    .execute(db)
    .await;
    match result {
        Ok(done) => Ok(done.rows_affected() == 1),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Deletes an account in one transaction: its address, password, sessions,
/// links, notifications and mail waiting in the outbox go; the row stays (its comments point
/// at it) with its name reserved until `release_names` frees it. Returns the
/// address it had, or `None` when it was already deleted.
pub async fn delete_account(db: &Db, user_id: i64, now: i64) -> Result<Option<String>, sqlx::Error> {
    let mut tx = db.begin().await?;
    // Two deletions at once: the second finds it deleted.
    crate::db::lock(&mut tx, &format!("account:{user_id}")).await?;
    // A write first, so an SQLite transaction holds the write lock before it reads.
    sqlx::query("UPDATE users SET deleted_at = deleted_at WHERE id = $1").bind(user_id).execute(&mut *tx).await?;
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1 AND deleted_at IS NULL")
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(email) = email else { return Ok(None) };
    sqlx::query(
        "UPDATE users SET email = '', email_key = 'deleted:' || CAST(id AS TEXT), password_hash = '', \
         email_verified_at = NULL, deleted_at = $2 WHERE id = $1",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for table in ["sessions", "account_tokens", "notifications"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1")).bind(user_id).execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM mail_outbox WHERE recipient = $1").bind(&email).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Some(email))
}

/// Frees the names of accounts deleted before `cutoff` for new sign-ups.
pub async fn release_names(db: &Db, cutoff: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET username_key = 'deleted:' || CAST(id AS TEXT) \
         WHERE deleted_at IS NOT NULL AND deleted_at < $1 AND username_key NOT LIKE 'deleted:%'",
    )
    .bind(cutoff)
    .execute(db)
    .await?;
    Ok(())
}

/// The live accounts among lower-case `names`: (id, lower-case name).
pub async fn named(db: &Db, names: &[String]) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut found = Vec::with_capacity(names.len());
    for name in names {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT id, username_key FROM users WHERE username_key = $1 AND deleted_at IS NULL")
                .bind(name)
                .fetch_optional(db)
                .await?;
        found.extend(row);
    }
    Ok(found)
}
