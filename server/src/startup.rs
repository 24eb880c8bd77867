//! Builds the application: database, content import, router, listener.

use crate::{api, config::Config, feeds, health, middleware};
use app::{
    shell,
    state::{AppState, Site},
    App,
};
use axum::{routing::get, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tokio::net::TcpListener;

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

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
        let state = AppState::new(db, Site::new(&site_url), config.limits.clone(), leptos_options).await?;
        let router = router(state.clone());
        Ok(Self { listener, router, state })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!(url = %self.state.site.url, addr = %self.listener.local_addr()?, "Spotlight is serving");
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown({
                let hub = self.state.hub.clone();
                async move {
                    shutdown_signal().await;
                    // Live streams never end by themselves: close them so open requests can finish.
                    hub.close();
                }
            })
            .await
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let app_fn = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
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
    middleware::apply(router, state.clone()).merge(middleware::apply_to_streams(api::live_router())).with_state(state)
}

fn media_files(options: &leptos::config::LeptosOptions) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(std::path::Path::new(&*options.site_root).join("media"))
}

fn pkg_files(options: &leptos::config::LeptosOptions) -> tower_http::services::ServeDir {
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    tower_http::services::ServeDir::new(dir).precompressed_br().precompressed_gzip()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
