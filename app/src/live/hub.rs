use super::LiveEvent;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex as StdMutex},
};
use tokio::sync::{broadcast, watch, Mutex, MutexGuard};

/// An event as subscribers receive it: shared, so a thousand readers of one
/// article cost one copy of its text, not a thousand.
pub type Shared = Arc<Outgoing>;

/// An event with its Server-Sent Events frame, encoded once when it is
/// delivered: each stream then writes the same bytes (a reference count, not
/// a copy), which is what a crowd on one article costs per reader.
#[derive(Debug)]
pub struct Outgoing {
    pub event: LiveEvent,
    pub frame: bytes::Bytes,
}

impl std::ops::Deref for Outgoing {
    type Target = LiveEvent;
    fn deref(&self) -> &LiveEvent {
        &self.event
    }
}

/// Events kept per article for subscribers that read slowly; beyond it they
/// catch up from the log.
const PER_ARTICLE_CAPACITY: usize = 256;

/// The in-process fan-out of live events, routed per article: a reader of one
/// article never receives (or clones) another article's events.
#[derive(Clone)]
pub struct Hub {
    articles: Arc<StdMutex<HashMap<i64, broadcast::Sender<Shared>>>>,
    /// Every event of the site, for whoever watches all of them (the page cache).
    all: broadcast::Sender<Shared>,
    order: Arc<Mutex<()>>,
    /// Events reach this hub through the relay (PostgreSQL, several instances):
    /// `publish` leaves them to it, so each is delivered once, in log order.
    relayed: bool,
    /// Flips to true at shutdown: open streams end so the server can stop.
    closing: Arc<watch::Sender<bool>>,
    /// Run for each event before any subscriber receives it (the page cache
    /// empties itself here, so no reader told of an event gets a page without it).
    hooks: Arc<StdMutex<Vec<Hook>>>,
}

type Hook = Arc<dyn Fn(&LiveEvent) + Send + Sync>;

impl Default for Hub {
    fn default() -> Self {
        Self::new(4096)
    }
}

impl Hub {
    pub fn new(capacity: usize) -> Self {
        let (all, _) = broadcast::channel(capacity);
        Self {
            articles: Arc::default(),
            all,
            order: Arc::new(Mutex::new(())),
            relayed: false,
            closing: Arc::new(watch::channel(false).0),
            hooks: Arc::default(),
        }
    }

    /// A hub fed by `relay` from the database's notifications instead of by `publish`.
    pub fn relayed() -> Self {
        Self { relayed: true, ..Self::default() }
    }

    /// Held from before an event is written until it is published, so
    /// subscribers receive events in id order.
    pub async fn order(&self) -> MutexGuard<'_, ()> {
        self.order.lock().await
    }

    /// A service wrote `event` (after its transaction committed). Delivered at
    /// once on a single instance; left to the relay when several share the log,
    /// but what this instance keeps of the article is dropped now (the hooks
    /// run again, harmlessly, when the relay delivers it): the writer's next
    /// page, and anyone's, never shows what was just removed.
    pub fn publish(&self, event: LiveEvent) {
        if self.relayed {
            self.run_hooks(&event);
        } else {
            self.deliver(event);
        }
    }

    /// Runs `hook` for every event, before its subscribers receive it.
    pub fn before_delivery(&self, hook: impl Fn(&LiveEvent) + Send + Sync + 'static) {
        if let Ok(mut hooks) = self.hooks.lock() {
            hooks.push(Arc::new(hook));
        }
    }

    fn run_hooks(&self, event: &LiveEvent) {
        let hooks: Vec<Hook> = self.hooks.lock().map(|h| h.clone()).unwrap_or_default();
        for hook in hooks {
            hook(event);
        }
    }

    /// Hands an event to this process's subscribers.
    pub fn deliver(&self, event: LiveEvent) {
        self.run_hooks(&event);
        let frame = event.sse_frame();
        let event = Arc::new(Outgoing { event, frame });
        // No subscribers is not an error: nobody is watching.
        let _ = self.all.send(event.clone());
        if let Ok(mut articles) = self.articles.lock() {
            if let Some(sender) = articles.get(&event.article_id) {
                if sender.send(event.clone()).is_err() {
                    // Its last reader left: forget the channel.
                    articles.remove(&event.article_id);
                }
            }
        }
    }

    /// The events of one article.
    pub fn subscribe(&self, article_id: i64) -> broadcast::Receiver<Shared> {
        let mut articles = match self.articles.lock() {
            Ok(a) => a,
            Err(poisoned) => poisoned.into_inner(),
        };
        if !articles.contains_key(&article_id) {
            // A good moment to forget articles whose readers have all left.
            articles.retain(|_, sender| sender.receiver_count() > 0);
        }
        articles.entry(article_id).or_insert_with(|| broadcast::channel(PER_ARTICLE_CAPACITY).0).subscribe()
    }

    /// Every event of the site.
    pub fn subscribe_all(&self) -> broadcast::Receiver<Shared> {
        self.all.subscribe()
    }

    /// Ends every open live stream (at shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when the hub is closed.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, article_id: i64) -> LiveEvent {
        LiveEvent { id, article_id, kind: "reactions.updated".into(), data: "{}".into() }
    }

    #[tokio::test]
    async fn a_reader_receives_only_its_articles_events() {
        let hub = Hub::default();
        let mut one = hub.subscribe(1);
        let mut two = hub.subscribe(2);
        hub.publish(event(10, 2));
        hub.publish(event(11, 1));
        assert_eq!(one.recv().await.unwrap().id, 11);
        assert_eq!(two.recv().await.unwrap().id, 10);
        assert!(one.try_recv().is_err());
    }

    #[tokio::test]
    async fn an_article_without_readers_keeps_no_channel() {
        let hub = Hub::default();
        drop(hub.subscribe(7));
        hub.publish(event(1, 7));
        assert!(hub.articles.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn hooks_run_before_any_subscriber_receives_the_event() {
        let hub = Hub::default();
        let mut readers = hub.subscribe(7);
        let seen = Arc::new(StdMutex::new(Vec::new()));
        hub.before_delivery({
            let seen = seen.clone();
            move |e| seen.lock().unwrap().push(e.id)
        });
        hub.publish(event(3, 7));
        // By the time a reader can see the event, the hook has run.
        assert_eq!(readers.recv().await.unwrap().id, 3);
        assert_eq!(*seen.lock().unwrap(), [3]);
    }

    #[tokio::test]
    async fn a_relayed_hubs_caches_forget_at_the_write_not_when_the_relay_comes_back() {
        let hub = Hub::relayed();
        let mut all = hub.subscribe_all();
        let seen = Arc::new(StdMutex::new(Vec::new()));
        hub.before_delivery({
            let seen = seen.clone();
            move |e| seen.lock().unwrap().push(e.id)
        });
        hub.publish(event(4, 7));
        assert_eq!(*seen.lock().unwrap(), [4], "what this instance keeps is dropped at the write");
        assert!(all.try_recv().is_err(), "readers still get the event from the relay, in order");
        hub.deliver(event(4, 7));
        assert_eq!(all.recv().await.unwrap().id, 4);
    }

    #[tokio::test]
    async fn a_relayed_hub_delivers_only_what_the_relay_hands_it() {
        let hub = Hub::relayed();
        let mut all = hub.subscribe_all();
        hub.publish(event(1, 7));
        assert!(all.try_recv().is_err(), "the writer's own publish waits for the relay");
        hub.deliver(event(1, 7));
        assert_eq!(all.recv().await.unwrap().id, 1);
    }
}
