//! A short-lived cache of whole pages for anonymous readers.
//!
//! Most readers of a news site are anonymous, and their copy of an article
//! page is the same for all of them. A page is fresh for a few seconds; after
//! that, readers keep getting it at once while one render replaces it in the
//! background (stale-while-revalidate), so an expiry never makes a crowd wait.
//! Anything live (a comment, a reaction) drops every page at once instead: no
//! reader, with or without JavaScript, is served a page without a comment once
//! its event is out (on every instance, through the relay), and the misses that
//! follow render once (single flight). Requests with any of our cookies are
//! never served from here.
//!
//! Bounded: a byte budget (`PAGE_CACHE_BYTES`) over all entries; query
//! parameters a page does not read are left out of the key, so `?x=1…2000`
//! is one entry, not two thousand. Concurrent misses for one page render it
//! once (single flight); the others wait for that render. A page too large to
//! keep is served as it is.
//!
//! A kept page is sent to every reader as the same bytes, compressed once
//! (brotli and gzip, kept beside the plain copy): its inline scripts are
//! allowed by their hashes instead of the render's nonce (`script_hashes`), so
//! nothing in it changes per response and no response compresses it again.

use crate::encoding::{self, Encoding};
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
    time::{Duration, Instant},
};
use tokio::sync::watch;

/// How long a page is served without a new render.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// How long an unrefreshed page may still be served while it is re-rendered;
/// a page nobody asked for in this long is dropped.
const KEEP_FOR: Duration = Duration::from_secs(60);
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
    /// Moves on at every `clear`: a render that began before it is not kept.
    generation: Arc<std::sync::atomic::AtomicU64>,
    fresh_for: Duration,
}

pub(crate) struct Entry {
    /// With the policy allowing the page's own scripts by hash.
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    brotli: Bytes,
    gzip: Bytes,
    fresh_until: Instant,
    /// Where a signed-in reader's own parts go (an article page only).
    pub(crate) slots: Option<Slots>,
}

/// The byte ranges of a kept article page that differ for a signed-in reader
/// (see `reader_pages`): what is inside the header's account box, and the
/// conversation island. Neither holds an inline script, so the page's policy
/// (its scripts' hashes) holds for every reader's copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slots {
    pub(crate) account: std::ops::Range<usize>,
    pub(crate) conversation: std::ops::Range<usize>,
}

impl Slots {
    const ACCOUNT: &'static str = r#"<div class="site-account">"#;
    const ISLAND: &'static str = "<leptos-island";
    const ISLAND_END: &'static str = "</leptos-island>";

    /// The slots of a page with one account box and one island, in that order.
    fn find(body: &[u8]) -> Option<Self> {
        let html = std::str::from_utf8(body).ok()?;
        let account_start = html.find(Self::ACCOUNT)? + Self::ACCOUNT.len();
        let account_end = account_start + html[account_start..].find("</div>")?;
        let island_start = html.find(Self::ISLAND)?;
        let island_end = html.rfind(Self::ISLAND_END)? + Self::ISLAND_END.len();
        let alone = html.matches(Self::ISLAND).count() == 1;
        (alone && account_end <= island_start && island_start < island_end)
            .then_some(Self { account: account_start..account_end, conversation: island_start..island_end })
    }
}

impl Entry {
    pub(crate) fn is_fresh(&self) -> bool {
        Instant::now() < self.fresh_until
    }

    fn size(&self) -> usize {
        let headers: usize = self.headers.iter().map(|(k, v)| k.as_str().len() + v.len()).sum();
        self.body.len() + self.brotli.len() + self.gzip.len() + headers
    }
}

impl PageCache {
    /// A cache holding at most `budget` bytes of pages.
    pub fn new(budget: u64) -> Self {
        Self::with_freshness(budget, FRESH_FOR)
    }

    fn with_freshness(budget: u64, fresh_for: Duration) -> Self {
        let pages = moka::sync::Cache::builder()
            .max_capacity(budget)
            .weigher(|key: &String, e: &Arc<Entry>| u32::try_from(key.len() + e.size()).unwrap_or(u32::MAX))
            .time_to_live(KEEP_FOR)
            .build();
        Self { pages, inflight: Arc::default(), generation: Arc::default(), fresh_for }
    }

    /// Empties the cache at every live event, before any reader receives it.
    pub fn follow(&self, hub: &Hub) {
        let cache = self.clone();
        hub.before_delivery(move |_| cache.clear());
    }

    pub fn clear(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
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

    /// A fresh kept page for this request, if there is one: answered before
    /// the router, so a hit costs no routing and no layers (axum clones a
    /// route's layered service for every request it routes). What those
    /// layers add is in the kept headers already, but for the request id,
    /// which is echoed or made here. A stale or missing page goes through the
    /// router, where `serve` keeps the crowd off the renderer.
    pub fn fresh<B>(&self, req: &axum::http::Request<B>) -> Option<Response> {
        let key = cacheable(req)?;
        let hit = self.pages.get(&key).filter(|hit| hit.is_fresh())?;
        let mut res = respond(&hit, encoding::preferred(req.headers()));
        let id = match req.headers().get(REQUEST_ID) {
            Some(id) => id.clone(),
            None => HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()).ok()?,
        };
        res.headers_mut().insert(REQUEST_ID, id);
        Some(res)
    }

    /// The kept copy of `key`, fresh or stale.
    pub(crate) fn kept(&self, key: &str) -> Option<Arc<Entry>> {
        self.pages.get(key)
    }
}

const REQUEST_ID: &str = "x-request-id";

/// Ends a render's flight when dropped (also when the request is cancelled),
/// waking the readers that waited for it.
struct Flight {
    cache: PageCache,
    key: String,
}

impl Drop for Flight {
    fn drop(&mut self) {
        if let Ok(mut inflight) = self.cache.inflight.lock() {
            inflight.remove(&self.key);
        }
    }
}

/// The part of the URL that decides the page: the path and the query
/// parameters that page reads, in a fixed order.
pub(crate) fn key_of<B>(req: &axum::http::Request<B>) -> Option<String> {
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

fn cacheable<B>(req: &axum::http::Request<B>) -> Option<String> {
    let jar = axum_extra::extract::cookie::CookieJar::from_headers(req.headers());
    let ours = OUR_COOKIES.iter().any(|name| jar.get(name).is_some());
    if req.method() != Method::GET || ours {
        return None;
    }
    key_of(req)
}

/// A kept page in the encoding the reader asked for: the same bytes for everyone.
fn respond(entry: &Entry, encoding: Encoding) -> Response {
    let body = match encoding {
        Encoding::Brotli => entry.brotli.clone(),
        Encoding::Gzip => entry.gzip.clone(),
        Encoding::Identity => entry.body.clone(),
    };
    let mut headers = entry.headers.clone();
    if let Some(name) = encoding.header_value() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    let mut res = Response::new(Body::from(body));
    *res.headers_mut() = headers;
    res
}

/// What is kept of a render: its headers with a policy naming its scripts by
/// hash, and the body plain and compressed. `None` when its scripts cannot all
/// be named (the page is then served as rendered, and not kept).
fn keep(mut headers: HeaderMap, body: Bytes, fresh_until: Instant) -> Option<Entry> {
    let nonce = crate::security::nonce_in(&headers)?;
    let hashes = crate::script_hashes::inline_script_hashes(&body, &nonce)?;
    let policy = HeaderValue::from_str(&app::csp::policy_for_hashes(hashes.iter().map(String::as_str))).ok()?;
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.remove(header::CONTENT_LENGTH);
    let (brotli, gzip) = (encoding::brotli(&body), encoding::gzip(&body));
    let slots = Slots::find(&body);
    Some(Entry { headers, body, brotli, gzip, fresh_until, slots })
}

/// Starts a render of `key` unless one is under way: `None` when this caller
/// renders, else the way to wait for the other render.
fn take_off(cache: &PageCache, key: &str) -> Option<Option<watch::Receiver<()>>> {
    let mut inflight = cache.inflight.lock().ok()?;
    Some(match inflight.get(key) {
        Some(flight) => Some(flight.subscribe()),
        None => {
            inflight.insert(key.to_owned(), watch::channel(()).0);
            None
        }
    })
}

pub async fn serve(State(cache): State<Arc<PageCache>>, req: Request, next: Next) -> Response {
    let Some(key) = cacheable(&req) else { return next.run(req).await };
    let encoding = encoding::preferred(req.headers());
    if let Some(hit) = cache.pages.get(&key) {
        if !hit.is_fresh() {
            // Stale: this reader gets it now; one render in the background replaces it.
            if let Some(None) = take_off(&cache, &key) {
                let flight = Flight { cache: PageCache::clone(&cache), key: key.clone() };
                tokio::spawn(async move {
                    let _flight = flight;
                    render_and_keep(&_flight.cache, key, req, next, encoding).await;
                });
            }
        }
        return respond(&hit, encoding);
    }
    let Some(waiting) = take_off(&cache, &key) else { return next.run(req).await };
    match waiting {
        // Another request is rendering this page: wait for it, then read the cache.
        Some(mut done) => {
            let _ = done.changed().await;
            match cache.pages.get(&key) {
                Some(hit) => respond(&hit, encoding),
                // That render was not kept (an error page, too large): render our own.
                None => next.run(req).await,
            }
        }
        None => {
            let _flight = Flight { cache: PageCache::clone(&cache), key: key.clone() };
            render_and_keep(&cache, key, req, next, encoding).await
        }
    }
}

async fn render_and_keep(cache: &PageCache, key: String, req: Request, next: Next, encoding: Encoding) -> Response {
    let generation = cache.generation.load(std::sync::atomic::Ordering::SeqCst);
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
    let live_since = || cache.generation.load(std::sync::atomic::Ordering::SeqCst) != generation;
    // Something live happened while this page rendered: it may lack it, so it is not kept.
    if live_since() {
        return Response::from_parts(parts, Body::from(bytes));
    }
    // Compressing a large page takes milliseconds: off the threads that serve requests.
    let (headers, body, fresh_until) = (parts.headers.clone(), bytes.clone(), Instant::now() + cache.fresh_for);
    let kept = tokio::task::spawn_blocking(move || keep(headers, body, fresh_until)).await.ok().flatten();
    match kept {
        Some(entry) => {
            let entry = Arc::new(entry);
            if !live_since() {
                cache.pages.insert(key.clone(), entry.clone());
                // An event between the check and the insert: `clear` may have missed this entry.
                if live_since() {
                    cache.pages.invalidate(&key);
                }
            }
            respond(&entry, encoding)
        }
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{middleware::from_fn_with_state, routing::get, Router};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tower::ServiceExt;

    /// A rendered page as Leptos answers: its policy names the render's nonce.
    fn page(body: String) -> impl axum::response::IntoResponse {
        ([(header::CONTENT_SECURITY_POLICY, app::csp::policy("n0"))], axum::response::Html(body))
    }

    fn app(cache: PageCache, renders: Arc<AtomicUsize>, size: usize) -> Router {
        Router::new()
            .route(
                "/articles/{slug}",
                get(move || {
                    let renders = renders.clone();
                    async move {
                        renders.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        page("x".repeat(size))
                    }
                }),
            )
            .layer(from_fn_with_state(Arc::new(cache), serve))
    }

    async fn fetch(router: &Router, uri: &str) -> (StatusCode, usize) {
        let res = router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        (status, res.into_body().collect().await.unwrap().to_bytes().len())
    }

    /// A page whose renders wait for a permit each, and say which render they are.
    fn gated_app(cache: PageCache, renders: Arc<AtomicUsize>, gate: Arc<tokio::sync::Semaphore>) -> Router {
        Router::new()
            .route(
                "/articles/{slug}",
                get(move || {
                    let (renders, gate) = (renders.clone(), gate.clone());
                    async move {
                        let n = renders.fetch_add(1, Ordering::SeqCst) + 1;
                        gate.acquire().await.unwrap().forget();
                        page(format!("render {n}"))
                    }
                }),
            )
            .layer(from_fn_with_state(Arc::new(cache), serve))
    }

    async fn body_of(router: &Router, uri: &str) -> String {
        let res = router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
    }

    async fn until(what: impl Fn() -> bool) {
        while !what() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[tokio::test]
    async fn an_expired_page_is_served_at_once_while_one_render_replaces_it() {
        let (renders, gate) = (Arc::new(AtomicUsize::new(0)), Arc::new(tokio::sync::Semaphore::new(1)));
        // Fresh for no time at all: every hit finds the page expired.
        let cache = PageCache::with_freshness(1 << 20, Duration::ZERO);
        let router = gated_app(cache.clone(), renders.clone(), gate.clone());
        assert_eq!(body_of(&router, "/articles/a").await, "render 1");
        // The second render is held: twenty readers meanwhile all get the old copy, at once.
        let all = futures::future::join_all((0..20).map(|_| body_of(&router, "/articles/a"))).await;
        assert!(all.iter().all(|b| b == "render 1"), "{all:?}");
        until(|| renders.load(Ordering::SeqCst) >= 2).await;
        for _ in 0..20 {
            tokio::task::yield_now().await; // any other render spawned would start now
        }
        assert_eq!(renders.load(Ordering::SeqCst), 2, "one render replaces the page, not twenty");
        gate.add_permits(1);
        until(|| cache.inflight.lock().unwrap().is_empty()).await;
        assert_eq!(body_of(&router, "/articles/a").await, "render 2");
    }

    #[tokio::test]
    async fn a_render_that_began_before_a_live_event_is_not_kept() {
        let (renders, gate) = (Arc::new(AtomicUsize::new(0)), Arc::new(tokio::sync::Semaphore::new(0)));
        let cache = PageCache::new(1 << 20);
        let router = gated_app(cache.clone(), renders.clone(), gate.clone());
        let pending = tokio::spawn({
            let router = router.clone();
            async move { body_of(&router, "/articles/a").await }
        });
        until(|| renders.load(Ordering::SeqCst) == 1).await;
        cache.clear(); // a comment was posted while the page rendered
        gate.add_permits(1);
        assert_eq!(pending.await.unwrap(), "render 1");
        assert_eq!(cache.entries(), 0, "a page that may lack the comment is not kept");
        gate.add_permits(1);
        assert_eq!(body_of(&router, "/articles/a").await, "render 2");
        assert_eq!(cache.entries(), 1);
    }

    fn script_app(cache: PageCache, renders: Arc<AtomicUsize>, html: &'static str) -> Router {
        Router::new()
            .route(
                "/articles/{slug}",
                get(move || {
                    renders.fetch_add(1, Ordering::SeqCst);
                    async move { page(html.to_owned()) }
                }),
            )
            .layer(from_fn_with_state(Arc::new(cache), serve))
    }

    async fn get_with(router: &Router, encoding: &str) -> Response {
        let req = Request::get("/articles/a").header(header::ACCEPT_ENCODING, encoding).body(Body::empty()).unwrap();
        router.clone().oneshot(req).await.unwrap()
    }

    #[tokio::test]
    async fn a_kept_page_is_the_same_bytes_for_everyone_in_the_encoding_each_accepts() {
        use std::io::Read;
        let html = r#"<script nonce="n0">go()</script><p>the article</p>"#;
        let renders = Arc::new(AtomicUsize::new(0));
        let router = script_app(PageCache::new(1 << 20), renders.clone(), html);
        let plain = get_with(&router, "identity").await;
        let policy = plain.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
        assert!(!policy.contains("nonce") && policy.contains("'sha256-"), "{policy}");
        assert_eq!(plain.into_body().collect().await.unwrap().to_bytes(), html.as_bytes());

        let br = get_with(&router, "gzip, deflate, br").await;
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::VARY], "accept-encoding");
        assert_eq!(br.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap(), policy, "one policy for all");
        let mut out = String::new();
        let bytes = br.into_body().collect().await.unwrap().to_bytes();
        brotli::Decompressor::new(&bytes[..], 4096).read_to_string(&mut out).unwrap();
        assert_eq!(out, html);

        let gz = get_with(&router, "gzip").await;
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        let mut out = String::new();
        let bytes = gz.into_body().collect().await.unwrap().to_bytes();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out, html);
        assert_eq!(renders.load(Ordering::SeqCst), 1, "one render served all three");
    }

    #[tokio::test]
    async fn a_page_with_a_script_its_render_did_not_sign_is_served_but_not_kept() {
        let renders = Arc::new(AtomicUsize::new(0));
        let cache = PageCache::new(1 << 20);
        let router =
            script_app(cache.clone(), renders.clone(), r#"<script nonce="n0">a()</script><script>b()</script>"#);
        for _ in 0..2 {
            let res = get_with(&router, "br").await;
            assert_eq!(res.status(), StatusCode::OK);
            assert!(res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("'nonce-n0'"));
        }
        assert_eq!(renders.load(Ordering::SeqCst), 2);
        assert_eq!(cache.entries(), 0);
    }

    #[tokio::test]
    async fn a_fresh_kept_page_is_answered_before_the_router_with_the_readers_request_id() {
        let cache = PageCache::new(1 << 20);
        let router = script_app(cache.clone(), Arc::new(AtomicUsize::new(0)), r#"<script nonce="n0">go()</script>"#);
        let ask = |extra: Option<(&'static str, &'static str)>| {
            let mut req = Request::get("/articles/a?utm=1").header(header::ACCEPT_ENCODING, "br");
            if let Some((name, value)) = extra {
                req = req.header(name, value);
            }
            req.body(Body::empty()).unwrap()
        };
        assert!(cache.fresh(&ask(None)).is_none(), "nothing kept yet");
        get_with(&router, "br").await;
        let hit = cache.fresh(&ask(Some(("x-request-id", "abc-123")))).expect("kept and fresh");
        assert_eq!(hit.headers()["x-request-id"], "abc-123");
        assert_eq!(hit.headers()[header::CONTENT_ENCODING], "br");
        assert!(hit.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("'sha256-"));
        let made = cache.fresh(&ask(None)).unwrap();
        assert_eq!(made.headers()["x-request-id"].len(), 36, "a request id is made when none came");
        // A reader with a session (or any of our cookies) is never answered from here.
        assert!(cache.fresh(&ask(Some(("cookie", "spotlight_session=x")))).is_none());
        let post = Request::post("/articles/a").body(Body::empty()).unwrap();
        assert!(cache.fresh(&post).is_none());
        cache.clear();
        assert!(cache.fresh(&ask(None)).is_none(), "a live event leaves nothing to answer from");
    }

    #[test]
    fn a_readers_slots_are_the_account_box_and_the_one_island() {
        let page = r#"<header><div class="site-account"><a href="/login">Log in</a></div></header><p>x</p><leptos-island data-component="C"><b>y</b></leptos-island><footer></footer>"#;
        let slots = Slots::find(page.as_bytes()).unwrap();
        assert_eq!(&page[slots.account.clone()], r#"<a href="/login">Log in</a>"#);
        assert_eq!(&page[slots.conversation.clone()], r#"<leptos-island data-component="C"><b>y</b></leptos-island>"#);
        // No island, or two of them: no slots (the reader's page is rendered whole).
        assert_eq!(Slots::find(br#"<div class="site-account"></div><p>home</p>"#), None);
        let two = page.replace("<footer>", "<leptos-island></leptos-island><footer>");
        assert_eq!(Slots::find(two.as_bytes()), None);
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
