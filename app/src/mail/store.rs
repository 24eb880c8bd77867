//! The outbox: mail kept when no SMTP server is configured (or one refused it).

use crate::db::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    /// JSON array of `[name, value]` pairs.
    pub headers: String,
    pub created_at: i64,
}

pub async fn insert(
    db: &Db,
    recipient: &str,
    subject: &str,
    body_text: &str,
    headers: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO mail_outbox (recipient, subject, body_text, headers, created_at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body_text)
    .bind(headers)
    .bind(now)
    .fetch_one(db)
    .await
}

/// The newest `limit` mails, newest first.
pub async fn newest(db: &Db, limit: i64) -> Result<Vec<OutboxRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, recipient, subject, body_text, headers, created_at FROM mail_outbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, id: i64) -> Result<Option<OutboxRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, recipient, subject, body_text, headers, created_at FROM mail_outbox WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}
