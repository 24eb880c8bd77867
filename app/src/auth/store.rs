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
}

const USER_COLUMNS: &str = "id, username, role, password_hash, banned_at, created_at";

pub async fn by_login(db: &Db, key: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE username_key = $1 OR email_key = $1"))
        .bind(key)
        .fetch_optional(db)
        .await
}

pub async fn by_username(db: &Db, username: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE username_key = $1"))
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
}

/// `Ok(None)` when the username or email is already taken (a race lost to another sign-up).
pub async fn insert_user(db: &Db, user: NewUser<'_>, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let result = sqlx::query_scalar(
        "INSERT INTO users (username, username_key, email, email_key, password_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user.username)
    .bind(user.username_key)
    .bind(user.email)
    .bind(user.email_key)
    .bind(user.password_hash)
    .bind(user.role)
    .bind(now)
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

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(now)
    .bind(expires_at)
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
    pub last_seen_at: i64,
    pub expires_at: i64,
}

pub async fn session(db: &Db, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.user_id, u.username, u.role, u.banned_at, u.created_at, s.last_seen_at, s.expires_at \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
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
