//! The comment section on the page. Every action is a real form (it works
//! without JavaScript); with it, posting, replying and liking happen in place
//! and other readers' changes arrive live. New top-level comments wait behind
//! a "Show N new comments" button so the text being read never jumps.

use super::{
    delete_comment_url, edit_comment_url, list_comments, post_comment, toggle_like, Comment, CommentPage, PostComment,
    ReportComment, Sort, ToggleLike, EDIT_WINDOW_SECS,
};
use crate::{auth::CurrentUser, auth::FormFlash, live::LiveFeed};
use leptos::{html, prelude::*, server_fn::ServerFn};
use std::collections::HashSet;

/// Shared by every comment in the section.
#[derive(Clone)]
struct Section {
    slug: String,
    user: Option<CurrentUser>,
    now: i64,
    sort: Sort,
    threads: RwSignal<Vec<Comment>>,
    pending: RwSignal<Vec<Comment>>,
    total: RwSignal<i64>,
    /// Ids this page posted itself: their live echo is skipped.
    own: StoredValue<HashSet<i64>>,
    notice: RwSignal<String>,
}

fn find_mut(threads: &mut [Comment], id: i64) -> Option<&mut Comment> {
    threads.iter_mut().find_map(|t| t.find_mut(id))
}

fn contains(threads: &[Comment], id: i64) -> bool {
    threads.iter().any(|t| t.id == id || contains(&t.replies, id))
}

fn remove(threads: &mut Vec<Comment>, id: i64) -> bool {
    if let Some(i) = threads.iter().position(|t| t.id == id) {
        threads.remove(i);
        return true;
    }
    threads.iter_mut().any(|t| remove(&mut t.replies, id))
}

/// Puts a comment where it belongs: a reply under its parent, a top-level one first or last.
fn place(threads: &mut Vec<Comment>, comment: Comment, sort: Sort) {
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

#[component]
pub fn CommentsSection(slug: String, page: CommentPage, user: Option<CurrentUser>, flash: FormFlash) -> impl IntoView {
    let CommentPage { threads, next_cursor, sort, total, now, thread } = page;
    let section = Section {
        slug: slug.clone(),
        user: user.clone(),
        now,
        sort,
        threads: RwSignal::new(threads),
        pending: RwSignal::new(Vec::new()),
        total: RwSignal::new(total),
        own: StoredValue::new(HashSet::new()),
        notice: RwSignal::new(String::new()),
    };
    let cursor = RwSignal::new(next_cursor);
    follow_live(section.clone());
    provide_context(section.clone());

    let s = section.clone();
    let show_new = move |_| {
        let mut fresh = s.pending.get_untracked();
        s.pending.set(Vec::new());
        s.threads.update(|threads| {
            fresh.reverse();
            for c in fresh {
                place(threads, c, s.sort);
            }
        });
    };
    let s = section.clone();
    let loading = RwSignal::new(false);
    let load_more = move |ev: leptos::ev::MouseEvent| {
        let Some(next) = cursor.get_untracked() else { return };
        ev.prevent_default();
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        let s = s.clone();
        leptos::task::spawn_local(async move {
            match list_comments(s.slug.clone(), Some(s.sort.as_str().to_owned()), Some(next)).await {
                Ok(more) => {
                    s.threads.update(|threads| {
                        for t in more.threads {
                            if !contains(threads, t.id) {
                                threads.push(t);
                            }
                        }
                    });
                    cursor.set(more.next_cursor);
                }
                Err(err) => s.notice.set(err.to_string()),
            }
            loading.set(false);
        });
    };
    let sort_link = move |to: Sort, label: &'static str| {
        let href = format!("/articles/{}?sort={}#comments", slug, to.as_str());
        view! {
            <a href=href aria-current=move || (sort == to).then_some("true") class="comments__sort-link">{label}</a>
        }
    };
    let s = section.clone();
    let base = format!("/articles/{}?sort={}", section.slug, sort.as_str());
    view! {
        <section class="comments" id="comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading">
                "Comments " <span class="comments__count">{move || format!("({})", s.total.get())}</span>
            </h2>
            <nav class="comments__sort" aria-label="Sort comments">
                {sort_link(Sort::Newest, "Newest")}
                {sort_link(Sort::Oldest, "Oldest")}
                {sort_link(Sort::Top, "Top")}
            </nav>
            {match user {
                Some(_) => view! { <CommentForm parent_id=None flash=flash.clone() /> }.into_any(),
                None => view! { <crate::components::join_prompt::JoinPrompt slug=section.slug.clone() /> }.into_any(),
            }}
            <p class="comments__notice" role="status" aria-live="polite">{move || section.notice.get()}</p>
            <div class="comments__new" aria-live="polite">
                {move || {
                    let n = section.pending.with(Vec::len);
                    (n > 0)
                        .then(|| {
                            let label = if n == 1 { "Show 1 new comment".to_owned() } else { format!("Show {n} new comments") };
                            view! { <button type="button" class="comments__show-new" on:click=show_new>{label}</button> }
                        })
                }}
            </div>
            {thread
                .map(|_| {
                    view! {
                        <p class="comments__thread-view">
                            <a href=format!("/articles/{}#comments", section.slug)>"← All comments"</a>
                        </p>
                    }
                })}
            <ol class="comments__list">
                <For
                    each=move || section.threads.get()
                    key=|c| (c.id, c.version())
                    children=move |comment| view! { <li><CommentItem comment /></li> }
                />
            </ol>
            {move || {
                cursor
                    .get()
                    .map(|c| {
                        view! {
                            <a class="button button--ghost comments__more" href=format!("{base}&cursor={c}#comments") on:click=load_more.clone()>
                                {move || if loading.get() { "Loading…" } else { "Load more comments" }}
                            </a>
                        }
                    })
            }}
        </section>
    }
}

/// Applies other readers' changes as they arrive.
fn follow_live(s: Section) {
    let Some(feed) = use_context::<LiveFeed>() else { return };
    let seen = StoredValue::new(feed.events.with_untracked(Vec::len));
    Effect::new(move |_| {
        feed.events.with(|events| {
            for event in events.iter().skip(seen.get_value()) {
                apply(&s, &event.kind, &event.data);
            }
            seen.set_value(events.len());
        });
    });
}

fn apply(s: &Section, kind: &str, data: &str) {
    #[derive(serde::Deserialize)]
    struct Removed {
        id: i64,
        has_replies: bool,
    }
    #[derive(serde::Deserialize)]
    struct Liked {
        id: i64,
        likes: i64,
    }
    match kind {
        "comment.created" => {
            let Ok(comment) = serde_json::from_str::<Comment>(data) else { return };
            if s.own.with_value(|own| own.contains(&comment.id)) || comment.status != "visible" {
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
        "comment.updated" => {
            let Ok(comment) = serde_json::from_str::<Comment>(data) else { return };
            s.threads.update(|t| {
                if let Some(c) = find_mut(t, comment.id) {
                    c.body_html = comment.body_html;
                    c.edited = comment.edited;
                    c.status = comment.status;
                }
            });
        }
        "comment.deleted" => {
            let Ok(gone) = serde_json::from_str::<Removed>(data) else { return };
            s.pending.update(|p| p.retain(|c| c.id != gone.id));
            let mut found = false;
            s.threads.update(|t| {
                if gone.has_replies {
                    if let Some(c) = find_mut(t, gone.id) {
                        c.status = "deleted".into();
                        c.author = None;
                        c.body_html.clear();
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
        // The server's log no longer reaches back to what this page shows: reload the threads.
        "reset" => {
            let s = s.clone();
            leptos::task::spawn_local(async move {
                if let Ok(page) = list_comments(s.slug.clone(), Some(s.sort.as_str().to_owned()), None).await {
                    s.pending.set(Vec::new());
                    s.total.set(page.total);
                    s.threads.set(page.threads);
                }
            });
        }
        "comment.liked" => {
            let Ok(liked) = serde_json::from_str::<Liked>(data) else { return };
            s.threads.update(|t| {
                if let Some(c) = find_mut(t, liked.id) {
                    c.likes = liked.likes;
                }
            });
        }
        _ => {}
    }
}

/// The form for a new comment (`parent_id = None`) or a reply.
#[component]
fn CommentForm(
    parent_id: Option<i64>,
    #[prop(optional)] flash: FormFlash,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let s = expect_context::<Section>();
    let text = NodeRef::<html::Textarea>::new();
    let error = RwSignal::new(flash.error.as_ref().filter(|_| parent_id.is_none()).map(|e| e.to_string()));
    let busy = RwSignal::new(false);
    let field_id = match parent_id {
        Some(p) => format!("reply-{p}"),
        None => "comment-body".to_owned(),
    };
    let form_id = if parent_id.is_none() { Some("comment-form") } else { None };
    let s2 = s.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(area) = text.get_untracked() else { return };
        let body = area.value();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let s = s2.clone();
        leptos::task::spawn_local(async move {
            match post_comment(s.slug.clone(), body, parent_id).await {
                Ok(posted) => {
                    area.set_value("");
                    let comment = posted.comment;
                    s.own.update_value(|own| {
                        own.insert(comment.id);
                    });
                    if posted.held {
                        s.notice.set("Thanks! Your comment will appear once a moderator has looked at it.".into());
                    } else {
                        s.total.update(|t| *t += 1);
                        let id = comment.id;
                        s.threads
                            .update(|t| place(t, comment, if parent_id.is_none() { Sort::Newest } else { s.sort }));
                        s.notice.set(String::new());
                        let _ = id;
                    }
                    if let Some(done) = on_done {
                        done.run(());
                    }
                }
                Err(err) => error.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    };
    let label = if parent_id.is_some() { "Your reply" } else { "Join the conversation" };
    view! {
        <form method="post" action=PostComment::PATH class="comment-form" id=form_id on:submit=submit>
            <input type="hidden" name="slug" value=s.slug.clone() />
            {parent_id.map(|p| view! { <input type="hidden" name="parent_id" value=p /> })}
            <label for=field_id.clone()>{label}</label>
            <textarea
                id=field_id
                name="body"
                rows=if parent_id.is_some() { 3 } else { 4 }
                maxlength=5000
                required=true
                node_ref=text
                aria-invalid=move || error.get().is_some().to_string()
                placeholder="Be kind. Markdown works: *emphasis*, [links](https://…), > quotes."
            >
                {flash.value("body")}
            </textarea>
            <p class="field-error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</p>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Posting…" } else if parent_id.is_some() { "Reply" } else { "Post comment" }}
            </button>
        </form>
    }
}

#[component]
fn CommentItem(comment: Comment) -> impl IntoView {
    let s = expect_context::<Section>();
    let id = comment.id;
    let me = s.user.clone();
    let mine = me.as_ref().is_some_and(|u| comment.author.as_deref() == Some(u.username.as_str()));
    let moderator = me.as_ref().is_some_and(|u| u.role.moderates());
    let live = comment.status == "visible" || comment.status == "held";
    let can_edit = live && (moderator || (mine && s.now - comment.created_unix <= EDIT_WINDOW_SECS));
    let can_delete = live && (mine || moderator);
    let can_report = live && me.is_some() && !mine;
    let can_reply = comment.status == "visible" && me.is_some();
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
        "deleted" => view! { <p class="comment__gone">"[deleted]"</p> }.into_any(),
        status => {
            let note = match status {
                "held" => Some("Waiting for a moderator: only you can see this for now."),
                "hidden" => Some("Hidden by a moderator."),
                _ => None,
            };
            view! {
                {note.map(|n| view! { <p class="comment__note">{n}</p> })}
                <div class="comment__body" inner_html=comment.body_html.clone()></div>
            }
            .into_any()
        }
    };
    view! {
        <article class="comment" id=format!("comment-{id}") data-depth=comment.depth>
            <header class="comment__meta">
                {match comment.author.clone() {
                    Some(a) => view! { <a class="comment__author" href=format!("/u/{a}")>{a.clone()}</a> }.into_any(),
                    None => view! { <span class="comment__author">"[deleted]"</span> }.into_any(),
                }}
                {comment.reply_to.clone().map(|r| view! { <span class="comment__reply-to">" replying to @" {r}</span> })}
                " · " <time datetime=comment.created.iso.clone()>{comment.created.display.clone()}</time>
                {comment.edited.then(|| view! { <span class="comment__edited">" · edited"</span> })}
            </header>
            {body}
            <footer class="comment__actions">
                {(comment.status == "visible")
                    .then(|| {
                        let label = format!("{} · {}", if liked { "Liked" } else { "Like" }, comment.likes);
                        view! {
                            <form method="post" action=ToggleLike::PATH class="inline-form">
                                <input type="hidden" name="id" value=id />
                                <button
                                    type="submit"
                                    class="comment__like ghost"
                                    aria-pressed=liked.to_string()
                                    disabled=me.is_none()
                                    title=if me.is_none() { "Log in to like comments" } else { "Like this comment" }
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
                                        {html_to_text(&comment.body_html)}
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
                                    .map(|r| view! { <li><CommentItem comment=r /></li> }.into_any())
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

/// The newest reply id in a tree of replies.
fn last_id(replies: &[Comment]) -> Option<i64> {
    replies.iter().flat_map(|r| std::iter::once(r.id).chain(last_id(&r.replies))).max()
}

/// "Show N more replies": a link to the next page of the thread (without
/// JavaScript), or the replies fetched and put in place (with it).
#[component]
fn MoreReplies(thread_id: i64, more: i64, after: i64) -> impl IntoView {
    let s = expect_context::<Section>();
    let href = format!("/articles/{}?thread={thread_id}&after={after}#comment-{thread_id}", s.slug);
    let loading = RwSignal::new(false);
    let load = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        let s = s.clone();
        leptos::task::spawn_local(async move {
            match super::more_replies(s.slug.clone(), thread_id, after).await {
                Ok(page) => s.threads.update(|threads| {
                    for reply in page.replies {
                        place(threads, reply, s.sort);
                    }
                    if let Some(t) = find_mut(threads, thread_id) {
                        t.more_replies = page.more;
                    }
                }),
                Err(err) => s.notice.set(err.to_string()),
            }
            loading.set(false);
        });
    };
    let label = if more == 1 { "Show 1 more reply".to_owned() } else { format!("Show {more} more replies") };
    view! {
        <a class="button button--ghost comment__more-replies" href=href on:click=load>
            {move || if loading.get() { "Loading…".to_owned() } else { label.clone() }}
        </a>
    }
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
