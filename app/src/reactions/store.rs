//! Reaction SQL. A pick and the counts change in one transaction.

use super::Kind;
use crate::{
    db::Db,
    live::{self, Logged},
};

pub async fn counts(db: &Db, article_id: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT kind, count FROM reaction_counts WHERE article_id = $1").bind(article_id).fetch_all(db).await
}

pub async fn mine(db: &Db, article_id: i64, reader: &str) -> Result<Option<Kind>, sqlx::Error> {
    sqlx::query_scalar("SELECT kind FROM reactions WHERE article_id = $1 AND reader = $2")
        .bind(article_id)
        .bind(reader)
        .fetch_optional(db)
        .await
}

pub struct Applied {
    pub counts: Vec<(String, i64)>,
    pub mine: Option<Kind>,
    /// The live event, when the counts changed.
    pub event: Option<Logged>,
}

/// Sets (`Some`) or removes (`None`) a reader's pick and updates the counts.
/// `payload` turns the new counts into the live event's JSON.
pub async fn apply(
    db: &Db,
    article_id: i64,
    reader: &str,
    pick: Option<Kind>,
    now: i64,
    payload: impl Fn(&[(String, i64)]) -> String,
) -> Result<Applied, sqlx::Error> {
    let mut tx = db.begin().await?;
    // One change per reader and article at a time (the pick is read, then written).
    crate::db::lock(&mut tx, &format!("reaction:{article_id}:{reader}")).await?;
    let old: Option<Kind> =
        sqlx::query_scalar("DELETE FROM reactions WHERE article_id = $1 AND reader = $2 RETURNING kind")
            .bind(article_id)
            .bind(reader)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(old) = &old {
        sqlx::query("UPDATE reaction_counts SET count = count - 1 WHERE article_id = $1 AND kind = $2")
            .bind(article_id)
            .bind(old)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(kind) = pick {
        sqlx::query("INSERT INTO reactions (article_id, reader, kind, created_at) VALUES ($1, $2, $3, $4)")
            .bind(article_id)
            .bind(reader)
            .bind(kind)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO reaction_counts (article_id, kind, count) VALUES ($1, $2, 1) \
             ON CONFLICT (article_id, kind) DO UPDATE SET count = reaction_counts.count + 1",
        )
        .bind(article_id)
        .bind(kind)
        .execute(&mut *tx)
        .await?;
    }
    let counts: Vec<(String, i64)> = sqlx::query_as("SELECT kind, count FROM reaction_counts WHERE article_id = $1")
        .bind(article_id)
        .fetch_all(&mut *tx)
        .await?;
    let event = if old != pick {
        Some(live::store::append(&mut tx, article_id, "reactions.updated", None, payload(&counts)).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(Applied { counts, mine: pick, event })
}

/// Moves a guest's picks to an account. Where the account already picked on
/// the same article, the account's pick stays and the guest's is dropped.
/// Returns the articles whose counts changed.
pub async fn merge(db: &Db, guest: &str, user: &str) -> Result<Vec<i64>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let dropped: Vec<(i64, Kind)> = sqlx::query_as(
        "DELETE FROM reactions WHERE reader = $1 AND article_id IN \
         (SELECT article_id FROM reactions WHERE reader = $2) RETURNING article_id, kind",
    )
    .bind(guest)
    .bind(user)
    .fetch_all(&mut *tx)
    .await?;
    for (article_id, kind) in &dropped {
        sqlx::query("UPDATE reaction_counts SET count = count - 1 WHERE article_id = $1 AND kind = $2")
            .bind(article_id)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE reactions SET reader = $1 WHERE reader = $2").bind(user).bind(guest).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(dropped.into_iter().map(|(a, _)| a).collect())
}

/// A server-side setting, stored first when missing (several instances
/// starting at once agree on one value). Returns the stored value.
pub async fn setting_or_insert(db: &Db, name: &str, value: &str) -> Result<String, sqlx::Error> {
    sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(value)
        .execute(db)
        .await?;
    sqlx::query_scalar("SELECT value FROM settings WHERE name = $1").bind(name).fetch_one(db).await
}

/// Logs the counts of an article as they are now (after a guest's picks merged).
pub async fn log_counts(
    db: &Db,
    article_id: i64,
    payload: impl Fn(&[(String, i64)]) -> String,
) -> Result<Logged, sqlx::Error> {
    let mut tx = db.begin().await?;
    let counts: Vec<(String, i64)> = sqlx::query_as("SELECT kind, count FROM reaction_counts WHERE article_id = $1")
        .bind(article_id)
        .fetch_all(&mut *tx)
        .await?;
    let event = live::store::append(&mut tx, article_id, "reactions.updated", None, payload(&counts)).await?;
    tx.commit().await?;
    Ok(event)
}

/// A reader's picks, oldest first, with their articles' slugs (for their data export).
pub async fn picks_of(db: &Db, reader: &str) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.slug, r.kind, r.created_at FROM reactions r JOIN articles a ON a.id = r.article_id \
         WHERE r.reader = $1 ORDER BY r.created_at, a.slug",
    )
    .bind(reader)
    .fetch_all(db)
    .await
}

/// The articles a reader has a pick on.
pub async fn articles_of(db: &Db, reader: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT article_id FROM reactions WHERE reader = $1 ORDER BY article_id")
        .bind(reader)
        .fetch_all(db)
        .await
}
