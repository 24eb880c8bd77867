//! Shared server state, handed to server functions through Leptos context and
//! to the JSON API through axum's `State`.

use crate::{db::Db, errors::AppError, live::Hub, throttle::Limits};
use leptos::prelude::*;
use std::sync::Arc;

/// Cloned for every request by every layer that takes it, so a clone is one
/// reference count: the fields live behind an `Arc` (reached through `Deref`).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: Db,
    pub site: Arc<Site>,
    pub limits: Arc<Limits>,
    /// Live events of every article, fanned out to this process's subscribers.
    pub hub: Hub,
    /// Wakes a reader's open pages when their unread notifications change.
    pub bell: crate::notifications::bell::Bell,
    /// Article ids by slug, filled as pages are read.
    pub article_ids: crate::articles::ArticleIds,
    /// What article pages read, shared between readers until the article's next live event.
    pub reads: crate::read_cache::ReadCache,
    /// Admission to the password hashers (a slot per core, a short queue).
    pub passwords: Arc<crate::auth::password::Gate>,
    /// Signs guest cookies; kept in the database so restarts keep guests.
    pub cookie_key: axum_extra::extract::cookie::Key,
    /// SMTP, or the outbox table when no mail server is configured.
    pub mailer: crate::mail::Mailer,
    pub leptos_options: LeptosOptions,
}

/// Facts about the public site.
#[derive(Debug, Clone)]
pub struct Site {
    /// Public base URL without a trailing slash, e.g. `https://spotlight.example`.
    pub url: String,
}

impl Site {
    pub fn new(url: &str) -> Self {
        Self { url: url.trim_end_matches('/').to_owned() }
    }

    pub fn is_https(&self) -> bool {
        self.url.starts_with("https://")
    }

    /// The absolute URL of a site path (`/articles/x` -> `https://…/articles/x`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl axum::extract::FromRef<AppState> for axum_extra::extract::cookie::Key {
    fn from_ref(state: &AppState) -> Self {
        state.cookie_key.clone()
    }
}

/// The state inside a server function or a server-rendered page.
impl AppState {
    pub async fn new(
        db: Db,
        site: Site,
        limits: Limits,
        mailer: crate::mail::Mailer,
        leptos_options: LeptosOptions,
    ) -> Result<Self, sqlx::Error> {
        let cookie_key = crate::reactions::guest::load_or_create_key(&db).await?;
        // Several instances share a PostgreSQL log: events reach each through the relay.
        let (hub, bell) = match crate::db::Backend::of(&db) {
            crate::db::Backend::Postgres => (Hub::relayed(), crate::notifications::bell::Bell::relayed()),
            crate::db::Backend::Sqlite => (Hub::default(), crate::notifications::bell::Bell::default()),
        };
        // Registered before anything that caches whole pages, so a page rendered
        // after an event can never be made from what was read before it.
        let reads = crate::read_cache::ReadCache::default();
        reads.follow(&hub);
        Ok(Self(Arc::new(Shared {
            db,
            site: Arc::new(site),
            limits: Arc::new(limits),
            hub,
            bell,
            passwords: Arc::default(),
            article_ids: Default::default(),
            reads,
            cookie_key,
            mailer,
            leptos_options,
        })))
    }
}

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
