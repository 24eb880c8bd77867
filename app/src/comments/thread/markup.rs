//! One comment with its actions and replies, written as HTML.
//!
//! The same function writes a thread for the server's page and, in the
//! browser, for a comment that arrives later (posted, live, "load more"). The
//! browser never hydrates a comment: each thread is one `inner_html`, and its
//! buttons and forms are handled where the section catches their events
//! (`actions`). Plain string writing instead of a view keeps the browser's
//! bundle small; every interpolated value goes through `html::escape`, except
//! `body_html`, which the server sanitised when the comment was written.

use crate::{
    auth::CurrentUser,
    comments::{
        delete_comment_url, edit_comment_url, Comment, CommentStatus, PostComment, ReportComment, ToggleLike,
        EDIT_WINDOW_SECS,
    },
    html::escape,
};
use leptos::server_fn::ServerFn;
use std::fmt::Write;

/// What the reader may do with one comment: all a comment's HTML depends on
/// besides the comment itself (which is what lets `kept` share it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Rights {
    signed_in: bool,
    edit: bool,
    delete: bool,
    report: bool,
    reply: bool,
}

impl Rights {
    pub(super) fn of(comment: &Comment, me: Option<&CurrentUser>, now: i64) -> Self {
        let mine = me.is_some_and(|u| comment.author.as_deref() == Some(u.username.as_str()));
        let moderator = me.is_some_and(|u| u.role.moderates());
        let live = matches!(comment.status, CommentStatus::Visible | CommentStatus::Held);
        Rights {
            signed_in: me.is_some(),
            edit: live && (moderator || (mine && now - comment.created_unix <= EDIT_WINDOW_SECS)),
            delete: live && (mine || moderator),
            report: live && me.is_some() && !mine,
            reply: comment.status == CommentStatus::Visible && me.is_some(),
        }
    }
}

/// Who reads the thread, and where: what its HTML depends on besides the comments.
pub(super) struct Reader<'a> {
    pub slug: &'a str,
    pub me: Option<&'a CurrentUser>,
    pub now: i64,
}

/// A thread (a comment and its replies) as HTML.
pub(super) fn thread(comment: &Comment, reader: &Reader) -> String {
    let mut out = String::with_capacity(1024);
    write_comment(&mut out, comment, reader);
    out
}

/// The text a reply form shows for guidance.
const PLACEHOLDER: &str = "Be kind. Markdown works: *emphasis*, [links](https://…), > quotes.";

fn write_comment(out: &mut String, c: &Comment, reader: &Reader) {
    let id = c.id;
    let Rights { signed_in, edit, delete, report, reply } = Rights::of(c, reader.me, reader.now);
    let _ = write!(
        out,
        r#"<article class="comment" id="comment-{id}" data-depth="{}"><header class="comment__meta">"#,
        c.depth
    );
    match &c.author {
        Some(a) => {
            let a = escape(a);
            let _ = write!(out, r#"<a class="comment__author" href="/u/{a}">{a}</a>"#);
        }
        None => out.push_str(r#"<span class="comment__author">[deleted]</span>"#),
    }
    if let Some(r) = &c.reply_to {
        let _ = write!(out, r#"<span class="comment__reply-to"> replying to @{}</span>"#, escape(r));
    }
    // The comment's permalink: the article opened at it, from anywhere.
    let _ = write!(
        out,
        r#" · <a class="comment__permalink" href="/comments/{id}" rel="external" title="Link to this comment"><time datetime="{}">{}</time></a>"#,
        escape(&c.created.iso),
        escape(&c.created.display)
    );
    if c.edited {
        out.push_str(r#"<span class="comment__edited"> · edited</span>"#);
    }
    out.push_str("</header>");
    match c.status {
        CommentStatus::Deleted => out.push_str(r#"<p class="comment__gone">[deleted]</p>"#),
        status => {
            let note = match status {
                CommentStatus::Held => Some("Waiting for a moderator: only you can see this for now."),
                CommentStatus::Hidden => Some("Hidden by a moderator."),
                _ => None,
            };
            if let Some(n) = note {
                let _ = write!(out, r#"<p class="comment__note">{n}</p>"#);
            }
            let _ = write!(out, r#"<div class="comment__body">{}</div>"#, c.body_html);
        }
    }
    out.push_str(r#"<footer class="comment__actions">"#);
    if c.status == CommentStatus::Visible {
        let (title, disabled) =
            if signed_in { ("Like this comment", "") } else { ("Log in to like comments", " disabled") };
        let _ = write!(
            out,
            r#"<form method="post" action="{}" class="inline-form"><input type="hidden" name="id" value="{id}"><button type="submit" class="comment__like ghost" aria-pressed="{}"{disabled} title="{title}"><span aria-hidden="true">♥ </span>{}</button></form>"#,
            ToggleLike::PATH,
            c.liked,
            like_label(c.liked, c.likes),
        );
    }
    if reply {
        let _ = write!(
            out,
            r#"<details class="comment__reply"><summary>Reply</summary><form method="post" action="{}" class="comment-form"><input type="hidden" name="slug" value="{}"><input type="hidden" name="parent_id" value="{id}"><label for="reply-{id}">Your reply</label><textarea id="reply-{id}" name="body" rows="3" maxlength="5000" required aria-invalid="false" placeholder="{}"></textarea><p class="field-error" role="alert" hidden></p><button type="submit">Reply</button></form></details>"#,
            PostComment::PATH,
            escape(reader.slug),
            escape(PLACEHOLDER),
        );
    }
    if edit {
        let source = c.source.clone().unwrap_or_else(|| html_to_text(&c.body_html));
        let _ = write!(
            out,
            r#"<details class="comment__edit"><summary>Edit</summary><form method="post" action="{}" class="comment-form"><input type="hidden" name="id" value="{id}"><label for="edit-{id}">Edit your comment</label><textarea id="edit-{id}" name="body" rows="3" maxlength="5000" required>{}</textarea><button type="submit">Save</button></form></details>"#,
            edit_comment_url(),
            escape(&source),
        );
    }
    if delete {
        let _ = write!(
            out,
            r#"<form method="post" action="{}" class="inline-form"><input type="hidden" name="id" value="{id}"><button type="submit" class="ghost comment__delete">Delete</button></form>"#,
            delete_comment_url(),
        );
    }
    if report {
        let _ = write!(
            out,
            r#"<details class="comment__report"><summary>Report</summary><form method="post" action="{}" class="comment-form"><input type="hidden" name="id" value="{id}"><label for="report-{id}">What is wrong with this comment?</label><input id="report-{id}" name="reason" maxlength="500" required><button type="submit">Send report</button></form></details>"#,
            ReportComment::PATH,
        );
    }
    out.push_str("</footer>");
    if !c.replies.is_empty() {
        let count = c.replies.iter().map(Comment::count).sum::<usize>();
        let _ = write!(out, r#"<details class="comment__replies" open><summary>Replies ({count})</summary><ol>"#);
        for r in &c.replies {
            out.push_str("<li>");
            write_comment(out, r, reader);
            out.push_str("</li>");
        }
        out.push_str("</ol></details>");
    }
    if c.more_replies > 0 {
        let after = last_id(&c.replies).unwrap_or(id);
        let more = c.more_replies;
        let label = if more == 1 { "Show 1 more reply".to_owned() } else { format!("Show {more} more replies") };
        // Without JavaScript, the link opens the thread's next page; with it,
        // the section fetches the replies and puts them in place.
        let _ = write!(
            out,
            r#"<a class="button button--ghost comment__more-replies" href="/articles/{}?thread={id}&amp;after={after}#comment-{id}" data-thread="{id}" data-after="{after}">{label}</a>"#,
            escape(reader.slug),
        );
    }
    out.push_str("</article>");
}

/// What a like button says.
pub(super) fn like_label(liked: bool, likes: i64) -> String {
    format!("{} · {likes}", if liked { "Liked" } else { "Like" })
}

/// The newest reply id in a tree of replies.
pub(super) fn last_id(replies: &[Comment]) -> Option<i64> {
    replies.iter().flat_map(|r| std::iter::once(r.id).chain(last_id(&r.replies))).max()
}

/// The visible text of rendered comment HTML, to prefill the edit box.
fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.replace("</p>", "\n\n").replace("<br>", "\n").chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{articles::Stamp, auth::Role};

    const NOW: i64 = 1_795_000_000;

    fn comment(id: i64, author: &str, replies: Vec<Comment>) -> Comment {
        Comment {
            id,
            parent_id: None,
            thread_id: id,
            depth: 1,
            author: Some(author.into()),
            reply_to: None,
            body_html: "<p>Those <em>last</em> ten minutes.</p>".into(),
            created: Stamp { iso: "2026-11-26T10:00:00Z".into(), display: "November 26, 2026".into() },
            created_unix: NOW - 60,
            edited: false,
            likes: 3,
            status: CommentStatus::Visible,
            liked: false,
            replies,
            more_replies: 0,
            source: None,
        }
    }

    fn user(name: &str, role: Role) -> CurrentUser {
        CurrentUser {
            id: 9,
            username: name.into(),
            role,
            banned: false,
            verified: true,
            joined: Stamp { iso: "2026-01-01T00:00:00Z".into(), display: "January 1, 2026".into() },
            joined_unix: 0,
            unread: 0,
        }
    }

    fn html(c: &Comment, me: Option<&CurrentUser>) -> String {
        thread(c, &Reader { slug: "tideline-finale", me, now: NOW })
    }

    #[test]
    fn names_are_escaped_and_the_sanitised_body_is_written_as_it_is() {
        let mut c = comment(4, "<b>mina</b>", vec![]);
        c.reply_to = Some("\"jun\"".into());
        let out = html(&c, None);
        assert!(out.contains(r#"href="/u/&lt;b&gt;mina&lt;/b&gt;">&lt;b&gt;mina&lt;/b&gt;</a>"#), "{out}");
        assert!(out.contains("replying to @&quot;jun&quot;"), "{out}");
        assert!(out.contains(r#"<div class="comment__body"><p>Those <em>last</em> ten minutes.</p></div>"#));
        assert!(!out.contains("<b>"));
    }

    #[test]
    fn a_guest_sees_a_like_button_they_cannot_press_and_no_other_action() {
        let out = html(&comment(4, "mina", vec![]), None);
        assert!(out.contains(r#"aria-pressed="false" disabled title="Log in to like comments""#), "{out}");
        assert!(out.contains("Like · 3"));
        for action in ["comment__reply", "comment__edit", "comment__delete", "comment__report"] {
            assert!(!out.contains(action), "{action} in {out}");
        }
    }

    #[test]
    fn what_a_reader_may_do_follows_whose_comment_it_is_and_their_role() {
        let c = comment(4, "mina", vec![]);
        let author = html(&c, Some(&user("mina", Role::Reader)));
        assert!(
            author.contains("comment__edit") && author.contains("comment__delete") && author.contains("comment__reply")
        );
        assert!(!author.contains("comment__report"));

        let other = html(&c, Some(&user("jun", Role::Reader)));
        assert!(other.contains("comment__report") && other.contains("comment__reply"));
        assert!(!other.contains("comment__edit") && !other.contains("comment__delete"));
        assert!(other.contains(r#"<input type="hidden" name="parent_id" value="4">"#));

        let moderator = html(&c, Some(&user("kim", Role::Moderator)));
        assert!(moderator.contains("comment__edit") && moderator.contains("comment__delete"));

        let mut old = c.clone();
        old.created_unix = NOW - EDIT_WINDOW_SECS - 1;
        let late = html(&old, Some(&user("mina", Role::Reader)));
        assert!(!late.contains("comment__edit") && late.contains("comment__delete"), "the edit window has closed");
    }

    #[test]
    fn a_deleted_comment_keeps_its_replies_but_shows_no_words_and_no_actions() {
        let mut c = comment(4, "mina", vec![comment(5, "jun", vec![])]);
        c.status = CommentStatus::Deleted;
        c.author = None;
        c.body_html.clear();
        let out = html(&c, Some(&user("jun", Role::Reader)));
        let (own, replies) = out.split_once(r#"<details class="comment__replies" open>"#).unwrap();
        assert!(own.contains(r#"<p class="comment__gone">[deleted]</p>"#) && !own.contains("comment__body"));
        assert!(!own.contains("<form"), "{own}");
        assert!(replies.contains("Replies (1)") && replies.contains(r#"id="comment-5""#));
    }

    #[test]
    fn more_replies_link_to_the_threads_next_page_and_name_where_it_starts() {
        let mut c =
            comment(4, "mina", vec![comment(7, "jun", vec![comment(9, "mina", vec![])]), comment(8, "jun", vec![])]);
        c.more_replies = 5;
        let out = html(&c, None);
        assert!(out.contains(
            r#"href="/articles/tideline-finale?thread=4&amp;after=9#comment-4" data-thread="4" data-after="9">Show 5 more replies</a>"#
        ), "{out}");
        c.more_replies = 1;
        assert!(html(&c, None).contains(">Show 1 more reply</a>"));
    }

    #[test]
    fn the_edit_box_holds_the_markdown_or_else_the_text_of_the_html() {
        let mut c = comment(4, "mina", vec![]);
        let me = user("mina", Role::Reader);
        assert!(html(&c, Some(&me)).contains(">Those last ten minutes.</textarea>"));
        c.source = Some("Those *last* <ten> minutes".into());
        assert!(html(&c, Some(&me)).contains(">Those *last* &lt;ten&gt; minutes</textarea>"));
    }
}
