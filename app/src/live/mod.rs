//! Live updates for an article's readers: every event is written to the
//! `live_events` log (in the transaction that caused it) and then broadcast to
//! the subscribers in this process. A reconnecting client resumes from the
//! log, so nothing is missed. On PostgreSQL, where several instances share the
//! log, `relay` delivers every event to every instance (LISTEN/NOTIFY).

#[cfg(feature = "hydrate")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod relay;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use hub::Hub;

use crate::comments::Comment;
use serde::{Deserialize, Serialize};

/// The event names of an article's stream. `reset` tells a client that resumed
/// from further back than the log keeps to reload what it shows.
pub const EVENT_KINDS: [&str; 6] =
    ["comment.created", "comment.updated", "comment.deleted", "comment.liked", "reactions.updated", "reset"];

/// What the log holds: the kind and the ids it concerns. Comment events carry
/// no text (`payload` is empty); reaction events carry their counts.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Logged {
    pub id: i64,
    pub article_id: i64,
    pub kind: String,
    pub comment_id: Option<i64>,
    pub payload: String,
}

/// What an event says, one variant per event name. The server builds every
/// payload from this type and the browser decodes it back into it, so the two
/// cannot drift apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveMessage {
    CommentCreated(Comment),
    CommentUpdated(Comment),
    /// Gone for readers (deleted, hidden or held); a deleted comment with
    /// replies stays as "[deleted]".
    CommentDeleted(CommentRemoved),
    CommentLiked(CommentLikes),
    ReactionsUpdated(ReactionCounts),
    /// The log no longer reaches back to the client's last event: reload.
    Reset,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRemoved {
    pub id: i64,
    pub has_replies: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentLikes {
    pub id: i64,
    pub likes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionCounts {
    pub counts: std::collections::BTreeMap<String, i64>,
    pub total: i64,
}

impl LiveMessage {
    /// The SSE event name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::CommentCreated(_) => "comment.created",
            Self::CommentUpdated(_) => "comment.updated",
            Self::CommentDeleted(_) => "comment.deleted",
            Self::CommentLiked(_) => "comment.liked",
            Self::ReactionsUpdated(_) => "reactions.updated",
            Self::Reset => "reset",
        }
    }

    /// The SSE data: the variant's payload as JSON.
    pub fn data(&self) -> String {
        let json = match self {
            Self::CommentCreated(c) | Self::CommentUpdated(c) => serde_json::to_string(c),
            Self::CommentDeleted(r) => serde_json::to_string(r),
            Self::CommentLiked(l) => serde_json::to_string(l),
            Self::ReactionsUpdated(r) => serde_json::to_string(r),
            Self::Reset => Ok("{}".to_owned()),
        };
        json.unwrap_or_else(|_| "{}".to_owned())
    }

    /// Reads an event back from its name and data; `None` for anything unknown.
    pub fn decode(kind: &str, data: &str) -> Option<Self> {
        Some(match kind {
            "comment.created" => Self::CommentCreated(serde_json::from_str(data).ok()?),
            "comment.updated" => Self::CommentUpdated(serde_json::from_str(data).ok()?),
            "comment.deleted" => Self::CommentDeleted(serde_json::from_str(data).ok()?),
            "comment.liked" => Self::CommentLiked(serde_json::from_str(data).ok()?),
            "reactions.updated" => Self::ReactionsUpdated(serde_json::from_str(data).ok()?),
            "reset" => Self::Reset,
            _ => return None,
        })
    }
}

/// An event ready for the wire: its id, and its message already encoded (once,
/// however many readers it goes to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub id: i64,
    pub article_id: i64,
    /// One of `EVENT_KINDS`.
    pub kind: String,
    /// JSON.
    pub data: String,
}

impl LiveEvent {
    pub fn new(id: i64, article_id: i64, message: &LiveMessage) -> Self {
        Self { id, article_id, kind: message.kind().to_owned(), data: message.data() }
    }

    pub fn message(&self) -> Option<LiveMessage> {
        LiveMessage::decode(&self.kind, &self.data)
    }

    /// The event as one Server-Sent Events frame: `id`, `event`, a `data`
    /// line per line of data, and the blank line that ends it.
    #[cfg(feature = "ssr")]
    pub fn sse_frame(&self) -> bytes::Bytes {
        use std::fmt::Write;
        let mut frame = String::with_capacity(self.data.len() + self.kind.len() + 40);
        let _ = write!(frame, "id: {}\nevent: {}\n", self.id, self.kind);
        for line in self.data.replace("\r\n", "\n").split(['\n', '\r']) {
            frame.push_str("data: ");
            frame.push_str(line);
            frame.push('\n');
        }
        frame.push('\n');
        bytes::Bytes::from(frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_decodes_back_to_what_was_sent() {
        let mut counts = std::collections::BTreeMap::new();
        counts.insert("love".to_owned(), 3);
        let messages = [
            LiveMessage::CommentDeleted(CommentRemoved { id: 4, has_replies: true }),
            LiveMessage::CommentLiked(CommentLikes { id: 4, likes: 9 }),
            LiveMessage::ReactionsUpdated(ReactionCounts { counts, total: 3 }),
            LiveMessage::Reset,
        ];
        for message in messages {
            let event = LiveEvent::new(1, 2, &message);
            assert!(EVENT_KINDS.contains(&event.kind.as_str()));
            assert_eq!(event.message(), Some(message));
        }
        assert_eq!(LiveMessage::decode("comment.exploded", "{}"), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_frame_carries_every_line_of_its_data_and_ends_with_a_blank_line() {
        let event = LiveEvent { id: 7, article_id: 1, kind: "reset".into(), data: "{\n}".into() };
        assert_eq!(&event.sse_frame()[..], b"id: 7\nevent: reset\ndata: {\ndata: }\n\n");
    }
}

/// Live events received by this page, oldest first; components read what they need.
#[derive(Debug, Clone, Copy)]
pub struct LiveFeed {
    pub events: leptos::prelude::RwSignal<Vec<LiveEvent>>,
    pub connected: leptos::prelude::RwSignal<bool>,
}
