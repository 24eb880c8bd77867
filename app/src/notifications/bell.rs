//! The bell: wakes a reader's open pages when their unread count may have
//! changed, so the header's indicator follows without polling. A ring carries
//! no count; whoever listens reads the count from the database, which stays
//! the truth.
//!
//! With PostgreSQL several instances share the readers: a ring goes out as a
//! `NOTIFY` on `CHANNEL`, and each instance's relay listener rings its own
//! listeners (`ring_here`). With SQLite there is one instance and a ring stays
//! in the process.

use crate::db::Db;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};
use tokio::sync::watch;

/// The PostgreSQL notification channel for rings; the payload is the user id.
pub const CHANNEL: &str = "spotlight_bell";

#[derive(Clone, Default)]
pub struct Bell {
    listeners: Arc<Mutex<HashMap<i64, watch::Sender<()>>>>,
    relayed: bool,
}

/// A reader's pages on this instance, woken by each ring. Dropping the last
/// one of a reader forgets them.
pub struct Listener {
    pub rx: watch::Receiver<()>,
    user_id: i64,
    listeners: Arc<Mutex<HashMap<i64, watch::Sender<()>>>>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Ok(mut map) = self.listeners.lock() {
            // This receiver still counts: it is the last when the count is 1.
            if map.get(&self.user_id).is_some_and(|tx| tx.receiver_count() <= 1) {
                map.remove(&self.user_id);
            }
        }
    }
}

impl Bell {
    /// Rings travel through PostgreSQL to every instance.
    pub fn relayed() -> Self {
        Self { relayed: true, ..Self::default() }
    }

    pub fn listen(&self, user_id: i64) -> Listener {
        let mut map = self.listeners.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let rx = map.entry(user_id).or_insert_with(|| watch::channel(()).0).subscribe();
        Listener { rx, user_id, listeners: self.listeners.clone() }
    }

    /// Wakes `user_id`'s listeners on this instance.
    pub fn ring_here(&self, user_id: i64) {
        let map = self.listeners.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(tx) = map.get(&user_id) {
            tx.send_replace(());
        }
    }

    /// Wakes `user_id`'s listeners on every instance. A ring that cannot be
    /// sent is logged: the listeners read the count again within a minute anyway.
    pub async fn ring(&self, db: &Db, user_id: i64) {
        if !self.relayed {
            self.ring_here(user_id);
            return;
        }
        if let Err(error) = super::store::ring(db, CHANNEL, user_id).await {
            tracing::warn!(%error, user_id, "a notification ring could not be sent");
        }
    }

    /// Readers with a page listening here (for tests and metrics).
    pub fn listening(&self) -> usize {
        self.listeners.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_ring_wakes_only_that_readers_listeners_and_the_last_to_leave_is_forgotten() {
        let bell = Bell::default();
        let mut mine = bell.listen(1);
        let mut other_tab = bell.listen(1);
        let mut someone_else = bell.listen(2);
        mine.rx.mark_unchanged();
        other_tab.rx.mark_unchanged();
        someone_else.rx.mark_unchanged();
        bell.ring_here(1);
        assert!(mine.rx.has_changed().unwrap() && other_tab.rx.has_changed().unwrap());
        assert!(!someone_else.rx.has_changed().unwrap());
        assert_eq!(bell.listening(), 2);
        drop(mine);
        assert_eq!(bell.listening(), 2, "another tab of reader 1 still listens");
        drop(other_tab);
        drop(someone_else);
        assert_eq!(bell.listening(), 0);
    }
}
