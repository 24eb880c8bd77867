//! Live events across instances (PostgreSQL). The `live_events` table stays
//! the truth: the transaction that writes an event also sends `NOTIFY` with its
//! id, and one listener per instance wakes the relay, which reads the new rows
//! and delivers them to this instance's hub (its streams and its page cache).
//! Every instance, the writing one included, learns of events this one way.
//!
//! Notifications only wake the relay; it never trusts them to be complete. It
//! also reads the table once a second, and after the listener reconnects, so
//! what was announced while it was away is still delivered.
//!
//! Ids are handed out when a transaction inserts, but become visible when it
//! commits, so id 11 can be read before id 10. Reading `id > last` and moving
//! on would skip 10 for good; the `Sequencer` instead delivers in id order,
//! holding back what lies above a gap until the gap fills, or until it has
//! been open for `GAP_WAIT` (its id was rolled back, or its transaction is
//! stuck). An id given up on and seen later is still delivered.

use super::{service, store, Logged};
use crate::state::AppState;
use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

/// How long a gap in the ids holds back the events above it.
pub const GAP_WAIT: Duration = Duration::from_secs(5);
/// How often the table is read when no notification comes.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// How long one attempt to (re)connect the listener may take.
const LISTEN_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Ids given up on are remembered this long, in case their event shows up late.
const REMEMBER_SKIPPED: Duration = Duration::from_secs(120);
const BATCH: i64 = 500;
/// The most ids looked up by id in one read (a sequence that jumped far ahead
/// leaves a wide gap; beyond this many, its ids are given up on unseen).
const MAX_MISSING: usize = 1000;

/// Puts events read from the table in id order, without skipping any.
///
/// Each read of the table starts after the largest id already seen, so it
/// always moves forward however many events wait above a gap; the ids in the
/// gaps are looked up by id instead (`missing`).
#[derive(Debug)]
pub struct Sequencer {
    /// Every id up to here was delivered or given up on.
    floor: i64,
    /// The largest id seen (delivered or held).
    top: i64,
    /// Read, but waiting for a smaller id.
    held: BTreeMap<i64, Logged>,
    /// When the gap just above `floor` was first seen.
    gap_since: Option<Instant>,
    /// Ids given up on, and when.
    skipped: BTreeMap<i64, Instant>,
}

impl Sequencer {
    /// Starts after `floor`: events up to it are history, not news.
    pub fn new(floor: i64) -> Self {
        Self { floor, top: floor, held: BTreeMap::new(), gap_since: None, skipped: BTreeMap::new() }
    }

    /// Where the next read of new events starts (exclusive).
    pub fn read_after(&self) -> i64 {
        self.top
    }

    /// Ids below `read_after` not seen yet: the gaps waited for, then those
    /// given up on (in case they turn up late). At most `MAX_MISSING`.
    pub fn missing(&self) -> Vec<i64> {
        let waiting = (self.floor + 1..self.top).filter(|id| !self.held.contains_key(id));
        waiting.chain(self.skipped.keys().copied()).take(MAX_MISSING).collect()
    }

    /// Takes rows read from the table (any order, repeats allowed) and returns
    /// those to deliver now, in id order.
    pub fn offer(&mut self, rows: Vec<Logged>, now: Instant) -> Vec<Logged> {
        let mut out = Vec::new();
        for row in rows {
            if row.id > self.floor {
                self.top = self.top.max(row.id);
                self.held.entry(row.id).or_insert(row);
            } else if self.skipped.remove(&row.id).is_some() {
                tracing::warn!(id = row.id, "a live event turned up after its gap was given up on");
                out.push(row);
            }
        }
        self.skipped.retain(|_, at| now.duration_since(*at) < REMEMBER_SKIPPED);
        loop {
            while let Some(row) = self.held.remove(&(self.floor + 1)) {
                self.floor = row.id;
                out.push(row);
            }
            let Some(&next) = self.held.keys().next() else {
                self.gap_since = None;
                break;
            };
            let since = *self.gap_since.get_or_insert(now);
            if now.duration_since(since) < GAP_WAIT {
                break;
            }
            // A sequence that jumped far ahead is remembered only near its top.
            for id in (self.floor + 1).max(next - MAX_MISSING as i64)..next {
                self.skipped.insert(id, now);
            }
            self.floor = next - 1;
            self.gap_since = None;
        }
        out
    }
}

/// Runs until `stop` flips: listens on `database_url`'s notification channel
/// and delivers every new event to this instance's hub.
///
/// The listener runs as a task of its own and only wakes this loop, so a
/// listener that is reconnecting (the database restarting, say) never holds up
/// the once-a-second read of the table.
pub async fn run(state: AppState, database_url: String, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut sequencer = loop {
        match store::max_id(&state.db).await {
            Ok(id) => break Sequencer::new(id),
            Err(err) => {
                tracing::error!(error = %err, "the live relay cannot read the log yet; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(POLL_EVERY) => {}
                    _ = stop.wait_for(|stopped| *stopped) => return,
                }
            }
        }
    };
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let listener = tokio::spawn(listen(database_url, wake.clone(), state.bell.clone()));
    let mut tick = tokio::time::interval(POLL_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        tokio::select! {
            _ = wake.notified() => {}
            _ = tick.tick() => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
        match catch_up(&state, &mut sequencer).await {
            Ok(()) if failing => {
                tracing::info!("the live relay reads the log again");
                failing = false;
            }
            Ok(()) => {}
            Err(err) if !failing => {
                tracing::error!(error = %err, "the live relay cannot read the log; retrying every second");
                failing = true;
            }
            Err(_) => {}
        }
    }
    listener.abort();
}

/// Keeps one `LISTEN` connection open for as long as the task lives, waking
/// the relay on every notification and after every (re)connection, since what
/// was announced while it was away is only in the table. Rings of the
/// notification bell come on the same connection and ring this instance's
/// listeners.
async fn listen(
    database_url: String,
    wake: std::sync::Arc<tokio::sync::Notify>,
    bell: crate::notifications::bell::Bell,
) {
    let mut failing = false;
    loop {
        match connect(&database_url).await {
            Ok(mut listener) => {
                tracing::info!(channel = store::CHANNEL, "live relay listening");
                failing = false;
                wake.notify_one();
                loop {
                    match listener.try_recv().await {
                        Ok(Some(note)) if note.channel() == crate::notifications::bell::CHANNEL => {
                            if let Ok(user_id) = note.payload().parse::<i64>() {
                                bell.ring_here(user_id);
                            }
                        }
                        Ok(Some(_)) => wake.notify_one(),
                        // It reconnects on the next call; what was sent meanwhile is read from the log.
                        Ok(None) => {
                            tracing::warn!("the live listener lost its connection; reconnecting");
                            wake.notify_one();
                        }
                        Err(err) => {
                            tracing::warn!(error = %err, "the live listener failed; reading the log every second meanwhile");
                            break;
                        }
                    }
                }
            }
            Err(err) if !failing => {
                tracing::error!(error = %err, "the live relay cannot listen; reading the log every second meanwhile");
                failing = true;
            }
            Err(_) => {}
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

/// A listener whose (re)connection gives up within a second or two, where
/// sqlx's default would keep retrying for 30 s with growing pauses.
async fn connect(database_url: &str) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .acquire_timeout(LISTEN_CONNECT_TIMEOUT)
        .connect_lazy(database_url)?;
    let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
    // The pool is this listener's alone and is never closed.
    listener.ignore_pool_close_event(true);
    listener.listen_all([store::CHANNEL, crate::notifications::bell::CHANNEL]).await?;
    Ok(listener)
}

/// Reads what is new in the log and delivers it, in order.
async fn catch_up(state: &AppState, sequencer: &mut Sequencer) -> Result<(), crate::errors::AppError> {
    let mut missing = sequencer.missing();
    loop {
        let mut rows = store::all_since(&state.db, sequencer.read_after(), BATCH).await?;
        let full = rows.len() as i64 == BATCH;
        if !missing.is_empty() {
            rows.extend(store::by_ids(&state.db, &std::mem::take(&mut missing)).await?);
        }
        let ready = sequencer.offer(rows, Instant::now());
        for event in service::render(state, &ready).await? {
            state.hub.deliver(event);
        }
        if !full {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64) -> Logged {
        Logged { id, article_id: 1, kind: "comment.created".into(), comment_id: Some(id), payload: String::new() }
    }

    fn ids(rows: &[Logged]) -> Vec<i64> {
        rows.iter().map(|r| r.id).collect()
    }

    #[test]
    fn events_are_delivered_once_and_in_order() {
        let mut s = Sequencer::new(10);
        let t = Instant::now();
        assert_eq!(ids(&s.offer(vec![row(11), row(12)], t)), [11, 12]);
        assert_eq!(ids(&s.offer(vec![row(11), row(12), row(13)], t)), [13], "repeats are not delivered again");
        assert_eq!(ids(&s.offer(vec![row(9)], t)), Vec::<i64>::new(), "history is not news");
    }

    #[test]
    fn an_id_that_commits_late_is_waited_for_not_skipped() {
        let mut s = Sequencer::new(10);
        let t = Instant::now();
        // 12 committed before 11: nothing above the gap goes out yet.
        assert!(s.offer(vec![row(12)], t).is_empty());
        assert_eq!((s.read_after(), s.missing()), (12, vec![11]), "new events are read after 12, and 11 is looked up");
        // 11 commits: both go out, in order.
        assert_eq!(ids(&s.offer(vec![row(11)], t + Duration::from_millis(50))), [11, 12]);
        assert!(s.missing().is_empty());
    }

    #[test]
    fn a_gap_that_never_fills_is_given_up_after_the_wait_and_delivered_if_it_turns_up() {
        let mut s = Sequencer::new(10);
        let t = Instant::now();
        assert!(s.offer(vec![row(12), row(13)], t).is_empty());
        assert!(s.offer(vec![row(12), row(13)], t + GAP_WAIT / 2).is_empty());
        assert_eq!(ids(&s.offer(vec![row(12), row(13)], t + GAP_WAIT)), [12, 13]);
        assert_eq!(s.missing(), [11], "11 is still looked for");
        assert_eq!(ids(&s.offer(vec![row(11), row(12), row(13)], t + GAP_WAIT * 2)), [11]);
        assert!(s.missing().is_empty());
        assert_eq!(s.read_after(), 13);
    }

    #[test]
    fn events_far_above_a_gap_keep_the_reads_moving_forward() {
        // The relay reads in batches: a gap with more than a batch of events
        // above it must not make every read return the same batch again.
        let mut s = Sequencer::new(10);
        let t = Instant::now();
        let batch: Vec<Logged> = (12..12 + BATCH).map(row).collect();
        assert!(s.offer(batch, t).is_empty());
        assert_eq!(s.read_after(), 11 + BATCH, "the next read starts above what is held");
        assert!(s.offer(vec![row(12 + BATCH)], t).is_empty());
        assert_eq!(s.missing(), [11]);
        let out = s.offer(vec![row(11)], t);
        assert_eq!(out.len() as i64, BATCH + 2);
        assert!(out.windows(2).all(|w| w[0].id + 1 == w[1].id), "in id order");
    }

    #[test]
    fn ids_given_up_on_long_ago_are_forgotten() {
        let mut s = Sequencer::new(10);
        let t = Instant::now();
        s.offer(vec![row(12)], t);
        s.offer(vec![], t + GAP_WAIT);
        assert_eq!(s.missing(), [11]);
        s.offer(vec![], t + GAP_WAIT + REMEMBER_SKIPPED);
        assert!(s.missing().is_empty());
    }
}
