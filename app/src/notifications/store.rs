//! Notification SQL. Portable SQL: see `db::Backend` for where the dialects differ.
//!
//! A notification only points at a comment; what it shows is read from the
//! comment as it is now, and a comment that is no longer visible (deleted,
//! hidden, held) takes its notifications out of every list and count.

use super::Kind;
use crate::db::Db;

/// What makes a notification worth showing: its comment is visible, and the
/// likes of a comment that lost them all are not news.
const SHOWN: &str = "c.status = 'visible' AND (n.kind <> 'likes' OR c.like_count > 0)";

/// The reader told of `reply` as a reply to them, if any.
pub async fn replied_to(db: &Db, reply: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM notifications WHERE kind = 'reply' AND comment_id = $1")
        .bind(reply)
        .fetch_optional(db)
        .await
}

/// Tells each of `users` about `comment_id` (a reply or a mention), once:
/// returns those told now (not before).
pub async fn insert_once(
    db: &Db,
    users: &[i64],
    kind: Kind,
    comment_id: i64,
    actor_id: i64,
    now: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut told = Vec::new();
    for user_id in users {
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO notifications (user_id, kind, comment_id, actor_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (user_id, kind, comment_id) DO NOTHING RETURNING user_id",
        )
        .bind(user_id)
        .bind(kind.as_str())
        .bind(comment_id)
        .bind(actor_id)
        .bind(now)
        .fetch_optional(db)
        .await?;
        told.extend(inserted);
    }
    Ok(told)
}

/// A new like of `comment_id` by `actor_id`: the author's one notification
/// for that comment's likes is new (unread) again.
pub async fn liked(db: &Db, user_id: i64, comment_id: i64, actor_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, comment_id, actor_id, created_at, updated_at) \
         VALUES ($1, 'likes', $2, $3, $4, $4) ON CONFLICT (user_id, kind, comment_id) \
         DO UPDATE SET actor_id = excluded.actor_id, updated_at = excluded.updated_at, read_at = NULL",
    )
    .bind(user_id)
    .bind(comment_id)
    .bind(actor_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub kind: String,
    pub comment_id: i64,
    pub updated_at: i64,
    pub read_at: Option<i64>,
    pub actor: String,
    pub body_html: String,
    pub like_count: i64,
    pub headline: String,
}

/// A reader's notifications worth showing, newest first, after the `before`
/// cursor (`updated_at`, `id`).
pub async fn list(db: &Db, user_id: i64, before: Option<(i64, i64)>, limit: i64) -> Result<Vec<Row>, sqlx::Error> {
    let (at, id) = before.unwrap_or((i64::MAX, i64::MAX));
    sqlx::query_as(&format!(
        "SELECT n.id, n.kind, n.comment_id, n.updated_at, n.read_at, u.username AS actor, c.body_html, c.like_count, \
         a.headline FROM notifications n \
         JOIN comments c ON c.id = n.comment_id \
         JOIN articles a ON a.id = c.article_id \
         JOIN users u ON u.id = n.actor_id \
         WHERE n.user_id = $1 AND {SHOWN} AND (n.updated_at < $2 OR (n.updated_at = $2 AND n.id < $3)) \
         ORDER BY n.updated_at DESC, n.id DESC LIMIT $4"
    ))
    .bind(user_id)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A subquery counting the unread notifications of the user `user_id` (an SQL expression).
pub fn unread_of(user_id: &str) -> String {
    format!(
        "(SELECT COUNT(*) FROM notifications n JOIN comments c ON c.id = n.comment_id \
         WHERE n.user_id = {user_id} AND n.read_at IS NULL AND {SHOWN})"
    )
}

pub async fn unread(db: &Db, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT {}", unread_of("$1"))).bind(user_id).fetch_one(db).await
}

/// Marks as read what the reader has seen: everything updated up to `up_to`.
pub async fn mark_read(db: &Db, user_id: i64, up_to: i64, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND read_at IS NULL AND updated_at <= $2",
    )
    .bind(user_id)
    .bind(up_to)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Whether the reader asked for a mail on replies, and their confirmed address.
pub async fn reply_mail_address(db: &Db, user_id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT username, email FROM users WHERE id = $1 AND reply_emails = 1 AND deleted_at IS NULL \
         AND email_verified_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await
}

pub async fn reply_emails(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    let on: Option<i64> =
        sqlx::query_scalar("SELECT reply_emails FROM users WHERE id = $1").bind(user_id).fetch_optional(db).await?;
    Ok(on == Some(1))
}

pub async fn set_reply_emails(db: &Db, user_id: i64, on: bool) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET reply_emails = $1 WHERE id = $2 AND deleted_at IS NULL")
        .bind(i64::from(on))
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sends a bell ring to every instance (PostgreSQL's `NOTIFY`).
pub async fn ring(db: &Db, channel: &str, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_notify($1, $2)")
        .bind(channel)
        .bind(user_id.to_string())
        .execute(db)
        .await?;
    Ok(())
}
