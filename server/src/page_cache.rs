//! A short-lived cache of whole pages for anonymous readers.
//!
//! Most readers of a news site are anonymous, and their copy of an article
//! page is the same for all of them. Those pages are kept for a few seconds
//! and dropped the moment anything live happens (a comment, a reaction), so a
//! cached page is never staler than the live stream it resumes from (the page
//! carries its live cursor). Requests with any of our cookies are never
//! served from here.
//!
//! Bounded: a byte budget (`PAGE_CACHE_BYTES`) over all entries; query
//! parameters a page does not read are left out of the key, so `?x=1…2000`
//! is one entry, not two thousand. Concurrent misses for one page render it
//! once (single flight); the others wait for that render. A page too large to
//! keep is served as it is. Each response gets a fresh CSP nonce, cached or not.

use app::live::Hub;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};
use bytes::Bytes;
use futures::StreamExt;
use http_body_util::BodyExt;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::sync::watch;

const TTL: Duration = Duration::from_secs(5);
/// Larger pages are served without being kept.
const MAX_BODY: usize = 2 * 1024 * 1024;
/// A request carrying any of these gets a page of its own (who is logged in, the
/// reader's pick, a form's error).
const OUR_COOKIES: [&str; 4] =
    [app::auth::session::COOKIE, app::auth::session::HOST_COOKIE, app::auth::cookies::GUEST, app::auth::cookies::FLASH];

#[derive(Clone)]
pub struct PageCache {
    pages: moka::sync::Cache<String, Arc<Entry>>,
    /// Renders in progress, by key: later misses wait for them.
    inflight: Arc<Mutex<HashMap<String, watch::Sender<()>>>>,
}

struct Entry {
    headers: HeaderMap,
    body: Bytes,
    /// The CSP nonce the body was rendered with, replaced in every response.
    nonce: Option<String>,
}

impl PageCache {
    /// A cache holding at most `budget` bytes of pages.
    pub fn new(budget: u64) -> Self {
        let pages = moka::sync::Cache::builder()
            .max_capacity(budget)
            .weigher(|key: &String, e: &Arc<Entry>| {
                let size =
                    key.len() + e.body.len() + e.headers.iter().map(|(k, v)| k.as_str().len() + v.len()).sum::<usize>();
                u32::try_from(size).unwrap_or(u32::MAX)
            })
            .time_to_live(TTL)
            .build();
        Self { pages, inflight: Arc::default() }
    }

    /// Empties the cache whenever a live event is published.
    pub fn follow(&self, hub: &Hub) {
        let mut events = hub.subscribe_all();
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
        self.pages.invalidate_all();
    }

    /// Bytes held (after pending maintenance).
    pub fn weight(&self) -> u64 {
        self.pages.run_pending_tasks();
        self.pages.weighted_size()
    }

    pub fn entries(&self) -> u64 {
        self.pages.run_pending_tasks();
        self.pages.entry_count()
    }
}

/// Ends a render's flight when dropped (also when the request is cancelled),
/// waking the readers that waited for it.
struct Flight<'a> {
    cache: &'a PageCache,
    key: String,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        if let Ok(mut inflight) = self.cache.inflight.lock() {
            inflight.remove(&self.key);
        }
    }
}

/// The part of the URL that decides the page: the path and the query
/// parameters that page reads, in a fixed order.
fn key_of(req: &Request) -> Option<String> {
    let path = req.uri().path();
    let used: &[&str] = if path == "/" || path.starts_with("/tags/") {
        &[]
    } else if path.starts_with("/articles/") {
        &["sort", "cursor", "thread", "after"]
    } else {
        return None;
    };
    let mut key = path.to_owned();
    let pairs: Vec<(String, String)> =
        req.uri().query().map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default();
    let mut first = true;
    for name in used {
        if let Some((_, value)) = pairs.iter().find(|(k, _)| k == name) {
            key.push(if first { '?' } else { '&' });
            first = false;
            key.push_str(name);
            key.push('=');
            key.push_str(&form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>());
        }
    }
    Some(key)
}

fn cacheable(req: &Request) -> Option<String> {
    let jar = axum_extra::extract::cookie::CookieJar::from_headers(req.headers());
    let ours = OUR_COOKIES.iter().any(|name| jar.get(name).is_some());
    if req.method() != Method::GET || ours {
        return None;
    }
    key_of(req)
}

/// A cached page, with a fresh nonce in its policy and its scripts.
fn respond(entry: &Entry) -> Response {
    let (body, headers) = match &entry.nonce {
        Some(old) => {
            let fresh = crate::security::new_nonce();
            let body = String::from_utf8_lossy(&entry.body).replace(old.as_str(), &fresh);
            let mut headers = entry.headers.clone();
            if let Ok(v) = HeaderValue::from_str(&app::csp::policy(&fresh)) {
                headers.insert(header::CONTENT_SECURITY_POLICY, v);
            }
            (Bytes::from(body), headers)
        }
        None => (entry.body.clone(), entry.headers.clone()),
    };
    let mut res = Response::new(Body::from(body));
    *res.headers_mut() = headers;
    res
}

pub async fn serve(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let Some(key) = cacheable(&req) else { return next.run(req).await };
    if let Some(hit) = cache.pages.get(&key) {
        return respond(&hit);
    }
    let waiting = {
        let Ok(mut inflight) = cache.inflight.lock() else { return next.run(req).await };
        match inflight.get(&key) {
            Some(flight) => Some(flight.subscribe()),
            None => {
                inflight.insert(key.clone(), watch::channel(()).0);
                None
            }
        }
    };
    match waiting {
        // Another request is rendering this page: wait for it, then read the cache.
        Some(mut done) => {
            let _ = done.changed().await;
            match cache.pages.get(&key) {
                Some(hit) => respond(&hit),
                // That render was not kept (an error page, too large): render our own.
                None => next.run(req).await,
            }
        }
        None => {
            let _flight = Flight { cache: &cache, key: key.clone() };
            render_and_keep(&cache, key, req, next).await
        }
    }
}

async fn render_and_keep(cache: &PageCache, key: String, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let too_large = res
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > MAX_BODY);
    if too_large {
        return res;
    }
    let (parts, mut body) = res.into_parts();
    // Read up to MAX_BODY: a longer page is served whole, uncached, never as an error.
    let mut buf = bytes::BytesMut::new();
    loop {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    buf.extend_from_slice(data);
                }
                if buf.len() > MAX_BODY {
                    let head = futures::stream::once(std::future::ready(Ok::<Bytes, axum::Error>(buf.freeze())));
                    return Response::from_parts(parts, Body::from_stream(head.chain(body.into_data_stream())));
                }
            }
            Some(Err(err)) => {
                tracing::error!(error = %err, "page body could not be read");
                let mut res =
                    Response::new(Body::from("Something went wrong on our side. Please try again in a moment."));
                *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                return res;
            }
            None => break,
        }
    }
    let bytes = buf.freeze();
    let nonce = crate::security::nonce_in(&parts.headers);
    cache.pages.insert(key, Arc::new(Entry { headers: parts.headers.clone(), body: bytes.clone(), nonce }));
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{middleware::from_fn_with_state, routing::get, Router};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tower::ServiceExt;

    fn app(cache: PageCache, renders: Arc<AtomicUsize>, size: usize) -> Router {
        Router::new()
            .route(
                "/articles/{slug}",
                get(move || {
                    let renders = renders.clone();
                    async move {
                        renders.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        axum::response::Html("x".repeat(size))
                    }
                }),
            )
            .layer(from_fn_with_state(cache, serve))
    }

    async fn fetch(router: &Router, uri: &str) -> (StatusCode, usize) {
        let res = router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        (status, res.into_body().collect().await.unwrap().to_bytes().len())
    }

    #[tokio::test]
    async fn concurrent_misses_for_one_page_render_it_once() {
        let renders = Arc::new(AtomicUsize::new(0));
        let router = app(PageCache::new(1 << 20), renders.clone(), 1000);
        let all = futures::future::join_all((0..20).map(|_| fetch(&router, "/articles/a"))).await;
        assert!(all.iter().all(|r| *r == (StatusCode::OK, 1000)));
        assert_eq!(renders.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn the_cache_keeps_to_its_byte_budget_and_ignores_unread_parameters() {
        let renders = Arc::new(AtomicUsize::new(0));
        let cache = PageCache::new(50_000);
        let router = app(cache.clone(), renders.clone(), 10_000);
        for i in 0..20 {
            fetch(&router, &format!("/articles/a{i}")).await;
        }
        assert!(cache.weight() <= 50_000, "{} bytes kept", cache.weight());

        let router = app(PageCache::new(1 << 20), renders.clone(), 10_000);
        fetch(&router, "/articles/a19").await;
        let before = renders.load(Ordering::SeqCst);
        for i in 0..20 {
            fetch(&router, &format!("/articles/a19?utm={i}")).await;
        }
        assert_eq!(renders.load(Ordering::SeqCst), before, "an unread parameter rendered a new page");
        fetch(&router, "/articles/a19?sort=top").await;
        assert_eq!(renders.load(Ordering::SeqCst), before + 1, "a parameter the page reads is part of the key");
    }

    #[tokio::test]
    async fn a_page_over_the_entry_limit_is_served_whole_and_not_kept() {
        let renders = Arc::new(AtomicUsize::new(0));
        let cache = PageCache::new(64 << 20);
        let router = app(cache.clone(), renders, MAX_BODY + 10);
        assert_eq!(fetch(&router, "/articles/big").await, (StatusCode::OK, MAX_BODY + 10));
        assert_eq!(cache.entries(), 0);
    }
}
