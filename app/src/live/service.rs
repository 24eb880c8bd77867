//! What an article's live stream sends: events from the log, rendered from
//! the state of things when they are sent, so nothing removed is replayed.

use super::{store, LiveEvent, LiveMessage, Logged};
use crate::{errors::AppError, state::AppState};

/// How long the log keeps events. A reader away for longer gets `reset`.
pub const RETENTION_SECS: i64 = 7 * 24 * 3600;

/// One batch of a replay.
pub struct Replay {
    pub events: Vec<LiveEvent>,
    /// The batch was full: there may be more in the log.
    pub more: bool,
    /// The id the replay reached (the last event's, or where it started).
    pub last: i64,
}

/// The event that tells a client its copy is older than the log: reload.
fn reset(article_id: i64, id: i64) -> LiveEvent {
    LiveEvent::new(id, article_id, &LiveMessage::Reset)
}

/// Events of an article after `after`, at most `limit` from the log; a
/// `reset` first when `after` lies before what the log still keeps.
pub async fn replay(state: &AppState, article_id: i64, after: i64, limit: i64) -> Result<Replay, AppError> {
    let floor = store::floor(&state.db, article_id).await?;
    let mut events = Vec::new();
    let mut last = after;
    if after < floor {
        events.push(reset(article_id, floor));
        last = floor;
    }
    let logged = store::since(&state.db, article_id, last, limit).await?;
    let more = logged.len() as i64 == limit;
    if let Some(l) = logged.last() {
        last = l.id;
    }
    events.extend(render(state, &logged).await?);
    Ok(Replay { events, more, last })
}

/// Builds what readers are sent for logged events, in the same order.
pub async fn render(state: &AppState, logged: &[Logged]) -> Result<Vec<LiveEvent>, AppError> {
    let mut comments = crate::comments::service::render_live(state, logged).await?;
    Ok(logged
        .iter()
        .map(|l| match comments.remove(&l.id) {
            Some(event) => event,
            None => LiveEvent { id: l.id, article_id: l.article_id, kind: l.kind.clone(), data: l.payload.clone() },
        })
        .collect())
}

/// Where a fresh page starts listening.
pub async fn latest_id(state: &AppState, article_id: i64) -> Result<i64, AppError> {
    cursor(&state.db, article_id).await
}

/// The live cursor of an article: the newest event id (0 when none).
pub async fn cursor(db: &crate::db::Db, article_id: i64) -> Result<i64, AppError> {
    Ok(store::latest_id(db, article_id).await?)
}

/// Drops events older than the retention; returns how many.
pub async fn prune(state: &AppState, now: i64) -> Result<u64, AppError> {
    Ok(store::prune(&state.db, now - RETENTION_SECS).await?)
}
