//! Threads as HTML, kept between renders (server only).
//!
//! A signed-in reader's page is rendered for them, but most of its threads
//! look the same to every reader: what a thread shows depends only on its
//! comments and on what this reader may do with each of them (`Rights`). So a
//! thread's HTML is kept under exactly those inputs and written into the next
//! page that shows the same thread to a reader with the same rights. It is a
//! memo of a pure function, so nothing ever needs to be dropped when a comment
//! changes: a changed thread is a different key, and old keys age out (the
//! memo is bounded in bytes). The kept copy is byte for byte what the thread
//! renders to (a test renders an article with and without the memo and compares).

use super::{
    markup::{self, Reader, Rights},
    tree::Section,
};
use crate::comments::Comment;
use moka::sync::Cache;
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc, LazyLock,
};

/// Bytes of kept HTML (and of the keys naming it).
const BUDGET: u64 = 32 << 20;

/// Everything a thread's HTML is made of.
#[derive(PartialEq, Eq, Hash)]
struct Key {
    slug: String,
    thread: Comment,
    /// The reader's rights on each comment of the thread, in render order.
    rights: Vec<Rights>,
}

static KEPT: LazyLock<Cache<Key, Arc<str>>> = LazyLock::new(|| {
    Cache::builder()
        .max_capacity(BUDGET)
        .weigher(|key: &Key, html: &Arc<str>| {
            let size = html.len() + key.slug.len() + weight(&key.thread) + key.rights.len();
            u32::try_from(size).unwrap_or(u32::MAX)
        })
        .build()
});

static ON: AtomicBool = AtomicBool::new(true);

/// Turns the memo off or on, to compare pages rendered with and without it.
pub fn keep_threads(on: bool) {
    ON.store(on, Ordering::SeqCst);
}

fn weight(c: &Comment) -> usize {
    c.body_html.len() + c.source.as_ref().map_or(0, String::len) + 128 + c.replies.iter().map(weight).sum::<usize>()
}

fn rights_of(c: &Comment, s: &Section, out: &mut Vec<Rights>) {
    out.push(Rights::of(c, s.user.as_ref(), s.now));
    for r in &c.replies {
        rights_of(r, s, out);
    }
}

/// One thread's HTML, read from the memo or written and kept.
pub(super) fn thread(comment: Comment, s: &Section) -> String {
    let reader = Reader { slug: &s.slug, me: s.user.as_ref(), now: s.now };
    if !ON.load(Ordering::Relaxed) {
        return markup::thread(&comment, &reader);
    }
    let mut rights = Vec::new();
    rights_of(&comment, s, &mut rights);
    let key = Key { slug: s.slug.clone(), thread: comment, rights };
    match KEPT.get(&key) {
        Some(html) => html.to_string(),
        None => {
            let html = markup::thread(&key.thread, &reader);
            KEPT.insert(key, Arc::from(html.as_str()));
            html
        }
    }
}
