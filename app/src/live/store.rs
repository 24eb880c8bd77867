use super::LiveEvent;
use crate::db::{now, Db};
use sqlx::SqliteConnection;

/// Appends an event inside the caller's transaction; returns it with its id.
pub async fn append(
    conn: &mut SqliteConnection,
    article_id: i64,
    kind: &str,
    data: String,
) -> Result<LiveEvent, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO live_events (article_id, kind, payload, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(article_id)
    .bind(kind)
    .bind(&data)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    Ok(LiveEvent { id, article_id, kind: kind.to_owned(), data })
}

/// Events of one article after `after_id`, oldest first.
pub async fn since(db: &Db, article_id: i64, after_id: i64, limit: i64) -> Result<Vec<LiveEvent>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, kind, payload FROM live_events WHERE article_id = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(article_id)
            .bind(after_id)
            .bind(limit)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(id, kind, data)| LiveEvent { id, article_id, kind, data }).collect())
}

/// The newest event id of an article (0 when none): where a fresh page starts listening.
pub async fn latest_id(db: &Db, article_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM live_events WHERE article_id = ?")
        .bind(article_id)
        .fetch_one(db)
        .await
}
