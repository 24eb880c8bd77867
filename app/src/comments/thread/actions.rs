//! What the comment list does in place, in the browser: like, reply and
//! "Show N more replies". The comments are HTML (`markup`), so their buttons
//! and forms are handled here, where the list catches their events; each is
//! a real link or form underneath and works the same without JavaScript.
//! Edit, delete and report are plain forms (the page is fetched in place).

use super::{
    markup::like_label,
    tree::{find_mut, place, posted, set_likes, Section},
};
use crate::comments::{more_replies, post_comment, toggle_like};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement};

/// The comment (`article.comment`) an element belongs to, by its id.
fn comment_id(el: &Element) -> Option<i64> {
    let article = el.closest("article.comment").ok()??;
    article.id().strip_prefix("comment-")?.parse().ok()
}

fn target(ev: &leptos::ev::Event) -> Option<Element> {
    ev.target()?.dyn_into::<Element>().ok()
}

/// Clicks in the list: a like, or "Show N more replies".
pub(super) fn click(s: Section) -> impl Fn(leptos::ev::MouseEvent) + 'static {
    move |ev| {
        let Some(el) = target(&ev) else { return };
        if let Some(button) = el.closest("button.comment__like").ok().flatten() {
            ev.prevent_default();
            if button.has_attribute("disabled") {
                return;
            }
            if let Some(id) = comment_id(&button) {
                like(s.clone(), id, button);
            }
        } else if let Some(link) = el.closest("a.comment__more-replies").ok().flatten() {
            let thread = link.get_attribute("data-thread").and_then(|v| v.parse().ok());
            let after = link.get_attribute("data-after").and_then(|v| v.parse().ok());
            if let (Some(thread), Some(after)) = (thread, after) {
                ev.prevent_default();
                load_replies(s.clone(), thread, after, link);
            }
        }
    }
}

fn like(s: Section, id: i64, button: Element) {
    button.set_attribute("disabled", "").ok();
    leptos::task::spawn_local(async move {
        match toggle_like(id).await {
            Ok((likes, liked)) => {
                set_likes(&s, id, likes, Some(liked));
                show_likes(id, likes, liked);
            }
            Err(err) => s.notice.set(err.to_string()),
        }
        button.remove_attribute("disabled").ok();
    });
}

/// Shows a comment's likes on its button, in place.
pub(super) fn show_likes(id: i64, likes: i64, liked: bool) {
    let selector = format!("#comment-{id} > .comment__actions .comment__like");
    let Ok(Some(button)) = document().query_selector(&selector) else { return };
    button.set_attribute("aria-pressed", if liked { "true" } else { "false" }).ok();
    if let Some(label) = button.last_child() {
        label.set_text_content(Some(&like_label(liked, likes)));
    }
}

fn load_replies(s: Section, thread_id: i64, after: i64, link: Element) {
    if link.get_attribute("aria-busy").is_some() {
        return;
    }
    let label = link.text_content();
    link.set_attribute("aria-busy", "true").ok();
    link.set_text_content(Some("Loading…"));
    leptos::task::spawn_local(async move {
        match more_replies(s.slug.clone(), thread_id, after).await {
            Ok(page) => s.threads.update(|threads| {
                for reply in page.replies {
                    place(threads, reply, s.sort);
                }
                if let Some(t) = find_mut(threads, thread_id) {
                    t.more_replies = page.more;
                }
            }),
            Err(err) => {
                s.notice.set(err.to_string());
                link.remove_attribute("aria-busy").ok();
                link.set_text_content(label.as_deref());
            }
        }
    });
}

/// Form submissions in the list: a reply is posted in place; other forms
/// (edit, delete, report) go on as forms.
pub(super) fn submit(s: Section) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    move |ev| {
        let Some(form) = target(&ev) else { return };
        let Ok(Some(parent)) = form.query_selector("input[name=parent_id]") else { return };
        let Some(parent_id) = parent.get_attribute("value").and_then(|v| v.parse::<i64>().ok()) else { return };
        let Some(area) =
            form.query_selector("textarea").ok().flatten().and_then(|a| a.dyn_into::<HtmlTextAreaElement>().ok())
        else {
            return;
        };
        ev.prevent_default();
        let Ok(Some(button)) = form.query_selector("button[type=submit]") else { return };
        if button.has_attribute("disabled") {
            return;
        }
        let error = form.query_selector(".field-error").ok().flatten();
        show_error(&area, error.as_ref(), None);
        button.set_attribute("disabled", "").ok();
        button.set_text_content(Some("Posting…"));
        let s = s.clone();
        leptos::task::spawn_local(async move {
            match post_comment(s.slug.clone(), area.value(), Some(parent_id)).await {
                Ok(reply) => {
                    area.set_value("");
                    if let Ok(Some(details)) = form.closest("details.comment__reply") {
                        details.remove_attribute("open").ok();
                    }
                    // The thread is drawn again with the reply in it, its form closed.
                    posted(&s, reply, s.sort);
                }
                Err(err) => show_error(&area, error.as_ref(), Some(&err.to_string())),
            }
            button.remove_attribute("disabled").ok();
            button.set_text_content(Some("Reply"));
        });
    }
}

fn show_error(area: &HtmlTextAreaElement, error: Option<&Element>, message: Option<&str>) {
    area.set_attribute("aria-invalid", if message.is_some() { "true" } else { "false" }).ok();
    if let Some(p) = error {
        p.set_text_content(message);
        if message.is_some() {
            p.remove_attribute("hidden").ok();
        } else {
            p.set_attribute("hidden", "").ok();
        }
    }
}
