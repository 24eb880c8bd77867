//! Slug → id, remembered once looked up. An article keeps its id for life (the
//! importer updates in place and nothing deletes articles), so an entry never goes
//! stale; only slugs that exist are remembered, so the map is as big as the archive.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

#[derive(Clone, Default)]
pub struct ArticleIds(Arc<RwLock<HashMap<String, i64>>>);

impl ArticleIds {
    pub fn get(&self, slug: &str) -> Option<i64> {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(slug).copied()
    }

    pub fn remember(&self, slug: &str, id: i64) {
        self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(slug.to_owned(), id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_only_what_it_was_told() {
        let ids = ArticleIds::default();
        assert_eq!(ids.get("a-story"), None);
        ids.remember("a-story", 7);
        assert_eq!(ids.get("a-story"), Some(7));
        assert_eq!(ids.clone().get("a-story"), Some(7), "clones share the map");
        assert_eq!(ids.get("another-story"), None);
    }
}
