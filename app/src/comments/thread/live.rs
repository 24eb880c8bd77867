//! Other readers' changes, applied to the section as they arrive.

use super::tree::{contains, find_mut, place, remove, set_likes, Section};
use crate::{
    comments::{list_comments, CommentStatus},
    live::{LiveFeed, LiveMessage},
};
use leptos::prelude::*;

/// Applies other readers' changes as they arrive.
pub(super) fn follow_live(s: Section) {
    let Some(feed) = use_context::<LiveFeed>() else { return };
    let seen = StoredValue::new(feed.events.with_untracked(Vec::len));
    Effect::new(move |_| {
        feed.events.with(|events| {
            for event in events.iter().skip(seen.get_value()) {
                if let Some(message) = event.message() {
                    apply(&s, message);
                }
            }
            seen.set_value(events.len());
        });
    });
}

fn apply(s: &Section, message: LiveMessage) {
    match message {
        LiveMessage::CommentCreated(comment) => {
            if s.own.with_value(|own| own.contains(&comment.id)) || comment.status != CommentStatus::Visible {
                return;
            }
            s.total.update(|t| *t += 1);
            if comment.parent_id.is_none() {
                let known = s.threads.with_untracked(|t| contains(t, comment.id));
                if !known {
                    s.pending.update(|p| {
                        if !p.iter().any(|c| c.id == comment.id) {
                            p.insert(0, comment)
                        }
                    });
                }
            } else {
                s.threads.update(|t| place(t, comment, s.sort));
            }
        }
        LiveMessage::CommentUpdated(comment) => {
            s.threads.update(|t| {
                if let Some(c) = find_mut(t, comment.id) {
                    c.body_html = comment.body_html;
                    c.edited = comment.edited;
                    c.status = comment.status;
                }
            });
        }
        LiveMessage::CommentDeleted(gone) => {
            s.pending.update(|p| p.retain(|c| c.id != gone.id));
            let mut found = false;
            s.threads.update(|t| {
                if gone.has_replies {
                    if let Some(c) = find_mut(t, gone.id) {
                        c.status = CommentStatus::Deleted;
                        c.author = None;
                        c.body_html.clear();
                        c.source = None;
                        found = true;
                    }
                } else {
                    found = remove(t, gone.id);
                }
            });
            if found {
                s.total.update(|t| *t = (*t - 1).max(0));
            }
        }
        LiveMessage::CommentLiked(liked) => {
            if let Some(mine) = set_likes(s, liked.id, liked.likes, None) {
                super::actions::show_likes(liked.id, liked.likes, mine);
            }
        }
        // The server's log no longer reaches back to what this page shows: reload the threads.
        LiveMessage::Reset => {
            let s = s.clone();
            leptos::task::spawn_local(async move {
                if let Ok(page) = list_comments(s.slug.clone(), Some(s.sort.as_str().to_owned()), None).await {
                    s.pending.set(Vec::new());
                    s.total.set(page.total);
                    s.threads.set(page.threads);
                }
            });
        }
        LiveMessage::ReactionsUpdated(_) => {}
    }
}
