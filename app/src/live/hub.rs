use super::LiveEvent;
use std::sync::Arc;
use tokio::sync::{broadcast, watch, Mutex, MutexGuard};

/// The in-process fan-out of live events.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<LiveEvent>,
    order: Arc<Mutex<()>>,
    /// Flips to true at shutdown: open streams end so the server can stop.
    closing: Arc<watch::Sender<bool>>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new(4096)
    }
}

impl Hub {
    pub fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity);
        Self { sender, order: Arc::new(Mutex::new(())), closing: Arc::new(watch::channel(false).0) }
    }

    /// Held from before an event is written until it is published, so
    /// subscribers receive events in id order.
    pub async fn order(&self) -> MutexGuard<'_, ()> {
        self.order.lock().await
    }

    pub fn publish(&self, event: LiveEvent) {
        // No subscribers is not an error: nobody is watching this article.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    /// Ends every open live stream (at shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when the hub is closed.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }
}
