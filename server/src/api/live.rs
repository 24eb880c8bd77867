//! `GET /api/v1/articles/{slug}/live`: an article's events as Server-Sent Events.
//!
//! Events are rendered from the comment as it is when they are sent (the log
//! holds only kinds and ids), so nothing edited away or removed is replayed.
//! A client resuming from before what the log keeps gets one `reset` first.

use super::{extract::ApiPath, params::SlugParam, ApiError};
use app::{
    articles,
    auth::extract::Viewer,
    client_addr::ClientAddr,
    errors::AppError,
    live::{self, hub::Shared, LiveEvent},
    state::AppState,
};
use axum::{
    body::Body,
    extract::{Query, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
    Extension,
};
use bytes::Bytes;
use futures::stream;
use serde::Deserialize;
use std::{
    collections::{HashMap, VecDeque},
    convert::Infallible,
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::{
    sync::broadcast::{error::RecvError, Receiver},
    time::Instant,
};

/// Proxies close idle connections; a comment line this often keeps them open.
const HEARTBEAT: Duration = Duration::from_secs(20);
const HEARTBEAT_FRAME: &[u8] = b":heartbeat\n\n";
const REPLAY_BATCH: i64 = 500;

#[derive(Deserialize)]
pub struct LiveQuery {
    /// For clients that cannot send the `Last-Event-ID` header (a new EventSource).
    last_event_id: Option<i64>,
}

/// Caps on open streams: per client address and for the whole server, so one
/// client cannot hold every socket and a crowd cannot exhaust memory.
#[derive(Debug)]
pub struct StreamSlots {
    per_address: usize,
    total: usize,
    open: Mutex<(usize, HashMap<String, usize>)>,
}

impl StreamSlots {
    pub fn new(per_address: usize, total: usize) -> Self {
        Self { per_address, total, open: Mutex::new((0, HashMap::new())) }
    }

    pub(super) fn take(self: &Arc<Self>, addr: &str) -> Result<Slot, AppError> {
        let mut open = self.open.lock().map_err(|_| AppError::Internal)?;
        let (total, by_addr) = &mut *open;
        let mine = by_addr.get(addr).copied().unwrap_or(0);
        if mine >= self.per_address || *total >= self.total {
            return Err(AppError::TooManyRequests {
                message: "Too many live connections are open from your network. Close some tabs and reload.".into(),
                retry_after_secs: 30,
            });
        }
        *total += 1;
        by_addr.insert(addr.to_owned(), mine + 1);
        Ok(Slot { slots: self.clone(), addr: addr.to_owned() })
    }
}

/// An open stream's place; given back when the stream ends.
pub(super) struct Slot {
    slots: Arc<StreamSlots>,
    addr: String,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.slots.open.lock() {
            let (total, by_addr) = &mut *open;
            *total = total.saturating_sub(1);
            if let Some(n) = by_addr.get_mut(&self.addr) {
                *n -= 1;
                if *n == 0 {
                    by_addr.remove(&self.addr);
                }
            }
        }
    }
}

struct Cursor {
    state: AppState,
    /// A signed-in reader's unread count rides along (`unread` events, no
    /// id), so their page needs no second stream for the header's bell.
    bell: Option<super::notifications::Bell>,
    article_id: i64,
    /// The id of the last event sent.
    last: i64,
    pending: VecDeque<LiveEvent>,
    /// The last replay filled a whole batch: there may be more in the log.
    more: bool,
    rx: Receiver<Shared>,
    closing: tokio::sync::watch::Receiver<bool>,
    /// When a heartbeat is due if nothing else is sent first.
    heartbeat_at: Instant,
    _slot: Slot,
}

impl Cursor {
    async fn refill(&mut self) -> Result<(), AppError> {
        let replay = live::service::replay(&self.state, self.article_id, self.last, REPLAY_BATCH).await?;
        self.more = replay.more;
        self.pending.extend(replay.events);
        Ok(())
    }

    /// The next frame to write: an event (from the replay, then as it
    /// happens) or a heartbeat. `None` ends the stream.
    async fn next(mut self) -> Option<(Bytes, Self)> {
        loop {
            let counted = match self.bell.as_mut().and_then(|b| b.due()) {
                Some(counting) => Some(counting.await),
                None => None,
            };
            if let Some(frame) = counted {
                if let Some(frame) = frame {
                    return Some((self.sent(frame), self));
                }
                continue;
            }
            if let Some(event) = self.pending.pop_front() {
                if event.id <= self.last && event.kind != "reset" {
                    continue;
                }
                self.last = event.id;
                if self.pending.is_empty() && self.more {
                    self.refill().await.ok()?;
                }
                return Some((self.sent(event.sse_frame()), self));
            }
            let received = tokio::select! {
                _ = super::notifications::Bell::rung(self.bell.as_mut()) => continue,
                received = self.rx.recv() => Some(received),
                _ = tokio::time::sleep_until(self.heartbeat_at) => None,
                _ = self.closing.wait_for(|closed| *closed) => return None,
            };
            let Some(received) = received else {
                return Some((self.sent(Bytes::from_static(HEARTBEAT_FRAME)), self));
            };
            match received {
                Ok(event) if event.id > self.last => {
                    self.last = event.id;
                    // The frame every reader of the article shares.
                    return Some((self.sent(event.frame.clone()), self));
                }
                Ok(_) => continue,
                // Too slow for the in-memory channel: catch up from the log.
                Err(RecvError::Lagged(_)) => self.refill().await.ok()?,
                Err(RecvError::Closed) => return None,
            }
        }
    }

    fn sent(&mut self, frame: Bytes) -> Bytes {
        self.heartbeat_at = Instant::now() + HEARTBEAT;
        frame
    }
}

/// An article's live events as Server-Sent Events (`comment.created`, `comment.updated`,
/// `comment.deleted`, `comment.liked`, `reactions.updated`, `reset`), each with an id;
/// resumes after `Last-Event-ID` (or `last_event_id`). Never ends by itself.
#[utoipa::path(get, path = "/articles/{slug}/live", operation_id = "live", tag = "live",
    params(
        super::params::SlugParam,
        ("last_event_id" = Option<i64>, Query, description = "Resume after this event", minimum = 0),
        ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event (what EventSource sends)"),
    ),
    responses(
        (status = 200, description = "The stream", content_type = "text/event-stream", body = String),
        (status = 404, description = "No such article", body = super::ErrorBody),
        (status = 429, description = "Too many open streams from this address", body = super::ErrorBody),
    ))]
pub async fn stream(
    State(state): State<AppState>,
    Extension(slots): Extension<Arc<StreamSlots>>,
    Extension(ClientAddr(addr)): Extension<ClientAddr>,
    ApiPath(SlugParam { slug }): ApiPath<SlugParam>,
    Query(query): Query<LiveQuery>,
    Viewer(viewer): Viewer,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let article_id = articles::service::id_of(&state, &slug).await?;
    let slot = slots.take(&addr)?;
    let bell = viewer.map(|user| super::notifications::Bell::new(&state, user.id));
    let header_id =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    // Subscribe before reading the log, so no event falls between the two.
    let rx = state.hub.subscribe(article_id);
    let mut cursor = Cursor {
        state: state.clone(),
        bell,
        article_id,
        last: 0,
        pending: VecDeque::new(),
        more: false,
        rx,
        closing: state.hub.closing(),
        heartbeat_at: Instant::now() + HEARTBEAT,
        _slot: slot,
    };
    match header_id.or(query.last_event_id) {
        Some(last) => {
            cursor.last = last.max(0);
            cursor.refill().await?;
        }
        None => cursor.last = live::service::latest_id(&state, article_id).await?,
    }
    let frames = stream::unfold(cursor, |cursor| async move {
        cursor.next().await.map(|(frame, cursor)| (Ok::<_, Infallible>(frame), cursor))
    });
    Ok(([(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-cache")], Body::from_stream(frames))
        .into_response())
}
