//! Search SQL (SQLite FTS5).

use crate::db::Db;

/// Matched article ids with snippets, best first, and the number of matches.
pub async fn search(db: &Db, fts: &str, limit: i64, offset: i64) -> Result<(Vec<(i64, String)>, i64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?")
        .bind(fts)
        .fetch_one(db)
        .await?;
    // Private-use characters mark the hits, so the snippet can be escaped before <mark> goes in.
    let rows = sqlx::query_as(
        "SELECT rowid, snippet(articles_fts, -1, char(57344), char(57345), '…', 24) FROM articles_fts \
         WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0), rowid DESC LIMIT ? OFFSET ?",
    )
    .bind(fts)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    Ok((rows, total))
}

/// Other articles with how many tags they share with `article_id`.
pub async fn shared_tags(db: &Db, article_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT other.article_id, COUNT(*) FROM article_tags mine \
         JOIN article_tags other ON other.tag_id = mine.tag_id AND other.article_id != mine.article_id \
         WHERE mine.article_id = ? GROUP BY other.article_id",
    )
    .bind(article_id)
    .fetch_all(db)
    .await
}

/// Text similarity: bm25 of other articles against a query made of this one's words.
pub async fn text_scores(db: &Db, fts: &str, article_id: i64) -> Result<Vec<(i64, f64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT rowid, bm25(articles_fts, 10.0, 4.0, 1.0) FROM articles_fts WHERE articles_fts MATCH ? AND rowid != ? \
         ORDER BY rowid LIMIT 200",
    )
    .bind(fts)
    .bind(article_id)
    .fetch_all(db)
    .await
}

pub async fn headline_and_summary(db: &Db, article_id: i64) -> Result<(String, String), sqlx::Error> {
    sqlx::query_as("SELECT headline, summary FROM articles WHERE id = ?").bind(article_id).fetch_one(db).await
}
