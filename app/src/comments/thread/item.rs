//! One comment with its actions (like, reply, edit, delete, report) and its replies.

use super::{
    form::CommentForm,
    more::MoreReplies,
    tree::{find_mut, last_id, Section},
};
use crate::{
    auth::CurrentUser,
    comments::{
        delete_comment_url, edit_comment_url, toggle_like, Comment, CommentStatus, ReportComment, ToggleLike,
        EDIT_WINDOW_SECS,
    },
};
use leptos::{either::Either, html, prelude::*, server_fn::ServerFn};

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

#[component]
pub(super) fn CommentItem(comment: Comment) -> impl IntoView {
    let s = expect_context::<Section>();
    let id = comment.id;
    let Rights { signed_in, edit: can_edit, delete: can_delete, report: can_report, reply: can_reply } =
        Rights::of(&comment, s.user.as_ref(), s.now);
    let replies = comment.replies.clone();
    let reply_count = comment.replies.iter().map(Comment::count).sum::<usize>();
    let last_reply = last_id(&comment.replies).unwrap_or(id);
    let details = NodeRef::<html::Details>::new();
    let close = Callback::new(move |_| {
        if let Some(d) = details.get_untracked() {
            d.set_open(false);
        }
    });

    let liked = comment.liked;
    let s_like = s.clone();
    let like = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let s = s_like.clone();
        leptos::task::spawn_local(async move {
            match toggle_like(id).await {
                Ok((likes, liked)) => s.threads.update(|t| {
                    if let Some(c) = find_mut(t, id) {
                        c.likes = likes;
                        c.liked = liked;
                    }
                }),
                Err(err) => s.notice.set(err.to_string()),
            }
        });
    };

    let body = match comment.status.as_str() {
        "deleted" => Either::Left(view! { <p class="comment__gone">"[deleted]"</p> }),
        status => {
            let note = match status {
                "held" => Some("Waiting for a moderator: only you can see this for now."),
                "hidden" => Some("Hidden by a moderator."),
                _ => None,
            };
            Either::Right(view! {
                {note.map(|n| view! { <p class="comment__note">{n}</p> })}
                <div class="comment__body" inner_html=comment.body_html.clone()></div>
            })
        }
    };
    view! {
        <article class="comment" id=format!("comment-{id}") data-depth=comment.depth>
            <header class="comment__meta">
                {match comment.author.clone() {
                    Some(a) => Either::Left(view! { <a class="comment__author" href=format!("/u/{a}")>{a.clone()}</a> }),
                    None => Either::Right(view! { <span class="comment__author">"[deleted]"</span> }),
                }}
                {comment.reply_to.clone().map(|r| view! { <span class="comment__reply-to">" replying to @" {r}</span> })}
                " · "
                // The comment's permalink: the article opened at it, from anywhere.
                <a class="comment__permalink" href=format!("/comments/{id}") rel="external" title="Link to this comment">
                    <time datetime=comment.created.iso.clone()>{comment.created.display.clone()}</time>
                </a>
                {comment.edited.then(|| view! { <span class="comment__edited">" · edited"</span> })}
            </header>
            {body}
            <footer class="comment__actions">
                {(comment.status == CommentStatus::Visible)
                    .then(|| {
                        let label = format!("{} · {}", if liked { "Liked" } else { "Like" }, comment.likes);
                        view! {
                            <form method="post" action=ToggleLike::PATH class="inline-form">
                                <input type="hidden" name="id" value=id />
                                <button
                                    type="submit"
                                    class="comment__like ghost"
                                    aria-pressed=liked.to_string()
                                    disabled=!signed_in
                                    title=if signed_in { "Like this comment" } else { "Log in to like comments" }
                                    on:click=like
                                >
                                    <span aria-hidden="true">"♥ "</span>
                                    {label}
                                </button>
                            </form>
                        }
                    })}
                {can_reply
                    .then(|| {
                        view! {
                            <details class="comment__reply" node_ref=details>
                                <summary>"Reply"</summary>
                                <CommentForm parent_id=Some(id) on_done=close />
                            </details>
                        }
                    })}
                {can_edit
                    .then(|| {
                        view! {
                            <details class="comment__edit">
                                <summary>"Edit"</summary>
                                <form method="post" action=edit_comment_url() class="comment-form">
                                    <input type="hidden" name="id" value=id />
                                    <label for=format!("edit-{id}")>"Edit your comment"</label>
                                    <textarea id=format!("edit-{id}") name="body" rows=3 maxlength=5000 required=true>
                                        {comment.source.clone().unwrap_or_else(|| html_to_text(&comment.body_html))}
                                    </textarea>
                                    <button type="submit">"Save"</button>
                                </form>
                            </details>
                        }
                    })}
                {can_delete
                    .then(|| {
                        view! {
                            <form method="post" action=delete_comment_url() class="inline-form">
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="ghost comment__delete">"Delete"</button>
                            </form>
                        }
                    })}
                {can_report
                    .then(|| {
                        view! {
                            <details class="comment__report">
                                <summary>"Report"</summary>
                                <form method="post" action=ReportComment::PATH class="comment-form">
                                    <input type="hidden" name="id" value=id />
                                    <label for=format!("report-{id}")>"What is wrong with this comment?"</label>
                                    <input id=format!("report-{id}") name="reason" maxlength=500 required=true />
                                    <button type="submit">"Send report"</button>
                                </form>
                            </details>
                        }
                    })}
            </footer>
            {(!replies.is_empty())
                .then(|| {
                    view! {
                        <details class="comment__replies" open=true>
                            <summary>{format!("Replies ({reply_count})")}</summary>
                            <ol>
                                {replies
                                    .into_iter()
                                    .map(|r| view! { <li><CommentItem comment=r /></li> })
                                    .collect_view()}
                            </ol>
                        </details>
                    }
                })}
            {(comment.more_replies > 0).then(|| view! { <MoreReplies thread_id=id more=comment.more_replies after=last_reply /> })}
        </article>
    }
    .into_any()
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
