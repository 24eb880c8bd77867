//! A short-lived cache of whole pages for anonymous readers.
//!
//! Most readers of a news site are anonymous, and their copy of an article
//! page is the same for all of them. Those pages are kept for a few seconds
//! and dropped the moment anything live happens (a comment, a reaction), so a
//! cached page is never staler than the live stream it resumes from (the page
//! carries its live cursor). Requests with any of our cookies are never
//! served from here.

use app::live::Hub;
use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::Response,
};
use bytes::Bytes;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 2_000;
const MAX_BODY: usize = 2 * 1024 * 1024;
/// A request carrying any of these gets a page of its own (who is logged in, the
/// reader's pick, a form's error).
const OUR_COOKIES: [&str; 4] = [
    app::auth::session::COOKIE,
    app::auth::session::HOST_COOKIE,
    app::reactions::guest::COOKIE,
    app::auth::request::FLASH_COOKIE,
];

#[derive(Clone, Default)]
pub struct PageCache {
    pages: Arc<Mutex<HashMap<String, Entry>>>,
}

#[derive(Clone)]
struct Entry {
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

impl PageCache {
    /// Empties the cache whenever a live event is published.
    pub fn follow(&self, hub: &Hub) {
        let mut events = hub.subscribe();
        let mut closing = hub.closing();
        let cache = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    event = events.recv() => match event {
                        Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => cache.clear(),
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                    },
                    _ = closing.wait_for(|c| *c) => return,
                }
            }
        });
    }

    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.clear();
        }
    }

    fn get(&self, key: &str) -> Option<Entry> {
        let pages = self.pages.lock().ok()?;
        pages.get(key).filter(|e| e.at.elapsed() < TTL).cloned()
    }

    fn put(&self, key: String, entry: Entry) {
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= MAX_ENTRIES {
                pages.retain(|_, e| e.at.elapsed() < TTL);
                if pages.len() >= MAX_ENTRIES {
                    pages.clear();
                }
            }
            pages.insert(key, entry);
        }
    }
}

fn cacheable(req: &Request) -> bool {
    let path = req.uri().path();
    let page = path == "/" || path.starts_with("/articles/") || path.starts_with("/tags/");
    let ours = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| OUR_COOKIES.iter().any(|name| app::auth::session::cookie_value(c, name).is_some()));
    req.method() == Method::GET && page && !ours
}

pub async fn serve(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    if !cacheable(&req) {
        return next.run(req).await;
    }
    let key = req.uri().to_string();
    if let Some(hit) = cache.get(&key) {
        let mut res = Response::new(Body::from(hit.body));
        *res.headers_mut() = hit.headers;
        return res;
    }
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            cache.put(key, Entry { at: Instant::now(), headers: parts.headers.clone(), body: bytes.clone() });
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(err) => {
            tracing::error!(error = %err, "page body could not be read");
            let mut res = Response::new(Body::from("Something went wrong on our side. Please try again in a moment."));
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            res
        }
    }
}
