//! Search SQL: SQLite's FTS5 table, or PostgreSQL's weighted tsvector column
//! with its GIN index. Both take plain words (`super::query_words`) and build
//! their own query from them, so nothing a reader types is query syntax.

use crate::db::{Backend, Db};

/// Private-use characters mark the hits, so the snippet can be escaped before `<mark>` goes in.
const HIT_START: char = '\u{E000}';
const HIT_END: char = '\u{E001}';

/// An FTS5 query: every word quoted (plain text), joined by `joiner` (" " for all, " OR " for any).
fn fts5(words: &[String], joiner: &str) -> String {
    words.iter().map(|w| format!("\"{}\"", w.replace('"', ""))).collect::<Vec<_>>().join(joiner)
}

/// Matched article ids with snippets, best first, and the number of matches.
pub async fn search(
    db: &Db,
    words: &[String],
    limit: i64,
    offset: i64,
) -> Result<(Vec<(i64, String)>, i64), sqlx::Error> {
    if Backend::of(db) == Backend::Postgres {
        return search_pg(db, words, limit, offset).await;
    }
    let fts = fts5(words, " ");
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH $1")
        .bind(&fts)
        .fetch_one(db)
        .await?;
    let rows = sqlx::query_as(
        "SELECT rowid, snippet(articles_fts, -1, char(57344), char(57345), '…', 24) FROM articles_fts \
         WHERE articles_fts MATCH $1 ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0), rowid DESC LIMIT $2 OFFSET $3",
    )
    .bind(&fts)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    Ok((rows, total))
}

/// All the words, ranked by `ts_rank` (headline above summary above body), newest first on ties.
async fn search_pg(
    db: &Db,
    words: &[String],
    limit: i64,
    offset: i64,
) -> Result<(Vec<(i64, String)>, i64), sqlx::Error> {
    let text = words.join(" ");
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles WHERE search @@ plainto_tsquery('simple', $1)")
        .bind(&text)
        .fetch_one(db)
        .await?;
    let rows = sqlx::query_as(
        "SELECT id, ts_headline('simple', summary || ' ' || body_text, q, $4) \
         FROM articles, plainto_tsquery('simple', $1) AS q WHERE search @@ q \
         ORDER BY ts_rank(search, q) DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(&text)
    .bind(limit)
    .bind(offset)
    .bind(format!("StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=24, MinWords=12, ShortWord=2"))
    .fetch_all(db)
    .await?;
    Ok((rows, total))
}

/// Other articles with how many tags they share with `article_id`.
pub async fn shared_tags(db: &Db, article_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT other.article_id, COUNT(*) FROM article_tags mine \
         JOIN article_tags other ON other.tag_id = mine.tag_id AND other.article_id != mine.article_id \
         WHERE mine.article_id = $1 GROUP BY other.article_id",
    )
    .bind(article_id)
    .fetch_all(db)
    .await
}

/// Text similarity of other articles to any of `words`: lower is closer
/// (FTS5's bm25, or PostgreSQL's `ts_rank` negated).
pub async fn text_scores(db: &Db, words: &[String], article_id: i64) -> Result<Vec<(i64, f64)>, sqlx::Error> {
    if Backend::of(db) == Backend::Postgres {
        return sqlx::query_as(
            "SELECT id, CAST(-ts_rank(search, q) AS DOUBLE PRECISION) \
             FROM articles, websearch_to_tsquery('simple', $1) AS q WHERE search @@ q AND id != $2 \
             ORDER BY id LIMIT 200",
        )
        .bind(words.join(" or "))
        .bind(article_id)
        .fetch_all(db)
        .await;
    }
    sqlx::query_as(
        "SELECT rowid, bm25(articles_fts, 10.0, 4.0, 1.0) FROM articles_fts WHERE articles_fts MATCH $1 AND rowid != $2 \
         ORDER BY rowid LIMIT 200",
    )
    .bind(fts5(words, " OR "))
    .bind(article_id)
    .fetch_all(db)
    .await
}

pub async fn headline_and_summary(db: &Db, article_id: i64) -> Result<(String, String), sqlx::Error> {
    sqlx::query_as("SELECT headline, summary FROM articles WHERE id = $1").bind(article_id).fetch_one(db).await
}
