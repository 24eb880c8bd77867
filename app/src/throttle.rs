//! Rate limits counted in the database, so several server instances share them.

use crate::{db::Db, errors::AppError};

/// A limit: at most `max` events per `window_secs` for one key in one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bucket: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

/// Events for `key` inside the window.
pub async fn count(db: &Db, limit: Limit, key: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE bucket = ? AND key = ? AND at > ?")
        .bind(limit.bucket)
        .bind(key)
        .bind(crate::db::now() - limit.window_secs)
        .fetch_one(db)
        .await
}

/// Refuses with 429 (and how long to wait) when `key` has used up its limit.
pub async fn check(db: &Db, limit: Limit, key: &str, message: &str) -> Result<(), AppError> {
    let now = crate::db::now();
    let row: (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM rate_events WHERE bucket = ? AND key = ? AND at > ?")
            .bind(limit.bucket)
            .bind(key)
            .bind(now - limit.window_secs)
            .fetch_one(db)
            .await?;
    if row.0 >= limit.max {
        let oldest = row.1.unwrap_or(now);
        let retry_after_secs = (oldest + limit.window_secs - now).max(1) as u64;
        let minutes = retry_after_secs.div_ceil(60);
        let wait = if minutes <= 1 { "a minute".to_owned() } else { format!("{minutes} minutes") };
        return Err(AppError::TooManyRequests {
            message: format!("{message} Please wait {wait} and try again."),
            retry_after_secs,
        });
    }
    Ok(())
}

pub async fn record(db: &Db, limit: Limit, key: &str) -> Result<(), sqlx::Error> {
    let now = crate::db::now();
    sqlx::query("INSERT INTO rate_events (bucket, key, at) VALUES (?, ?, ?)")
        .bind(limit.bucket)
        .bind(key)
        .bind(now)
        .execute(db)
        .await?;
    // Old events are useless; trim this key's so the table stays small.
    sqlx::query("DELETE FROM rate_events WHERE bucket = ? AND key = ? AND at <= ?")
        .bind(limit.bucket)
        .bind(key)
        .bind(now - limit.window_secs)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn clear(db: &Db, limit: Limit, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE bucket = ? AND key = ?")
        .bind(limit.bucket)
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Every limit the site applies, in one place.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Failed log-ins for one account.
    pub login_per_account: Limit,
    /// Failed log-ins from one client address (shared networks get more room).
    pub login_per_ip: Limit,
    pub signups_per_ip: Limit,
    pub comments_per_user: Limit,
    pub reactions_per_ip: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_per_account: Limit { bucket: "login-account", max: 5, window_secs: 15 * 60 },
            login_per_ip: Limit { bucket: "login-ip", max: 20, window_secs: 15 * 60 },
            signups_per_ip: Limit { bucket: "signup-ip", max: 5, window_secs: 3600 },
            comments_per_user: Limit { bucket: "comment-user", max: 5, window_secs: 60 },
            reactions_per_ip: Limit { bucket: "reaction-ip", max: 30, window_secs: 60 },
        }
    }
}
