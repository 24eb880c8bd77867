//! Threads as HTML, kept between renders (server only).
//!
//! A signed-in reader's page is rendered for them, but most of its threads
//! look the same to every reader: what a thread shows depends only on its
//! comments and on what this reader may do with each of them (`Rights`). So a
//! thread's HTML is kept under exactly those inputs and written into the next
//! page that shows the same thread to a reader with the same rights. It is a
//! memo of a pure function, so nothing ever needs to be dropped when a comment
//! changes: a changed thread is a different key, and old keys age out (the
//! memo is bounded in bytes). The browser hydrates the same HTML as ever: the
//! kept copy is byte for byte what the thread renders to (a test renders an
//! article with and without the memo and compares).

use super::{
    item::{CommentItem, Rights},
    tree::Section,
};
use crate::comments::Comment;
use leptos::{prelude::*, tachys::html::InertElement};
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

/// One thread, its HTML read from the memo or rendered and kept.
pub(super) fn thread(comment: Comment) -> AnyView {
    let s = expect_context::<Section>();
    if !ON.load(Ordering::Relaxed) {
        return view! { <CommentItem comment /> }.into_any();
    }
    let mut rights = Vec::new();
    rights_of(&comment, &s, &mut rights);
    let key = Key { slug: s.slug.clone(), thread: comment, rights };
    let html = match KEPT.get(&key) {
        Some(html) => html,
        None => {
            let html: Arc<str> = view! { <CommentItem comment=key.thread.clone() /> }.to_html().into();
            KEPT.insert(key, html.clone());
            html
        }
    };
    InertElement::new(html.to_string()).into_any()
}
