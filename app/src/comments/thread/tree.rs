//! The section's state: the threads on the page and the operations that
//! change them, shared by the components, the live updates and the forms.

use crate::{
    auth::CurrentUser,
    comments::{Comment, Sort},
};
use leptos::prelude::*;
use std::collections::HashSet;

/// Shared by every comment in the section.
#[derive(Clone)]
pub(super) struct Section {
    pub slug: String,
    pub user: Option<CurrentUser>,
    pub now: i64,
    pub sort: Sort,
    pub threads: RwSignal<Vec<Comment>>,
    pub pending: RwSignal<Vec<Comment>>,
    pub total: RwSignal<i64>,
    /// Ids this page posted itself: their live echo is skipped.
    pub own: StoredValue<HashSet<i64>>,
    pub notice: RwSignal<String>,
}

pub(super) fn find_mut(threads: &mut [Comment], id: i64) -> Option<&mut Comment> {
    threads.iter_mut().find_map(|t| t.find_mut(id))
}

pub(super) fn contains(threads: &[Comment], id: i64) -> bool {
    threads.iter().any(|t| t.id == id || contains(&t.replies, id))
}

pub(super) fn remove(threads: &mut Vec<Comment>, id: i64) -> bool {
    if let Some(i) = threads.iter().position(|t| t.id == id) {
        threads.remove(i);
        return true;
    }
    threads.iter_mut().any(|t| remove(&mut t.replies, id))
}

/// Puts a comment where it belongs: a reply under its parent, a top-level one first or last.
pub(super) fn place(threads: &mut Vec<Comment>, comment: Comment, sort: Sort) {
    if contains(threads, comment.id) {
        return;
    }
    match comment.parent_id {
        Some(parent) => {
            // A parent not on this page (an earlier page of replies): hang it under its thread.
            let target = if contains(threads, parent) { parent } else { comment.thread_id };
            if let Some(p) = find_mut(threads, target) {
                p.replies.push(comment);
            }
        }
        None if sort == Sort::Oldest => threads.push(comment),
        None => threads.insert(0, comment),
    }
}

/// What the page does with a comment it has just posted: remembers it as its
/// own (its live echo is skipped), and either says it waits for a moderator or
/// counts it and puts it in place (`sort` decides where a top-level one goes).
pub(super) fn posted(s: &Section, posted: crate::comments::Posted, sort: Sort) {
    let comment = posted.comment;
    s.own.update_value(|own| {
        own.insert(comment.id);
    });
    if posted.held {
        s.notice.set("Thanks! Your comment will appear once a moderator has looked at it.".into());
    } else {
        s.total.update(|t| *t += 1);
        s.notice.set(String::new());
        s.threads.update(|t| place(t, comment, sort));
    }
}

/// Records a comment's likes (and the reader's own like, when known) without
/// drawing its thread again; the page shows them with `actions::show_likes`.
/// The reader's own like, or `None` for a comment not on the page.
pub(super) fn set_likes(s: &Section, id: i64, likes: i64, liked: Option<bool>) -> Option<bool> {
    let mut mine = None;
    s.threads.update_untracked(|t| {
        if let Some(c) = find_mut(t, id) {
            c.likes = likes;
            if let Some(liked) = liked {
                c.liked = liked;
            }
            mine = Some(c.liked);
        }
    });
    mine
}
