//! Comment SQL. Portable SQL: see `db::Backend` for where the dialects differ.

use super::{CommentStatus, Sort};
use crate::{
    db::{Backend, Db},
    live::{self, Logged},
};
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub article_id: i64,
    pub author_id: i64,
    pub author: String,
    pub parent_id: Option<i64>,
    pub thread_id: i64,
    pub depth: i64,
    pub reply_to_user: Option<String>,
    pub body_html: String,
    pub body_source: String,
    pub status: CommentStatus,
    pub like_count: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

const COLUMNS: &str = "c.id, c.article_id, c.author_id, u.username AS author, c.parent_id, c.thread_id, c.depth, \
    c.reply_to_user, c.body_html, c.body_source, c.status, c.like_count, c.created_at, c.edited_at";

/// Who may see what: everyone sees visible comments and deleted ones that keep
/// live replies; authors see their own held ones; moderators see everything.
const VISIBLE_TO: &str = "(c.status = 'visible' \
    OR (c.status = 'held' AND c.author_id = $2) \
    OR $3 = 1 \
    OR (c.status = 'deleted' AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND r.status = 'visible')))";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cursor {
    Id(i64),
    Top { likes: i64, id: i64 },
}

pub struct Visibility {
    pub viewer_id: i64,
    pub moderator: bool,
}

/// A page of top-level comments.
pub async fn threads(
    db: &Db,
    article_id: i64,
    sort: Sort,
    cursor: Option<Cursor>,
    limit: i64,
    vis: &Visibility,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    let (after, order) = match (sort, cursor) {
        (Sort::Newest, Some(Cursor::Id(id))) => (format!("AND c.id < {id}"), "c.id DESC"),
        (Sort::Newest, _) => (String::new(), "c.id DESC"),
        (Sort::Oldest, Some(Cursor::Id(id))) => (format!("AND c.id > {id}"), "c.id ASC"),
        (Sort::Oldest, _) => (String::new(), "c.id ASC"),
        (Sort::Top, Some(Cursor::Top { likes, id })) => (
            format!("AND (c.like_count < {likes} OR (c.like_count = {likes} AND c.id < {id}))"),
            "c.like_count DESC, c.id DESC",
        ),
        (Sort::Top, _) => (String::new(), "c.like_count DESC, c.id DESC"),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id \
         WHERE c.article_id = $1 AND c.depth = 1 AND {VISIBLE_TO} {after} ORDER BY {order} LIMIT $4"
    );
    sqlx::query_as(&sql)
        .bind(article_id)
        .bind(vis.viewer_id)
        .bind(i64::from(vis.moderator))
        .bind(limit)
        .fetch_all(db)
        .await
}

/// The first `per_thread` replies after `after` in each of the given threads, oldest first.
pub async fn replies(
    db: &Db,
    thread_ids: &[i64],
    vis: &Visibility,
    after: i64,
    per_thread: i64,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    if thread_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = Backend::id_list(thread_ids);
    let ids_in = Backend::of(db).ids_in("$1");
    let sql = format!(
        "SELECT * FROM (SELECT {COLUMNS}, ROW_NUMBER() OVER (PARTITION BY c.thread_id ORDER BY c.id) AS rn \
         FROM comments c JOIN users u ON u.id = c.author_id \
         WHERE c.thread_id IN ({ids_in}) AND c.depth > 1 AND c.id > $5 AND {VISIBLE_TO}) AS t \
         WHERE rn <= $4 ORDER BY id"
    );
    sqlx::query_as(&sql)
        .bind(ids)
        .bind(vis.viewer_id)
        .bind(i64::from(vis.moderator))
        .bind(per_thread)
        .bind(after)
        .fetch_all(db)
        .await
}

/// How many replies each of the given threads has for this viewer, after `after`.
pub async fn reply_counts(
    db: &Db,
    thread_ids: &[i64],
    vis: &Visibility,
    after: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    if thread_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = Backend::id_list(thread_ids);
    let ids_in = Backend::of(db).ids_in("$1");
    let sql = format!(
        "SELECT c.thread_id, COUNT(*) FROM comments c \
         WHERE c.thread_id IN ({ids_in}) AND c.depth > 1 AND c.id > $4 AND {VISIBLE_TO} \
         GROUP BY c.thread_id"
    );
    sqlx::query_as(&sql).bind(ids).bind(vis.viewer_id).bind(i64::from(vis.moderator)).bind(after).fetch_all(db).await
}

pub async fn get(db: &Db, id: i64) -> Result<Option<CommentRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

async fn get_in(conn: &mut AnyConnection, id: i64) -> Result<CommentRow, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1"))
        .bind(id)
        .fetch_one(conn)
        .await
}

/// The ids among `ids` the user has liked.
pub async fn liked_by(db: &Db, user_id: i64, ids: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = Backend::id_list(ids);
    let sql = format!(
        "SELECT comment_id FROM comment_likes WHERE user_id = $1 AND comment_id IN ({})",
        Backend::of(db).ids_in("$2")
    );
    sqlx::query_scalar(&sql).bind(user_id).bind(ids).fetch_all(db).await
}

/// What is a reader's own on an article: the comments they liked there, and
/// whether they have comments there that wait for a moderator (which only they see).
#[derive(Debug, Default)]
pub struct ReaderMarks {
    pub liked: Vec<i64>,
    pub has_held: bool,
}

pub async fn reader_marks(db: &Db, user_id: i64, article_id: i64) -> Result<ReaderMarks, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT l.comment_id, CAST(0 AS BIGINT) FROM comment_likes l JOIN comments c ON c.id = l.comment_id \
         WHERE l.user_id = $1 AND c.article_id = $2 \
         UNION ALL \
         SELECT c.id, CAST(1 AS BIGINT) FROM comments c WHERE c.author_id = $1 AND c.article_id = $2 AND c.status = 'held'",
    )
    .bind(user_id)
    .bind(article_id)
    .fetch_all(db)
    .await?;
    let has_held = rows.iter().any(|(_, held)| *held == 1);
    Ok(ReaderMarks { liked: rows.into_iter().filter(|(_, held)| *held == 0).map(|(id, _)| id).collect(), has_held })
}

pub async fn visible_count(db: &Db, article_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT comment_count FROM articles WHERE id = $1").bind(article_id).fetch_one(db).await
}

/// Whether the author wrote the same text (other than in comment `except`) since `since`.
pub async fn recent_same_text(
    db: &Db,
    author_id: i64,
    hash: &str,
    since: i64,
    except: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM comments WHERE author_id = $1 AND body_hash = $2 AND COALESCE(edited_at, created_at) > $3 \
         AND status != 'deleted' AND id != $4 LIMIT 1",
    )
    .bind(author_id)
    .bind(hash)
    .bind(since)
    .bind(except)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// The text a comment was written in (Markdown-ish source, before rendering).
pub async fn source(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT body_source FROM comments WHERE id = $1").bind(id).fetch_optional(db).await
}

pub async fn comments_by(db: &Db, author_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE author_id = $1").bind(author_id).fetch_one(db).await
}

pub struct NewComment<'a> {
    pub article_id: i64,
    pub author_id: i64,
    pub parent_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub depth: i64,
    pub reply_to_user: Option<&'a str>,
    pub source: &'a str,
    pub html: &'a str,
    pub hash: &'a str,
    pub status: CommentStatus,
    pub now: i64,
}

/// Inserts a comment; when visible, counts it and logs `comment.created`,
/// all in one transaction.
pub async fn insert(db: &Db, new: NewComment<'_>) -> Result<(CommentRow, Option<Logged>), sqlx::Error> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (article_id, author_id, parent_id, thread_id, depth, reply_to_user, body_source, body_html, \
            body_hash, status, created_at) VALUES ($1, $2, $3, COALESCE($4, 0), $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(new.article_id)
    .bind(new.author_id)
    .bind(new.parent_id)
    .bind(new.thread_id)
    .bind(new.depth)
    .bind(new.reply_to_user)
    .bind(new.source)
    .bind(new.html)
    .bind(new.hash)
    .bind(new.status)
    .bind(new.now)
    .fetch_one(&mut *tx)
    .await?;
    if new.thread_id.is_none() {
        sqlx::query("UPDATE comments SET thread_id = id WHERE id = $1").bind(id).execute(&mut *tx).await?;
    }
    let row = get_in(&mut tx, id).await?;
    let event = if new.status == CommentStatus::Visible {
        sqlx::query("UPDATE articles SET comment_count = comment_count + 1 WHERE id = $1")
            .bind(new.article_id)
            .execute(&mut *tx)
            .await?;
        Some(live::store::append(&mut tx, new.article_id, "comment.created", Some(id), String::new()).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok((row, event))
}

/// Replaces a comment's text; with `hold`, a visible comment goes back to
/// the moderators (and out of the count). Logs `comment.updated` when it was
/// visible: readers are then sent the new text, or that it is gone.
pub async fn update_body(
    db: &Db,
    id: i64,
    source: &str,
    html: &str,
    hash: &str,
    now: i64,
    hold: bool,
) -> Result<(CommentRow, Option<Logged>), sqlx::Error> {
    let mut tx = db.begin().await?;
    let before: CommentStatus = sqlx::query_scalar(
        "UPDATE comments SET body_source = $1, body_html = $2, body_hash = $3, edited_at = $4 WHERE id = $5 \
         RETURNING status",
    )
    .bind(source)
    .bind(html)
    .bind(hash)
    .bind(now)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if hold && before == CommentStatus::Visible {
        sqlx::query("UPDATE comments SET status = 'held' WHERE id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE articles SET comment_count = comment_count - 1 WHERE id = (SELECT article_id FROM comments WHERE id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    let row = get_in(&mut tx, id).await?;
    let event = if before == CommentStatus::Visible {
        Some(live::store::append(&mut tx, row.article_id, "comment.updated", Some(id), String::new()).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok((row, event))
}

/// A status change: the comment as it is now, whether it keeps visible
/// replies, and the logged event.
pub struct StatusChange {
    pub row: CommentRow,
    pub has_replies: bool,
    pub event: Option<Logged>,
}

/// Moves a comment to `status`, keeping the article's count right, and logs
/// `kind` (None: no event).
pub async fn set_status(
    db: &Db,
    id: i64,
    status: CommentStatus,
    kind: Option<&str>,
) -> Result<StatusChange, sqlx::Error> {
    let mut tx = db.begin().await?;
    // A write first, so the transaction holds the write lock before it reads.
    sqlx::query("UPDATE comments SET status = status WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let before: CommentStatus =
        sqlx::query_scalar("SELECT status FROM comments WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    sqlx::query("UPDATE comments SET status = $1 WHERE id = $2").bind(status).bind(id).execute(&mut *tx).await?;
    let row = get_in(&mut tx, id).await?;
    let delta = i64::from(status == CommentStatus::Visible) - i64::from(before == CommentStatus::Visible);
    if delta != 0 {
        sqlx::query("UPDATE articles SET comment_count = comment_count + $1 WHERE id = $2")
            .bind(delta)
            .bind(row.article_id)
            .execute(&mut *tx)
            .await?;
    }
    let visible_reply: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM comments WHERE parent_id = $1 AND status = 'visible' LIMIT 1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let has_replies = visible_reply.is_some();
    let event = match kind {
        Some(kind) => Some(live::store::append(&mut tx, row.article_id, kind, Some(id), String::new()).await?),
        None => None,
    };
    tx.commit().await?;
    Ok(StatusChange { row, has_replies, event })
}

/// Likes (`want`) or unlikes a comment for a user. Idempotent and atomic: the
/// row's insert or delete decides whether anything changed, so two requests at
/// once cannot turn into a like and an unlike. Returns the count, whether the
/// user now likes it, and the event when something changed.
pub async fn set_like(
    db: &Db,
    comment_id: i64,
    article_id: i64,
    user_id: i64,
    want: bool,
    now: i64,
) -> Result<(i64, bool, Option<Logged>), sqlx::Error> {
    let mut tx = db.begin().await?;
    let changed = if want {
        sqlx::query(
            "INSERT INTO comment_likes (comment_id, user_id, created_at) VALUES ($1, $2, $3)              ON CONFLICT (comment_id, user_id) DO NOTHING",
        )
        .bind(comment_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("DELETE FROM comment_likes WHERE comment_id = $1 AND user_id = $2")
            .bind(comment_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
    }
    .rows_affected()
        == 1;
    let likes: i64 = if changed {
        sqlx::query_scalar("UPDATE comments SET like_count = like_count + $1 WHERE id = $2 RETURNING like_count")
            .bind(if want { 1 } else { -1 })
            .bind(comment_id)
            .fetch_one(&mut *tx)
            .await?
    } else {
        sqlx::query_scalar("SELECT like_count FROM comments WHERE id = $1").bind(comment_id).fetch_one(&mut *tx).await?
    };
    let event = if changed {
        Some(live::store::append(&mut tx, article_id, "comment.liked", Some(comment_id), String::new()).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok((likes, want, event))
}

/// The comments with these ids, as they are now.
pub async fn get_many(db: &Db, ids: &[i64]) -> Result<Vec<CommentRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = Backend::id_list(ids);
    let ids_in = Backend::of(db).ids_in("$1");
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id IN ({ids_in})"
    ))
    .bind(ids)
    .fetch_all(db)
    .await
}

/// The ids among `ids` that have at least one visible reply.
pub async fn with_visible_replies(db: &Db, ids: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = Backend::id_list(ids);
    let sql = format!(
        "SELECT DISTINCT parent_id FROM comments WHERE parent_id IN ({}) AND status = 'visible'",
        Backend::of(db).ids_in("$1")
    );
    sqlx::query_scalar(&sql).bind(ids).fetch_all(db).await
}

/// Files a report; a second report of the same comment by the same reader
/// changes nothing. Returns whether the report is new.
pub async fn report(db: &Db, comment_id: i64, reporter_id: i64, reason: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO comment_reports (comment_id, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (comment_id, reporter_id) DO NOTHING",
    )
    .bind(comment_id)
    .bind(reporter_id)
    .bind(reason)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    pub comment_id: i64,
    pub slug: String,
    pub headline: String,
    pub reasons: Option<String>,
    pub report_count: i64,
}

/// Comments awaiting approval, then those with open reports, oldest first.
pub async fn queue(db: &Db, limit: i64, offset: i64) -> Result<Vec<QueueRow>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id AS comment_id, a.slug, a.headline, \
            (SELECT {string_agg}(r.reason, '\n') FROM comment_reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL) AS reasons, \
            (SELECT COUNT(*) FROM comment_reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL) AS report_count \
         FROM comments c JOIN articles a ON a.id = c.article_id \
         WHERE c.status = 'held' OR EXISTS (SELECT 1 FROM comment_reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL) \
         ORDER BY c.status = 'held' DESC, c.created_at, c.id LIMIT $1 OFFSET $2",
        string_agg = Backend::of(db).string_agg()
    );
    sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(db).await
}

pub async fn resolve_reports(db: &Db, comment_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE comment_reports SET resolved_at = $1 WHERE comment_id = $2 AND resolved_at IS NULL")
        .bind(now)
        .bind(comment_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn ban(db: &Db, username: &str, now: Option<i64>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET banned_at = $1 WHERE username_key = $2")
        .bind(now)
        .bind(username.to_ascii_lowercase())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn article_slug(db: &Db, article_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM articles WHERE id = $1").bind(article_id).fetch_one(db).await
}

/// The comments a reader wrote that others can see, newest first, with their articles.
pub async fn by_author(
    db: &Db,
    author_id: i64,
    limit: i64,
) -> Result<Vec<(i64, String, String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, a.slug, a.headline, c.body_html, c.created_at FROM comments c JOIN articles a ON a.id = c.article_id \
         WHERE c.author_id = $1 AND c.status = 'visible' ORDER BY c.id DESC LIMIT $2",
    )
    .bind(author_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Every comment an author wrote, oldest first, for their data export: id,
/// article slug, parent, status, source (empty once deleted), written, edited.
pub async fn all_by_author(db: &Db, author_id: i64) -> Result<Vec<ExportRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, a.slug AS article_slug, c.parent_id, c.status, \
         CASE WHEN c.status = 'deleted' THEN '' ELSE c.body_source END AS body_source, c.created_at, c.edited_at \
         FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.author_id = $1 ORDER BY c.id",
    )
    .bind(author_id)
    .fetch_all(db)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub article_slug: String,
    pub parent_id: Option<i64>,
    pub status: CommentStatus,
    pub body_source: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

/// The comments a reader liked, and when, for their data export.
pub async fn likes_of(db: &Db, user_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT comment_id, created_at FROM comment_likes WHERE user_id = $1 ORDER BY created_at, comment_id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Blanks the words of an author's deleted comments (an account deleted by
/// its reader keeps none of what it wrote).
/// Replies name whom they answer ("replying to @name") once threads are too
/// deep to indent; a deleted account's name goes from every such label.
pub async fn forget_reply_names(db: &Db, author_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE comments SET reply_to_user = NULL \
         WHERE reply_to_user = (SELECT username FROM users WHERE id = $1)",
    )
    .bind(author_id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn erase_deleted_words(db: &Db, author_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE comments SET body_source = '', body_html = '', body_hash = '' \
         WHERE author_id = $1 AND status = 'deleted' AND body_source <> ''",
    )
    .bind(author_id)
    .execute(db)
    .await?;
    Ok(())
}
