//! The database handle, chosen at start from `DATABASE_URL`: SQLite (the
//! default, an embedded file in WAL mode) or PostgreSQL (several instances,
//! one site). Each backend has its own migrations (`migrations/sqlite`,
//! `migrations/postgres`); the store functions are the one interface above
//! them. Their SQL is written once where the two dialects agree (`$1`
//! placeholders, `RETURNING`, `ON CONFLICT`) and asks `Backend` for the few
//! fragments where they differ (full-text search, id lists, aggregates).

pub mod copy;

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode},
    AnyConnection, ConnectOptions, Connection, Executor,
};
use std::{str::FromStr, time::Duration};

pub type Db = sqlx::AnyPool;

/// How long a request waits for a free database connection before it fails.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid DATABASE_URL {url:?}: {source}")]
    Url { url: String, source: sqlx::Error },
    #[error("unsupported DATABASE_URL {0:?}: use sqlite://… or postgres://…")]
    Scheme(String),
    #[error("could not create the database directory {dir}: {source}")]
    Dir { dir: String, source: std::io::Error },
    #[error("could not open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not migrate the database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// The database engine behind a pool or connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }

    /// The backend of a pool (from the URL it was opened with).
    pub fn of(db: &Db) -> Self {
        Self::of_url(db.connect_options().database_url.as_str()).unwrap_or(Self::Sqlite)
    }

    /// The backend of a connection (inside a transaction).
    pub fn of_conn(conn: &AnyConnection) -> Self {
        if conn.backend_name().eq_ignore_ascii_case("postgresql") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// A subquery listing the ids of a JSON array bound at `param` (`$1`):
    /// `id IN (…)` with any number of ids and one bound value.
    pub fn ids_in(self, param: &str) -> String {
        match self {
            Self::Sqlite => format!("SELECT value FROM json_each({param})"),
            Self::Postgres => format!("SELECT value::bigint FROM json_array_elements_text({param}::json)"),
        }
    }

    /// The value to bind where `ids_in` reads its ids: the ids as a JSON array.
    pub fn id_list(ids: &[i64]) -> String {
        let mut out = String::with_capacity(ids.len() * 8 + 2);
        out.push('[');
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&id.to_string());
        }
        out.push(']');
        out
    }

    /// The aggregate that joins strings with a separator (`… ORDER BY …` may follow the separator).
    pub fn string_agg(self) -> &'static str {
        match self {
            Self::Sqlite => "group_concat",
            Self::Postgres => "string_agg",
        }
    }

    /// The larger of two values (not the aggregate).
    pub fn greatest(self) -> &'static str {
        match self {
            Self::Sqlite => "MAX",
            Self::Postgres => "GREATEST",
        }
    }
}

/// Opens (creating if needed) and migrates the database at `url`.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url).ok_or_else(|| DbError::Scheme(url.to_owned()))?;
    if backend == Backend::Sqlite {
        prepare_sqlite(url).await?;
    }
    let options = AnyConnectOptions::from_str(url).map_err(|source| DbError::Url { url: url.to_owned(), source })?;
    let pool = AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
        .min_connections(1)
        // Fail fast (and loudly: see `AppError::from`) rather than leave a reader waiting 30 s.
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // A ping before every query is a round trip to the connection's thread
        // for nothing on an embedded database; PostgreSQL keeps it, so a
        // connection the server dropped is replaced before a query fails on it.
        .test_before_acquire(backend == Backend::Postgres)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // Per connection: WAL makes NORMAL durable enough, and foreign keys are on.
                    conn.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000")
                        .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(DbError::Connect)?;
    migrate(&pool, backend).await?;
    Ok(pool)
}

/// Creates the SQLite file (and its directory) and switches it to WAL, which the file remembers.
async fn prepare_sqlite(url: &str) -> Result<(), DbError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| DbError::Url { url: url.to_owned(), source })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    let file = options.get_filename();
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| DbError::Dir { dir: dir.display().to_string(), source })?;
    }
    let conn = options.connect().await.map_err(DbError::Connect)?;
    conn.close().await.map_err(DbError::Connect)
}

async fn migrate(pool: &Db, backend: Backend) -> Result<(), DbError> {
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(pool).await,
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(pool).await,
    }
    .map_err(DbError::Migrate)
}

/// Serialises the transactions that change the same thing (`key`), from this
/// statement until the transaction ends. SQLite needs nothing: its first write
/// takes the one write lock. PostgreSQL takes a transaction advisory lock, so
/// read-then-write sequences (a rate count, a reader's pick) cannot interleave.
pub async fn lock(conn: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    if Backend::of_conn(conn) == Backend::Postgres {
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(key)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Whether the database answers (for `/healthz`).
pub async fn ping(db: &Db) -> Result<(), sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)").fetch_one(db).await.map(|_| ())
}

/// Seconds since the Unix epoch: how every timestamp is stored.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Maps a Rust enum stored as lower-case text to and from a column, on any
/// backend: `text_column!(Role, Role::parse, Role::as_str)`.
#[macro_export]
macro_rules! text_column {
    ($ty:ty, $parse:expr, $as_str:expr) => {
        impl<DB: sqlx::Database> sqlx::Type<DB> for $ty
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $ty
        where
            &'q str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                let text: &'static str = $as_str(self);
                <&'q str as sqlx::Encode<'q, DB>>::encode_by_ref(&text, buf)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $ty
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(value: <DB as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                $parse(text).ok_or_else(|| format!("{text:?} is not a valid {}", stringify!($ty)).into())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn an_id_list_is_the_json_array_ids_in_reads() {
        assert_eq!(Backend::id_list(&[]), "[]");
        assert_eq!(Backend::id_list(&[7]), "[7]");
        assert_eq!(Backend::id_list(&[3, -1, 9_007_199_254_740_993]), "[3,-1,9007199254740993]");
    }
}
