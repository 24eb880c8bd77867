//! The HTTP layers every request passes through, outermost first: request id,
//! tracing span, the client's address, compression, the page cache, signed-in
//! readers' pages made from it, security
//! and cache headers, the Origin check, and a body size limit. Live streams
//! get the request id, the span, the address, the headers and their caps.

use crate::{api::live::StreamSlots, config::HttpSettings};
use app::{client_addr::TrustedProxies, state::AppState};
use axum::{
    body::Body,
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::{from_fn_with_state, Next},
    response::{IntoResponse, Response},
    Extension, Router,
};
use std::{net::SocketAddr, sync::Arc};
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

/// Largest JSON or form body the API reads (comments are at most 5,000 characters);
/// larger ones get a JSON 413.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Hard cap on any request body, server functions included.
pub const HARD_BODY_LIMIT: usize = 256 * 1024;

/// The layers of pages, the JSON API, feeds and static files.
pub fn apply(
    router: Router<AppState>,
    state: AppState,
    http: &HttpSettings,
    pages: Arc<crate::page_cache::PageCache>,
) -> Router<AppState> {
    // `layer` wraps what was added before it: the last one here runs first.
    let router = router
        .layer(axum::middleware::from_fn(one_viewer))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(HARD_BODY_LIMIT))
        .layer(from_fn_with_state(state.clone(), origin_check))
        .layer(from_fn_with_state(state.clone(), headers))
        .layer(from_fn_with_state(
            Arc::new(crate::reader_pages::ReaderPages { pages: pages.clone(), state }),
            crate::reader_pages::serve,
        ))
        .layer(from_fn_with_state(pages, crate::page_cache::serve))
        // What is made per response (a reader's own page, JSON, a page not
        // kept): gzip at its fastest, about 0.1 ms for an 80 KB page, where
        // brotli costs 5 to 10 times the CPU for about 30% fewer bytes. Kept
        // pages and the bundle go out in brotli, compressed once.
        .layer(CompressionLayer::new().no_br().gzip(true).quality(CompressionLevel::Fastest));
    traced(router, http)
}

/// The layers of the live streams: long-lived GETs that send small events. No
/// compression (browsers must see each event at once, and the encoder's state,
/// about 5 KiB, would sit in every open stream), no page cache, no bodies to limit.
pub fn apply_to_streams(router: Router<AppState>, state: AppState, http: &HttpSettings) -> Router<AppState> {
    let slots = Arc::new(StreamSlots::new(http.streams_per_address, http.streams_total));
    traced(router.layer(Extension(slots)).layer(from_fn_with_state(state, headers)), http)
}

/// Lets a request look its session up once (see `app::auth::extract::ViewerOnce`).
async fn one_viewer(mut req: Request, next: Next) -> Response {
    req.extensions_mut().insert(app::auth::extract::ViewerOnce::default());
    next.run(req).await
}

/// Resolves the client's address once (see `app::client_addr`) for every layer
/// and handler after it.
async fn client_addr(State(proxies): State<Arc<TrustedProxies>>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let addr = match peer {
        Some(peer) => proxies.resolve(peer, req.headers()),
        None => app::client_addr::ClientAddr("unknown".into()),
    };
    req.extensions_mut().insert(addr);
    next.run(req).await
}

/// A request id (taken from `x-request-id` or made), a tracing span keyed on the
/// matched route, the client's address, and the id echoed in the response.
fn traced(router: Router<AppState>, http: &HttpSettings) -> Router<AppState> {
    let proxies = Arc::new(http.trusted_proxies.clone());
    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
        let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
        let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
        tracing::info_span!(
            "request",
            method = %req.method(),
            route = route.as_deref().unwrap_or(req.uri().path()),
            request_id = %request_id,
        )
    });
    router
        .layer(from_fn_with_state(proxies, client_addr))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(trace)
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Security headers on everything; long cache lifetimes on static files; and
/// nothing personal in any shared cache.
async fn headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let signed_in = app::auth::cookies::session_token(&state.site, req.headers()).is_some();
    let rendered_with = app::csp::NonceSlot::default();
    req.extensions_mut().insert(rendered_with.clone());
    let mut res = next.run(req).await;
    let ok = matches!(res.status(), StatusCode::OK | StatusCode::PARTIAL_CONTENT);
    let personal = signed_in || res.headers().contains_key(header::SET_COOKIE) || path == "/api/v1/me";
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let h = res.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if html {
        // The nonce the page's scripts carry; for a page Leptos did not render
        // (no inline script of ours), one that nothing carries.
        let policy = match rendered_with.get() {
            Some(nonce) => Some(app::csp::policy(nonce)),
            None => (!h.contains_key(header::CONTENT_SECURITY_POLICY))
                .then(|| app::csp::policy(&crate::security::new_nonce())),
        };
        if let Some(v) = policy.and_then(|p| HeaderValue::from_str(&p).ok()) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    if state.site.is_https() {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    if personal && !path.starts_with("/pkg/") {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    } else if ok && !h.contains_key(header::CACHE_CONTROL) {
        if let Some(value) = cache_policy(&path) {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
        }
    }
    res
}

/// Static files: the client bundle is content-hashed when `hash-files` is on,
/// so it can be cached for a year; images and media for a week.
pub fn cache_policy(path: &str) -> Option<&'static str> {
    let file = path.rsplit('/').next().unwrap_or_default();
    if path.starts_with("/pkg/") {
        // spotlight.<hash>.js has two dots; the unhashed dev bundle has one.
        Some(if file.matches('.').count() >= 2 { "public, max-age=31536000, immutable" } else { "public, max-age=300" })
    } else if path.starts_with("/images/") || path.starts_with("/media/") || path.starts_with("/favicon") {
        Some("public, max-age=604800, stale-while-revalidate=86400")
    } else {
        None
    }
}

/// Refuses a state-changing request whose Origin (or Referer, when there is no
/// Origin) is not the site's own. Requests without either (curl, server-side
/// clients) carry no ambient browser credentials worth forging and pass.
async fn origin_check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or("null").to_owned())
        .or_else(|| headers.get(header::REFERER).map(|v| origin_of(v.to_str().unwrap_or(""))));
    match claimed {
        Some(origin) if origin != origin_of(&state.site.url) => {
            tracing::warn!(%origin, "cross-origin state change refused");
            crate::api::ApiError(app::errors::AppError::Forbidden(
                "This request came from another site and was refused.".into(),
            ))
            .into_response()
        }
        _ => next.run(req).await,
    }
}

/// `https://host:port/path?q` -> `https://host:port`.
pub fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{}://{}", scheme.to_ascii_lowercase(), host.to_ascii_lowercase())
        }
        None => "null".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_of_strips_path_and_query() {
        assert_eq!(origin_of("https://Spotlight.example:8443/a/b?c#d"), "https://spotlight.example:8443");
        assert_eq!(origin_of("garbage"), "null");
    }

    #[test]
    fn hashed_bundle_is_immutable_and_unhashed_is_short() {
        assert_eq!(cache_policy("/pkg/spotlight.abc123.wasm"), Some("public, max-age=31536000, immutable"));
        assert_eq!(cache_policy("/pkg/spotlight.wasm"), Some("public, max-age=300"));
        assert!(cache_policy("/images/a.svg").unwrap().contains("604800"));
        assert_eq!(cache_policy("/articles/x"), None);
    }
}
