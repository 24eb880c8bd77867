//! Rate-limit SQL. Portable SQL: see `db::Backend` for where the dialects differ.

use crate::db::Db;

/// Records an event for `key` in `bucket` and counts the events since
/// `since`, in one transaction that holds the key's lock (`db::lock`), so
/// parallel attempts are counted one after another. The
/// event is kept only when the count stays within `max`.
/// Returns `Ok(id)` when kept, `Err((count, oldest))` when refused.
pub async fn try_record(
    db: &Db,
    bucket: &str,
    key: &str,
    now: i64,
    since: i64,
    max: i64,
) -> Result<Result<i64, i64>, sqlx::Error> {
    let mut tx = db.begin().await?;
    crate::db::lock(&mut tx, &format!("rate:{bucket}:{key}")).await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO rate_events (bucket, key, at) VALUES ($1, $2, $3) RETURNING id")
        .bind(bucket)
        .bind(key)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
    let (count, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM rate_events WHERE bucket = $1 AND key = $2 AND at > $3")
            .bind(bucket)
            .bind(key)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
    if count > max {
        tx.rollback().await?;
        return Ok(Err(oldest.unwrap_or(now)));
    }
    // Old events are useless; trim this key's so the table stays small.
    sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND key = $2 AND at <= $3")
        .bind(bucket)
        .bind(key)
        .bind(since)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub async fn delete(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE id = $1").bind(id).execute(db).await?;
    Ok(())
}

pub async fn clear(db: &Db, bucket: &str, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND key = $2").bind(bucket).bind(key).execute(db).await?;
    Ok(())
}
