//! Rate limits counted in the database, so several server instances share them.
//!
//! An attempt is recorded before it is judged, atomically with the count
//! (`acquire`): fifty attempts sent at once are counted one after another, and
//! those beyond the limit are refused before any work is done for them.

mod store;

use crate::{db::Db, errors::AppError};

/// A limit: at most `max` events per `window_secs` for one key in one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bucket: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

/// A counted attempt; `release` takes it back when it should not count (a
/// correct password, a refused comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Ticket(i64);

/// Counts an attempt for `key`, or refuses it with 429 (and how long to wait)
/// when the limit is used up. A refused attempt is not counted.
pub async fn acquire(db: &Db, limit: Limit, key: &str, message: &str) -> Result<Ticket, AppError> {
    let now = crate::db::now();
    match store::try_record(db, limit.bucket, key, now, now - limit.window_secs, limit.max).await? {
        Ok(id) => Ok(Ticket(id)),
        Err(oldest) => {
            let retry_after_secs = (oldest + limit.window_secs - now).max(1) as u64;
            let minutes = retry_after_secs.div_ceil(60);
            let wait = if minutes <= 1 { "a minute".to_owned() } else { format!("{minutes} minutes") };
            Err(AppError::TooManyRequests {
                message: format!("{message} Please wait {wait} and try again."),
                retry_after_secs,
            })
        }
    }
}

/// Takes back a counted attempt.
pub async fn release(db: &Db, ticket: Ticket) -> Result<(), AppError> {
    Ok(store::delete(db, ticket.0).await?)
}

/// Forgets every attempt of `key` (a successful log-in clears its failures).
pub async fn clear(db: &Db, limit: Limit, key: &str) -> Result<(), AppError> {
    Ok(store::clear(db, limit.bucket, key).await?)
}

/// Every limit the site applies, in one place.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Log-in attempts for one account from one address: the lock an attacker meets.
    pub login_per_account_ip: Limit,
    /// Log-in attempts for one account from anywhere: much higher, so an attacker
    /// spreading over many addresses is slowed without locking the owner out.
    pub login_per_account: Limit,
    /// Log-in attempts from one client address (shared networks get more room).
    pub login_per_ip: Limit,
    /// Sign-up attempts from one address, failed ones included (so registered
    /// emails cannot be enumerated for free).
    pub signups_per_ip: Limit,
    pub comments_per_user: Limit,
    pub reports_per_user: Limit,
    pub reactions_per_ip: Limit,
    /// "Forgot your password?" requests from one address.
    pub resets_per_ip: Limit,
    /// Reset mails to one email address (beyond it, none are sent; the answer is the same).
    pub resets_per_account: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_per_account_ip: Limit { bucket: "login-account-ip", max: 5, window_secs: 15 * 60 },
            login_per_account: Limit { bucket: "login-account", max: 100, window_secs: 15 * 60 },
            login_per_ip: Limit { bucket: "login-ip", max: 20, window_secs: 15 * 60 },
            signups_per_ip: Limit { bucket: "signup-ip", max: 5, window_secs: 3600 },
            comments_per_user: Limit { bucket: "comment-user", max: 5, window_secs: 60 },
            reports_per_user: Limit { bucket: "report-user", max: 10, window_secs: 3600 },
            reactions_per_ip: Limit { bucket: "reaction-ip", max: 30, window_secs: 60 },
            resets_per_ip: Limit { bucket: "reset-ip", max: 10, window_secs: 3600 },
            resets_per_account: Limit { bucket: "reset-account", max: 3, window_secs: 3600 },
        }
    }
}
