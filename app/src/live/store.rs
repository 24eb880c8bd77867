//! The live log's SQL.

use super::Logged;
use crate::db::{now, Backend, Db};
use sqlx::AnyConnection;

/// Appends an event inside the caller's transaction; returns it with its id.
/// Comment events name their comment and carry no payload: what readers are
/// sent is built from the comment as it is when it is sent.
pub async fn append(
    conn: &mut AnyConnection,
    article_id: i64,
    kind: &str,
    comment_id: Option<i64>,
    payload: String,
) -> Result<Logged, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO live_events (article_id, kind, comment_id, payload, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(article_id)
    .bind(kind)
    .bind(comment_id)
    .bind(&payload)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    if Backend::of_conn(conn) == Backend::Postgres {
        // Delivered when (and only if) the transaction commits; the id only,
        // since payloads are capped at 8,000 bytes: listeners read the row.
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(Logged { id, article_id, kind: kind.to_owned(), comment_id, payload })
}

/// The PostgreSQL notification channel that announces new events (by id).
pub const CHANNEL: &str = "spotlight_live";

/// Events of every article after `after_id`, oldest first (what the relay reads).
pub async fn all_since(db: &Db, after_id: i64, limit: i64) -> Result<Vec<Logged>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {LOGGED} FROM live_events WHERE id > $1 ORDER BY id LIMIT $2"))
        .bind(after_id)
        .bind(limit)
        .fetch_all(db)
        .await
}

/// The events with these ids that exist, in any order (the relay looking for
/// ids it saw skipped).
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Logged>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = Backend::id_list(ids);
    let sql = format!("SELECT {LOGGED} FROM live_events WHERE id IN ({})", Backend::of(db).ids_in("$1"));
    sqlx::query_as(&sql).bind(ids).fetch_all(db).await
}

/// The columns of a `Logged`.
const LOGGED: &str = "id, article_id, kind, comment_id, payload";

/// The newest event id of the whole site (0 when none).
pub async fn max_id(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM live_events").fetch_one(db).await
}

/// Events of one article after `after_id`, oldest first.
pub async fn since(db: &Db, article_id: i64, after_id: i64, limit: i64) -> Result<Vec<Logged>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {LOGGED} FROM live_events WHERE article_id = $1 AND id > $2 ORDER BY id LIMIT $3"))
        .bind(article_id)
        .bind(after_id)
        .bind(limit)
        .fetch_all(db)
        .await
}

/// The newest event id of an article (0 when none): where a fresh page starts listening.
pub async fn latest_id(db: &Db, article_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM live_events WHERE article_id = $1")
        .bind(article_id)
        .fetch_one(db)
        .await
}

/// The last id pruned from an article's log (0 when nothing was).
pub async fn floor(db: &Db, article_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(pruned_through), 0) FROM live_floors WHERE article_id = $1")
        .bind(article_id)
        .fetch_one(db)
        .await
}

/// Deletes events written before `before` (unix seconds), remembering per
/// article how far its log now starts. Returns how many were deleted.
pub async fn prune(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = format!(
        "INSERT INTO live_floors (article_id, pruned_through) \
         SELECT article_id, MAX(id) FROM live_events WHERE created_at < $1 GROUP BY article_id \
         ON CONFLICT (article_id) DO UPDATE SET pruned_through = {greatest}(live_floors.pruned_through, excluded.pruned_through)",
        greatest = Backend::of(db).greatest()
    );
    sqlx::query(&sql).bind(before).execute(&mut *tx).await?;
    let deleted = sqlx::query("DELETE FROM live_events WHERE created_at < $1").bind(before).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(deleted.rows_affected())
}
