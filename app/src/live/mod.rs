//! Live updates for an article's readers: every event is written to the
//! `live_events` log (in the transaction that caused it) and then broadcast to
//! the subscribers in this process. A reconnecting client resumes from the
//! log, so nothing is missed; across instances the log is the source of truth
//! (PostgreSQL LISTEN/NOTIFY would replace the in-process wake-up).

pub mod store;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub id: i64,
    pub article_id: i64,
    /// `comment.created`, `comment.updated`, `comment.deleted`, `comment.liked`, `reactions.updated`.
    pub kind: String,
    /// JSON.
    pub data: String,
}

/// The in-process fan-out of live events.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<LiveEvent>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new(4096)
    }
}

impl Hub {
    pub fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity);
        Self { sender }
    }

    pub fn publish(&self, event: LiveEvent) {
        // No subscribers is not an error: nobody is watching this article.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }
}
