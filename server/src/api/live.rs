//! `GET /api/v1/articles/{slug}/live`: an article's events as Server-Sent Events.

use super::ApiError;
use app::{
    articles,
    live::{self, LiveEvent},
    state::AppState,
};
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::sse::{Event, KeepAlive, Sse},
};
use futures::stream::{self, Stream};
use serde::Deserialize;
use std::{collections::VecDeque, convert::Infallible, time::Duration};
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// Proxies close idle connections; a comment line this often keeps them open.
const HEARTBEAT: Duration = Duration::from_secs(20);
const REPLAY_BATCH: i64 = 500;

#[derive(Deserialize)]
pub struct LiveQuery {
    /// For clients that cannot send the `Last-Event-ID` header (a new EventSource).
    last_event_id: Option<i64>,
}

struct Cursor {
    db: app::db::Db,
    article_id: i64,
    /// The id of the last event sent.
    last: i64,
    pending: VecDeque<LiveEvent>,
    /// The last replay filled a whole batch: there may be more in the log.
    more: bool,
    rx: Receiver<LiveEvent>,
    closing: tokio::sync::watch::Receiver<bool>,
}

impl Cursor {
    async fn refill(&mut self) -> Result<(), sqlx::Error> {
        let events = live::store::since(&self.db, self.article_id, self.last, REPLAY_BATCH).await?;
        self.more = events.len() as i64 == REPLAY_BATCH;
        self.pending.extend(events);
        Ok(())
    }

    async fn next(mut self) -> Option<(LiveEvent, Self)> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                if event.id <= self.last {
                    continue;
                }
                self.last = event.id;
                if self.pending.is_empty() && self.more {
                    self.refill().await.map_err(|e| tracing::error!(error = %e, "live replay failed")).ok()?;
                }
                return Some((event, self));
            }
            let received = tokio::select! {
                received = self.rx.recv() => received,
                _ = self.closing.wait_for(|closed| *closed) => return None,
            };
            match received {
                Ok(event) if event.article_id == self.article_id && event.id > self.last => {
                    self.last = event.id;
                    return Some((event, self));
                }
                Ok(_) => continue,
                // Too slow for the in-memory channel: catch up from the log.
                Err(RecvError::Lagged(_)) => {
                    self.refill().await.map_err(|e| tracing::error!(error = %e, "live catch-up failed")).ok()?;
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

pub async fn stream(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<LiveQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let article_id = articles::service::id_of(&state, &slug).await?;
    let header_id =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    // Subscribe before reading the log, so no event falls between the two.
    let rx = state.hub.subscribe();
    let mut cursor = Cursor {
        db: state.db.clone(),
        article_id,
        last: 0,
        pending: VecDeque::new(),
        more: false,
        rx,
        closing: state.hub.closing(),
    };
    match header_id.or(query.last_event_id) {
        Some(last) => {
            cursor.last = last.max(0);
            cursor.refill().await.map_err(app::errors::AppError::from)?;
        }
        None => {
            cursor.last = live::store::latest_id(&state.db, article_id).await.map_err(app::errors::AppError::from)?;
        }
    }
    let events = stream::unfold(cursor, |cursor| async move {
        cursor.next().await.map(|(event, cursor)| {
            let sse = Event::default().id(event.id.to_string()).event(event.kind).data(event.data);
            (Ok(sse), cursor)
        })
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat")))
}
