//! Article pages for signed-in readers, made from the anonymous page.
//!
//! A signed-in reader's article page differs from the anonymous one in two
//! places only (`page_cache::Slots`): the header's account box and the
//! conversation island. So it is the kept anonymous page with those two
//! parts rendered for the reader (`app::pages::reader_parts`) and written in
//! place, instead of a whole render: the page's shared parts (the article,
//! similar articles, the shell) are rendered once for everyone. A page that
//! is not kept yet is rendered once as an anonymous reader would get it
//! (single flight, like any miss). Anything else (a form's error to show, a
//! page that cannot be kept, an ended session) is rendered whole, as before.
//!
//! The reader's copy is personal: `private, no-store`, and never kept.

use crate::page_cache::{self, PageCache};
use app::{pages::article::CommentsQuery, state::AppState};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, Method},
    middleware::Next,
    response::Response,
};
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

/// What the layer needs: the kept pages, and the app to render a reader's parts.
pub struct ReaderPages {
    pub pages: Arc<PageCache>,
    pub state: AppState,
}

static ON: AtomicBool = AtomicBool::new(true);

/// Turns the splicing off or on, to compare its pages with whole renders.
pub fn splice_pages(on: bool) {
    ON.store(on, Ordering::SeqCst);
}

/// An article page asked for by a signed-in reader, with nothing else of
/// theirs to show (a form's error travels in the flash cookie).
fn reader_request(state: &AppState, req: &Request) -> Option<(String, String, CommentsQuery)> {
    if req.method() != Method::GET || !ON.load(Ordering::Relaxed) {
        return None;
    }
    let slug = req.uri().path().strip_prefix("/articles/").filter(|s| !s.is_empty() && !s.contains('/'))?;
    if app::auth::cookies::flash_value(req.headers()).is_some() {
        return None;
    }
    app::auth::cookies::session_token(&state.site, req.headers())?;
    let key = page_cache::key_of(req)?;
    let pairs: Vec<(String, String)> =
        req.uri().query().map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default();
    let query = CommentsQuery::from_params(|name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
    Some((key, slug.to_owned(), query))
}

pub async fn serve(State(ctx): State<Arc<ReaderPages>>, req: Request, next: Next) -> Response {
    let Some((key, slug, query)) = reader_request(&ctx.state, &req) else { return next.run(req).await };
    let (mut parts, body) = req.into_parts();
    let kept = match ctx.pages.kept(&key) {
        Some(kept) if kept.is_fresh() => Some(kept),
        _ => {
            // Asked for as an anonymous reader would: a missing page is rendered
            // (once) and kept for everyone; a stale one is served while one
            // render replaces it.
            let mut anonymous = parts.clone();
            app::auth::cookies::forget_all(&mut anonymous.headers);
            let anonymous = Request::from_parts(anonymous, Body::empty());
            let _ = page_cache::serve(State(ctx.pages.clone()), anonymous, next.clone()).await;
            ctx.pages.kept(&key)
        }
    };
    let Some((kept, slots)) = kept.and_then(|k| k.slots.clone().map(|s| (k, s))) else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    // The reader's session is looked up once, however many parts ask for it.
    parts.extensions.insert(app::auth::extract::ViewerOnce::default());
    let own = match app::pages::reader_parts::reader_parts(ctx.state.clone(), parts.clone(), slug, query).await {
        Ok(Some(own)) => own,
        // No live session: the whole render says so (and ends the cookie).
        Ok(None) => return next.run(Request::from_parts(parts, body)).await,
        Err(err) => {
            tracing::warn!(error = %err, "a reader's parts of a page failed; rendering it whole");
            return next.run(Request::from_parts(parts, body)).await;
        }
    };
    let page = &kept.body;
    let mut html = Vec::with_capacity(page.len() + own.account.len() + own.conversation.len());
    html.extend_from_slice(&page[..slots.account.start]);
    html.extend_from_slice(own.account.as_bytes());
    html.extend_from_slice(&page[slots.account.end..slots.conversation.start]);
    html.extend_from_slice(own.conversation.as_bytes());
    html.extend_from_slice(&page[slots.conversation.end..]);
    let mut headers = kept.headers.clone();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(html.len()));
    let mut res = Response::new(Body::from(html));
    *res.headers_mut() = headers;
    res
}
