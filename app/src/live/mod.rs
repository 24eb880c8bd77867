//! Live updates for an article's readers: every event is written to the
//! `live_events` log (in the transaction that caused it) and then broadcast to
//! the subscribers in this process. A reconnecting client resumes from the
//! log, so nothing is missed; across instances the log is the source of truth
//! (PostgreSQL LISTEN/NOTIFY would replace the in-process wake-up).

#[cfg(feature = "hydrate")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use hub::Hub;

use serde::{Deserialize, Serialize};

/// The event names of an article's stream. `reset` tells a client that resumed
/// from further back than the log keeps to reload what it shows.
pub const EVENT_KINDS: [&str; 6] =
    ["comment.created", "comment.updated", "comment.deleted", "comment.liked", "reactions.updated", "reset"];

/// What the log holds: the kind and the ids it concerns. Comment events carry
/// no text (`payload` is empty); reaction events carry their counts.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub id: i64,
    pub article_id: i64,
    pub kind: String,
    pub comment_id: Option<i64>,
    pub payload: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub id: i64,
    pub article_id: i64,
    /// One of `EVENT_KINDS`.
    pub kind: String,
    /// JSON.
    pub data: String,
}

/// Live events received by this page, oldest first; components read what they need.
#[derive(Debug, Clone, Copy)]
pub struct LiveFeed {
    pub events: leptos::prelude::RwSignal<Vec<LiveEvent>>,
    pub connected: leptos::prelude::RwSignal<bool>,
}
