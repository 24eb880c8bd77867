//! What article pages read, kept in memory between live events.
//!
//! A signed-in reader's page cannot come from the page cache (it shows their
//! pick, their likes, their name), but almost everything on it is the same for
//! every reader: the article, its reaction counts, its comment threads, the
//! similar articles. Those are read here once and shared; a signed-in render
//! then asks the database only for what is the reader's own.
//!
//! Everything of one article is filed under that article's generation, which
//! every live event of the article moves on (before any reader receives the
//! event, on every instance, through the relay): the next read misses and
//! loads again, and a load that began before the event is filed under the old
//! generation, where nobody looks. Writes that publish no event (a held
//! comment) are read from the database by whoever may see them, never from
//! here. Concurrent misses for one entry load it once (moka's single flight).
//! Entries also expire after `KEEP_FOR`, which bounds what an article import
//! by another process can leave stale, and the whole cache is bounded in entries.

use crate::{
    articles::{Article, ArticleCard},
    comments::service::PublicThreads,
    errors::AppError,
    live::Hub,
};
use moka::future::Cache;
use std::{
    collections::HashMap,
    future::Future,
    hash::Hash,
    sync::{Arc, Mutex},
    time::Duration,
};

/// The longest an entry is kept, however quiet its article.
const KEEP_FOR: Duration = Duration::from_secs(60);
/// Entries per kind (articles, counts, similar lists; comment pages hold more).
const CAPACITY: u64 = 10_000;

type Generation = u64;
/// Reaction counts by kind, as the reactions store reads them.
type Counts = Vec<(String, i64)>;

#[derive(Clone)]
pub struct ReadCache(Arc<Inner>);

struct Inner {
    generations: Mutex<HashMap<i64, Generation>>,
    articles: Cache<(i64, Generation), Arc<Article>>,
    reactions: Cache<(i64, Generation), Arc<Counts>>,
    threads: Cache<(i64, Generation, String), Arc<PublicThreads>>,
    similar: Cache<(i64, usize), Arc<Vec<ArticleCard>>>,
}

fn cache<K, V>(capacity: u64) -> Cache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    Cache::builder().max_capacity(capacity).time_to_live(KEEP_FOR).build()
}

impl Default for ReadCache {
    fn default() -> Self {
        Self(Arc::new(Inner {
            generations: Mutex::default(),
            articles: cache(CAPACITY),
            reactions: cache(CAPACITY),
            threads: cache(4 * CAPACITY),
            similar: cache(CAPACITY),
        }))
    }
}

/// Reads `key` from `cache`, loading it once however many ask at the same time.
async fn read<K, V>(
    cache: &Cache<K, Arc<V>>,
    key: K,
    load: impl Future<Output = Result<V, AppError>>,
) -> Result<Arc<V>, AppError>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    cache.try_get_with(key, async move { load.await.map(Arc::new) }).await.map_err(|e| (*e).clone())
}

impl ReadCache {
    /// Moves an article on at each of its live events, before any reader receives it.
    pub fn follow(&self, hub: &Hub) {
        let cache = self.clone();
        hub.before_delivery(move |event| cache.forget(event.article_id));
    }

    /// Whatever was read of `article_id` is no longer served.
    pub fn forget(&self, article_id: i64) {
        let mut generations = self.0.generations.lock().unwrap_or_else(|p| p.into_inner());
        *generations.entry(article_id).or_default() += 1;
    }

    fn generation(&self, article_id: i64) -> Generation {
        self.0.generations.lock().unwrap_or_else(|p| p.into_inner()).get(&article_id).copied().unwrap_or_default()
    }

    pub async fn article(
        &self,
        id: i64,
        load: impl Future<Output = Result<Article, AppError>>,
    ) -> Result<Arc<Article>, AppError> {
        read(&self.0.articles, (id, self.generation(id)), load).await
    }

    pub async fn reaction_counts(
        &self,
        id: i64,
        load: impl Future<Output = Result<Counts, AppError>>,
    ) -> Result<Arc<Counts>, AppError> {
        read(&self.0.reactions, (id, self.generation(id)), load).await
    }

    /// A page of threads, named by the comments service (its sort and cursor).
    pub async fn threads(
        &self,
        id: i64,
        page: String,
        load: impl Future<Output = Result<PublicThreads, AppError>>,
    ) -> Result<Arc<PublicThreads>, AppError> {
        let key = (id, self.generation(id), page);
        read(&self.0.threads, key, load).await
    }

    /// Similar articles change only with the archive: they are kept for `KEEP_FOR`
    /// (their cards' counts may lag that long), not moved on by live events.
    pub async fn similar(
        &self,
        id: i64,
        limit: usize,
        load: impl Future<Output = Result<Vec<ArticleCard>, AppError>>,
    ) -> Result<Arc<Vec<ArticleCard>>, AppError> {
        read(&self.0.similar, (id, limit), load).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn counts(cache: &ReadCache, loads: &AtomicUsize, value: i64) -> i64 {
        let got = cache
            .reaction_counts(7, async {
                loads.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(vec![("love".to_owned(), value)])
            })
            .await
            .unwrap();
        got[0].1
    }

    #[tokio::test]
    async fn concurrent_misses_load_once_and_share_the_result() {
        let (cache, loads) = (ReadCache::default(), AtomicUsize::new(0));
        let all = futures::future::join_all((0..20).map(|_| counts(&cache, &loads, 1))).await;
        assert!(all.iter().all(|v| *v == 1));
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_live_event_of_the_article_makes_the_next_read_load_again() {
        let (cache, loads) = (ReadCache::default(), AtomicUsize::new(0));
        let hub = Hub::default();
        cache.follow(&hub);
        assert_eq!(counts(&cache, &loads, 1).await, 1);
        assert_eq!(counts(&cache, &loads, 2).await, 1, "read from memory");
        // Another article's event leaves this one alone.
        hub.publish(crate::live::LiveEvent { id: 1, article_id: 8, kind: "reactions".into(), data: "{}".into() });
        assert_eq!(counts(&cache, &loads, 2).await, 1);
        hub.publish(crate::live::LiveEvent { id: 2, article_id: 7, kind: "reactions".into(), data: "{}".into() });
        assert_eq!(counts(&cache, &loads, 3).await, 3);
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_load_that_began_before_an_event_is_not_served_after_it() {
        let cache = ReadCache::default();
        let started = Arc::new(tokio::sync::Notify::new());
        let release = Arc::new(tokio::sync::Notify::new());
        let slow = {
            let (cache, started, release) = (cache.clone(), started.clone(), release.clone());
            tokio::spawn(async move {
                cache
                    .reaction_counts(7, async move {
                        started.notify_one();
                        release.notified().await;
                        Ok(vec![("love".to_owned(), 1)])
                    })
                    .await
                    .unwrap()[0]
                    .1
            })
        };
        started.notified().await;
        cache.forget(7); // a reaction lands while the old counts are being read
        release.notify_one();
        assert_eq!(slow.await.unwrap(), 1, "the reader who asked first gets what was read");
        let loads = AtomicUsize::new(0);
        assert_eq!(counts(&cache, &loads, 2).await, 2, "later readers get a new load");
    }

    #[tokio::test]
    async fn a_failed_load_is_not_kept() {
        let cache = ReadCache::default();
        let failed = cache.reaction_counts(7, async { Err(AppError::Internal) }).await;
        assert_eq!(failed.unwrap_err(), AppError::Internal);
        let loads = AtomicUsize::new(0);
        assert_eq!(counts(&cache, &loads, 5).await, 5);
    }
}
