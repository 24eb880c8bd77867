//! `server db copy`: moves a whole site from one database to another (from
//! SQLite up to PostgreSQL, typically), ids and all, in one transaction on the
//! target, which must be empty. Row counts are compared table by table after.

use super::{Backend, Db};
use sqlx::{any::AnyRow, Row};

/// How a column is read and written.
#[derive(Debug, Clone, Copy)]
enum Ty {
    Int,
    OptInt,
    Text,
    OptText,
}
use Ty::{Int, OptInt, OptText, Text};

/// Every table, parents before children, with every column a copy must carry
/// (the search index is not among them: each backend builds its own).
const TABLES: &[(&str, &[(&str, Ty)])] = &[
    ("authors", &[("id", Int), ("name", Text), ("created_at", Int)]),
    (
        "articles",
        &[
            ("id", Int),
            ("slug", Text),
            ("headline", Text),
            ("summary", Text),
            ("author_id", Int),
            ("lead_image_src", Text),
            ("lead_image_alt", Text),
            ("lead_image_caption", Text),
            ("lead_image_credit", Text),
            ("lead_image_width", Int),
            ("lead_image_height", Int),
            ("body_markdown", Text),
            ("body_html", Text),
            ("body_text", Text),
            ("published_at", Int),
            ("updated_at", Int),
            ("source_hash", Text),
            ("imported_at", Int),
            ("comment_count", Int),
        ],
    ),
    ("tags", &[("id", Int), ("name", Text)]),
    ("article_tags", &[("article_id", Int), ("tag_id", Int), ("position", Int)]),
    (
        "article_media",
        &[("id", Int), ("article_id", Int), ("position", Int), ("provider", Text), ("source", Text), ("title", Text)],
    ),
    ("promos", &[("article_id", Int), ("person", Text), ("show_title", Text), ("link", Text)]),
    (
        "users",
        &[
            ("id", Int),
            ("username", Text),
            ("username_key", Text),
            ("email", Text),
            ("email_key", Text),
            ("password_hash", Text),
            ("role", Text),
            ("banned_at", OptInt),
            ("created_at", Int),
            ("email_verified_at", OptInt),
            ("deleted_at", OptInt),
            ("reply_emails", Int),
        ],
    ),
    (
        "sessions",
        &[
            ("token_hash", Text),
            ("user_id", Int),
            ("created_at", Int),
            ("last_seen_at", Int),
            ("expires_at", Int),
            ("device", Text),
        ],
    ),
    ("rate_events", &[("id", Int), ("bucket", Text), ("key", Text), ("at", Int)]),
    ("settings", &[("name", Text), ("value", Text)]),
    ("reactions", &[("article_id", Int), ("reader", Text), ("kind", Text), ("created_at", Int)]),
    ("reaction_counts", &[("article_id", Int), ("kind", Text), ("count", Int)]),
    (
        "comments",
        &[
            ("id", Int),
            ("article_id", Int),
            ("author_id", Int),
            ("parent_id", OptInt),
            ("thread_id", Int),
            ("depth", Int),
            ("reply_to_user", OptText),
            ("body_source", Text),
            ("body_html", Text),
            ("body_hash", Text),
            ("status", Text),
            ("like_count", Int),
            ("created_at", Int),
            ("edited_at", OptInt),
        ],
    ),
    ("comment_likes", &[("comment_id", Int), ("user_id", Int), ("created_at", Int)]),
    (
        "comment_reports",
        &[
            ("id", Int),
            ("comment_id", Int),
            ("reporter_id", Int),
            ("reason", Text),
            ("created_at", Int),
            ("resolved_at", OptInt),
        ],
    ),
    (
        "live_events",
        &[
            ("id", Int),
            ("article_id", Int),
            ("kind", Text),
            ("comment_id", OptInt),
            ("payload", Text),
            ("created_at", Int),
        ],
    ),
    ("live_floors", &[("article_id", Int), ("pruned_through", Int)]),
    (
        "notifications",
        &[
            ("id", Int),
            ("user_id", Int),
            ("kind", Text),
            ("comment_id", Int),
            ("actor_id", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("read_at", OptInt),
        ],
    ),
    (
        "account_tokens",
        &[
            ("token_hash", Text),
            ("user_id", Int),
            ("purpose", Text),
            ("email", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("used_at", OptInt),
        ],
    ),
    (
        "mail_outbox",
        &[
            ("id", Int),
            ("recipient", Text),
            ("subject", Text),
            ("body_text", Text),
            ("headers", Text),
            ("created_at", Int),
        ],
    ),
];

/// Tables whose `id` the database hands out (its counter moves past the copied ids).
const WITH_IDS: &[&str] = &[
    "authors",
    "articles",
    "tags",
    "article_media",
    "users",
    "rate_events",
    "comments",
    "comment_reports",
    "live_events",
    "mail_outbox",
    "notifications",
];

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the target is not empty: {table} has {rows} row(s); copy only into a new database")]
    NotEmpty { table: &'static str, rows: i64 },
    #[error("{table}: {source_rows} row(s) in the source but {target_rows} in the target after the copy")]
    Mismatch { table: &'static str, source_rows: i64, target_rows: i64 },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// What was copied: each table and its rows.
pub type Report = Vec<(&'static str, i64)>;

async fn count(db: &Db, table: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")).fetch_one(db).await
}

/// Copies every table of `from` into `to` (both migrated, `to` empty).
pub async fn copy(from: &Db, to: &Db) -> Result<Report, CopyError> {
    for (table, _) in TABLES {
        let rows = count(to, table).await?;
        if rows > 0 {
            return Err(CopyError::NotEmpty { table, rows });
        }
    }
    let mut tx = to.begin().await?;
    let mut report = Report::new();
    for (table, columns) in TABLES {
        let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        let order = if columns.iter().any(|(name, _)| *name == "id") { "id" } else { names[0] };
        let select = format!("SELECT {} FROM {table} ORDER BY {order}", names.join(", "));
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let insert = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "));
        let rows: Vec<AnyRow> = sqlx::query(&select).fetch_all(from).await?;
        for row in &rows {
            let mut query = sqlx::query(&insert);
            for (i, (_, ty)) in columns.iter().enumerate() {
                query = match ty {
                    Int => query.bind(row.try_get::<i64, _>(i)?),
                    OptInt => query.bind(row.try_get::<Option<i64>, _>(i)?),
                    Text => query.bind(row.try_get::<String, _>(i)?),
                    OptText => query.bind(row.try_get::<Option<String>, _>(i)?),
                };
            }
            query.execute(&mut *tx).await?;
        }
        report.push((*table, rows.len() as i64));
    }
    if Backend::of(to) == Backend::Postgres {
        for table in WITH_IDS {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            ))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    for (table, _) in TABLES {
        let (source_rows, target_rows) = (count(from, table).await?, count(to, table).await?);
        if source_rows != target_rows {
            return Err(CopyError::Mismatch { table, source_rows, target_rows });
        }
    }
    Ok(report)
}
