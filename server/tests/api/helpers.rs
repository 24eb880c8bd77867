use app::state::AppState;
use server::{config::Config, startup::Application};
use std::path::PathBuf;

/// No test request may hang the suite: a stuck request fails its test instead.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A client without cookies (a fresh guest).
pub fn plain_client() -> reqwest::Client {
    reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build().unwrap()
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub config: Config,
    /// Stops the server (and its runtime) when the test ends.
    _stop: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
    /// Dropped last: a PostgreSQL test database goes once its server has stopped.
    _db: TestDb,
}

/// The PostgreSQL server the suite runs against instead of SQLite when
/// `TEST_POSTGRES_URL` is set (`make test-postgres` sets it when one answers).
pub fn postgres_server() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())
}

/// A test's own database: a SQLite file in its temporary directory, or a fresh
/// PostgreSQL database that is dropped when the test ends.
pub struct TestDb {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub async fn new(dir: &std::path::Path) -> Self {
        let Some(server) = postgres_server() else {
            return Self { url: format!("sqlite://{}", dir.join("spotlight.db").display()), postgres: None };
        };
        use sqlx::{Connection, Executor};
        let name = format!("spotlight_test_{}", uuid_like());
        let mut admin = sqlx::PgConnection::connect(&server).await.expect("the PostgreSQL server answers");
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create the test database");
        let _ = admin.close().await;
        let url = format!("{}/{name}", server.trim_end_matches('/'));
        Self { url, postgres: Some((server, name)) }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else { return };
        // Drop runs inside the test's runtime: the drop gets a thread and a runtime of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async move {
                use sqlx::{Connection, Executor};
                if let Ok(mut admin) = sqlx::PgConnection::connect(&server).await {
                    let _ = admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    format!("{}_{}_{}", std::process::id(), nanos % 1_000_000_000, NEXT.fetch_add(1, Ordering::Relaxed))
}

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn test_config(dir: &std::path::Path) -> Config {
    let mut config = Config::from_env().expect("config");
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.database_url = format!("sqlite://{}", dir.join("spotlight.db").display());
    config.site_url = None;
    config.content_dir = Some(workspace().join("content"));
    config.public_dir = workspace().join("public");
    config.leptos.site_root = workspace().join("public").display().to_string().into();
    config
}

/// Starts the whole application with the demo content on a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .try_init();
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb::new(dir.path()).await;
    let mut config = test_config(dir.path());
    config.database_url = db.url.clone();
    adjust(&mut config);
    // The server runs on a runtime of its own, multi-threaded as in production: a
    // test's single-threaded runtime would otherwise also carry every request.
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server_config = config.clone();
    std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("server runtime");
        runtime.block_on(async move {
            let app = Application::build(server_config).await.expect("app builds");
            let _ = ready_tx.send((app.port(), app.state().clone()));
            let _ = app
                .run_until(async {
                    let _ = stopped.await;
                })
                .await;
        });
    });
    let (port, state) = ready_rx.await.expect("the test server started");
    let address = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(REQUEST_TIMEOUT)
        .build()
        .unwrap();
    TestApp { address, client, state, config, _stop: stop, _dir: dir, _db: db }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.state.db).await.unwrap()
    }
}
