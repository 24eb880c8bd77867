//! Builds the application: database, content import, router, listener.

use crate::{api, config::Config, feeds, health, middleware, page_cache::PageCache};
use app::{
    shell,
    state::{AppState, Site},
    App,
};
use axum::{routing::get, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::{sync::Arc, time::Duration};
use tokio::net::TcpListener;

pub struct Application {
    listener: TcpListener,
    router: Router,
    /// Kept pages, answered before the router when fresh (see `PageCache::fresh`).
    pages: Arc<PageCache>,
    state: AppState,
    header_read_timeout: Duration,
}

/// How long open connections get to finish at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = app::db::connect(&config.database_url).await?;
        if let Some(dir) = config.content_dir.as_ref().filter(|d| d.is_dir()) {
            let report = app::content::import_dir(&db, dir, &config.public_dir).await?;
            tracing::info!(
                dir = %dir.display(),
                created = report.created,
                updated = report.updated,
                unchanged = report.unchanged,
                failed = report.failed.len(),
                "content imported"
            );
        }
        let listener = TcpListener::bind(config.addr).await?;
        let local = listener.local_addr()?;
        let site_url = config.site_url.clone().unwrap_or_else(|| format!("http://{local}"));
        let mut leptos_options = config.leptos.clone();
        leptos_options.site_addr = local;
        let mailer = config.mail.mailer()?;
        let state = AppState::new(db, Site::new(&site_url), config.limits.clone(), mailer, leptos_options).await?;
        tokio::spawn(prune_live_log(state.clone()));
        if app::db::Backend::of(&state.db) == app::db::Backend::Postgres {
            let relay = app::live::relay::run(state.clone(), config.database_url.clone(), state.hub.closing());
            tokio::spawn(relay);
        }
        let pages = Arc::new(PageCache::new(config.http.page_cache_bytes));
        pages.follow(&state.hub);
        let router = router(state.clone(), &config.http, pages.clone());
        Ok(Self { listener, router, pages, state, header_read_timeout: config.http.header_read_timeout })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT or SIGTERM, then closes live streams and lets open
    /// requests finish. Connections are served by hyper directly (not
    /// `axum::serve`) for a header-read timeout: a client that trickles its
    /// request headers (slowloris) is cut off instead of holding a socket.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` resolves (tests stop their servers this way).
    pub async fn run_until(self, stop: impl std::future::Future<Output = ()>) -> std::io::Result<()> {
        use hyper_util::rt::{TokioIo, TokioTimer};
        use tower::ServiceExt;
        tracing::info!(url = %self.state.site.url, addr = %self.listener.local_addr()?, "Spotlight is serving");
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(self.header_read_timeout);
        let shutdown = stop;
        tokio::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(err) => {
                        // Out of file descriptors, say: wait a moment rather than spin.
                        tracing::warn!(error = %err, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = &mut shutdown => break,
            };
            let _ = stream.set_nodelay(true);
            let (router, pages) = (self.router.clone(), self.pages.clone());
            let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                use futures::future::{ready, Either};
                if let Some(page) = pages.fresh(&req) {
                    return Either::Left(ready(Ok::<_, std::convert::Infallible>(page)));
                }
                req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                Either::Right(router.clone().oneshot(req.map(axum::body::Body::new)))
            });
            let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                if let Err(err) = connection.await {
                    tracing::debug!(error = %err, "connection ended with an error");
                }
            });
        }
        drop(self.listener);
        // Live streams never end by themselves: close them so open requests can finish.
        self.state.hub.close();
        if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await.is_err() {
            tracing::warn!("connections still open after the grace period; stopping anyway");
        }
        Ok(())
    }
}

/// The page routes, generated once per process. Generating them renders the
/// app with resource loading switched off by a process-wide flag (Leptos'
/// `SuppressResourceLoad`); a resource that first polls while that flag is set
/// waits forever (leptos-rs/leptos#4773). With several servers in one process
/// (the integration tests) a render could meet another server's generation and
/// hang for good: generating once, before anything serves, rules that out.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState, http: &crate::config::HttpSettings, pages: Arc<PageCache>) -> Router {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            app::csp::remember_nonce();
        }
    };
    // Axum clones a route's whole service for every request it serves, cached
    // pages included: what the closures hold is shared, not copied.
    let app_fn = {
        let options = Arc::new(state.leptos_options.clone());
        move || shell(LeptosOptions::clone(&options))
    };
    let router = Router::new()
        .route("/healthz", get(health::check))
        .route("/robots.txt", get(feeds::robots))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/feed.xml", get(feeds::feed))
        // The client bundle, pre-compressed at build time (brotli 11 beats on-the-fly compression).
        .nest_service("/pkg", pkg_files(&state.leptos_options))
        // Self-hosted clips: served here, not by Leptos' file fallback, so that range
        // requests (seeking, Safari's first probe) get their 206.
        .nest_service("/media", media_files(&state.leptos_options))
        .nest("/api/v1", api::router())
        .leptos_routes_with_context(&state, routes, context.clone(), app_fn)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell));
    middleware::apply(router, state.clone(), http, pages)
        .merge(middleware::apply_to_streams(api::live_router(), state.clone(), http))
        .with_state(state)
}

fn media_files(options: &leptos::config::LeptosOptions) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(std::path::Path::new(&*options.site_root).join("media"))
}

fn pkg_files(options: &leptos::config::LeptosOptions) -> tower_http::services::ServeDir {
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    tower_http::services::ServeDir::new(dir).precompressed_br().precompressed_gzip()
}

/// Drops live events older than the log keeps, at start and every hour.
async fn prune_live_log(state: AppState) {
    let mut closing = state.hub.closing();
    loop {
        match app::live::service::prune(&state, app::db::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "live log pruned"),
            Err(_) => tracing::warn!("live log pruning failed; trying again in an hour"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
            _ = closing.wait_for(|c| *c) => return,
        }
    }
}

/// Resolves at SIGINT or SIGTERM. The handlers are installed when this is
/// called, not when it is first polled: a signal that arrives while the first
/// request is being served must not find the default action (exit) in place.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (mut terminate, mut interrupt) = {
        use tokio::signal::unix::{signal, SignalKind};
        (signal(SignalKind::terminate()).ok(), signal(SignalKind::interrupt()).ok())
    };
    async move {
        #[cfg(unix)]
        {
            let terminate = async {
                match terminate.as_mut() {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            let interrupt = async {
                match interrupt.as_mut() {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = terminate => {},
                _ = interrupt => {},
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing open requests");
    }
}
