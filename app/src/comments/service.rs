//! Comment rules, shared by the page's server functions and the JSON API.

use super::{
    body::CommentBody,
    store::{self, CommentRow, Cursor, Visibility},
    Comment, CommentPage, CommentStatus, Posted, Sort, EDIT_WINDOW_SECS, MAX_DEPTH, REPLIES_PER_PAGE, REPLIES_SHOWN,
    THREADS_PER_PAGE,
};
use crate::{
    articles::{self, service::stamp},
    auth::CurrentUser,
    db::now,
    errors::AppError,
    live::{CommentLikes, CommentRemoved, LiveEvent, LiveMessage, Logged},
    state::AppState,
    throttle,
};
use std::{collections::HashMap, sync::Arc};

/// One page of an article's threads as every reader sees them (visible
/// comments, and deleted ones that keep live replies), before any reader's
/// own likes and rights are applied: what `ReadCache` shares between readers.
#[derive(Debug, Clone)]
pub struct PublicThreads {
    tops: Vec<CommentRow>,
    replies: Vec<CommentRow>,
    /// Visible replies per thread, on the page or not.
    reply_counts: HashMap<i64, i64>,
    next_cursor: Option<String>,
    total: i64,
}

/// The same text by the same reader within this window is refused.
const REPEAT_WINDOW_SECS: i64 = 10 * 60;
/// A first comment with links from an account younger than this waits for a moderator.
const NEW_ACCOUNT_SECS: i64 = 10 * 60;

fn visibility(viewer: Option<&CurrentUser>) -> Visibility {
    Visibility { viewer_id: viewer.map_or(0, |v| v.id), moderator: viewer.is_some_and(|v| v.role.moderates()) }
}

/// A row as readers see it (a deleted comment keeps its place, not its words).
pub fn to_comment(row: &CommentRow) -> Comment {
    let deleted = row.status == CommentStatus::Deleted;
    Comment {
        id: row.id,
        parent_id: row.parent_id,
        thread_id: row.thread_id,
        depth: row.depth,
        author: (!deleted).then(|| row.author.clone()),
        reply_to: row.reply_to_user.clone(),
        body_html: if deleted { String::new() } else { row.body_html.clone() },
        created: stamp(row.created_at),
        created_unix: row.created_at,
        edited: row.edited_at.is_some(),
        likes: row.like_count,
        status: row.status,
        liked: false,
        replies: Vec::new(),
        more_replies: 0,
        source: None,
    }
}

/// What live readers are sent for a logged comment event, built from the
/// comment as it is now: its current text when it is visible, and otherwise
/// only that it is gone (whatever the log says happened).
fn live_event(logged: &Logged, row: Option<&CommentRow>, has_replies: bool) -> LiveEvent {
    let id = logged.comment_id.unwrap_or_default();
    let gone = LiveMessage::CommentDeleted(CommentRemoved { id, has_replies });
    let message = match row {
        Some(row) if row.status == CommentStatus::Visible => match logged.kind.as_str() {
            "comment.liked" => LiveMessage::CommentLiked(CommentLikes { id, likes: row.like_count }),
            "comment.created" => LiveMessage::CommentCreated(to_comment(row)),
            "comment.updated" => LiveMessage::CommentUpdated(to_comment(row)),
            _ => gone,
        },
        _ => gone,
    };
    LiveEvent::new(logged.id, logged.article_id, &message)
}

/// Renders the comment events among `logged` (by event id), reading each
/// comment once, as it is now.
pub async fn render_live(state: &AppState, logged: &[Logged]) -> Result<HashMap<i64, LiveEvent>, AppError> {
    let mut ids: Vec<i64> = logged.iter().filter_map(|l| l.comment_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let rows: HashMap<i64, CommentRow> =
        store::get_many(&state.db, &ids).await?.into_iter().map(|r| (r.id, r)).collect();
    let with_replies = store::with_visible_replies(&state.db, &ids).await?;
    Ok(logged
        .iter()
        .filter_map(|l| {
            let id = l.comment_id?;
            Some((l.id, live_event(l, rows.get(&id), with_replies.contains(&id))))
        })
        .collect())
}

fn publish(state: &AppState, logged: Option<Logged>, row: &CommentRow, has_replies: bool) {
    // This instance's next read sees the change at once; others, when the event reaches them.
    state.reads.forget(row.article_id);
    if let Some(logged) = logged {
        state.hub.publish(live_event(&logged, Some(row), has_replies));
    }
}

/// A row as `vis`'s reader sees it: with its source when they may edit it.
fn for_viewer(row: &CommentRow, vis: &Visibility) -> Comment {
    let mut c = to_comment(row);
    let editable = row.status != CommentStatus::Deleted && (vis.moderator || row.author_id == vis.viewer_id);
    if editable && vis.viewer_id != 0 {
        c.source = Some(row.body_source.clone());
    }
    c
}

fn parse_cursor(sort: Sort, cursor: Option<&str>) -> Result<Option<Cursor>, AppError> {
    let Some(raw) = cursor.filter(|c| !c.is_empty()) else { return Ok(None) };
    let bad = || AppError::BadRequest("That page of comments is not valid. Reload the article.".into());
    let mut parts = raw.split('_');
    let cursor = match sort {
        Sort::Top => {
            let likes = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
            // A bare number (an id cursor from another sort) reads as "at most that many likes".
            let id = match parts.next() {
                Some(p) => p.parse().map_err(|_| bad())?,
                None => i64::MAX,
            };
            Cursor::Top { likes, id }
        }
        // A top cursor (`likes_id`) under another sort still names the last comment seen.
        _ => Cursor::Id(raw.rsplit('_').next().and_then(|p| p.parse().ok()).ok_or_else(bad)?),
    };
    Ok(Some(cursor))
}

/// A page of top-level threads with all their replies, for `viewer`. What every
/// reader sees is shared (`ReadCache`); only the viewer's likes, and for a
/// moderator or an author of held comments the whole page, are read for them.
pub async fn list(
    state: &AppState,
    slug: &str,
    sort: Sort,
    cursor: Option<&str>,
    viewer: Option<&CurrentUser>,
) -> Result<CommentPage, AppError> {
    let article_id = articles::service::id_of(state, slug).await?;
    let cursor = parse_cursor(sort, cursor)?;
    let vis = visibility(viewer);
    let marks = match viewer {
        Some(v) => store::reader_marks(&state.db, v.id, article_id).await?,
        None => store::ReaderMarks::default(),
    };
    let page = if vis.moderator || marks.has_held {
        Arc::new(public_threads(state, article_id, sort, cursor, &vis).await?)
    } else {
        let everyone = Visibility { viewer_id: 0, moderator: false };
        let name = format!("{sort:?} {cursor:?}");
        state.reads.threads(article_id, name, public_threads(state, article_id, sort, cursor, &everyone)).await?
    };
    let mut threads = assemble(&page.tops, &page.replies, &marks.liked, &vis);
    for t in &mut threads {
        t.more_replies = (page.reply_counts.get(&t.id).copied().unwrap_or(0) - REPLIES_SHOWN).max(0);
    }
    Ok(CommentPage {
        threads,
        next_cursor: page.next_cursor.clone(),
        sort,
        total: page.total,
        now: now(),
        thread: None,
    })
}

/// The rows of a page of threads as `vis` sees them.
async fn public_threads(
    state: &AppState,
    article_id: i64,
    sort: Sort,
    cursor: Option<Cursor>,
    vis: &Visibility,
) -> Result<PublicThreads, AppError> {
    let mut tops = store::threads(&state.db, article_id, sort, cursor, THREADS_PER_PAGE + 1, vis).await?;
    let next_cursor = if tops.len() as i64 > THREADS_PER_PAGE {
        tops.truncate(THREADS_PER_PAGE as usize);
        tops.last().map(|c| match sort {
            Sort::Top => format!("{}_{}", c.like_count, c.id),
            _ => c.id.to_string(),
        })
    } else {
        None
    };
    let thread_ids: Vec<i64> = tops.iter().map(|c| c.id).collect();
    // However long a thread grows, the page carries its first replies only.
    let replies = store::replies(&state.db, &thread_ids, vis, 0, REPLIES_SHOWN).await?;
    let reply_counts = store::reply_counts(&state.db, &thread_ids, vis, 0).await?.into_iter().collect();
    let total = store::visible_count(&state.db, article_id).await?;
    Ok(PublicThreads { tops, replies, reply_counts, next_cursor, total })
}

/// One comment, if `viewer` may see it (the same rule as the threads).
pub async fn one(state: &AppState, id: i64, viewer: Option<&CurrentUser>) -> Result<Comment, AppError> {
    let vis = visibility(viewer);
    let row = store::get(&state.db, id).await?.filter(|c| match c.status {
        CommentStatus::Visible => true,
        CommentStatus::Held => vis.moderator || c.author_id == vis.viewer_id,
        CommentStatus::Hidden | CommentStatus::Deleted => vis.moderator,
    });
    let row = row.ok_or_else(|| AppError::NotFound("That comment is not there.".into()))?;
    let mut comment = for_viewer(&row, &vis);
    if let Some(v) = viewer {
        comment.liked = store::liked_by(&state.db, v.id, &[id]).await?.contains(&id);
    }
    Ok(comment)
}

/// A further page of one thread's replies, after reply `after`.
pub async fn more_replies(
    state: &AppState,
    slug: &str,
    thread_id: i64,
    after: i64,
    viewer: Option<&CurrentUser>,
) -> Result<super::RepliesPage, AppError> {
    let article_id = articles::service::id_of(state, slug).await?;
    let vis = visibility(viewer);
    let top = store::get(&state.db, thread_id)
        .await?
        .filter(|t| t.article_id == article_id && t.depth == 1)
        .ok_or_else(|| AppError::NotFound("That thread is not on this article.".into()))?;
    let rows = store::replies(&state.db, &[top.id], &vis, after, REPLIES_PER_PAGE).await?;
    let total = store::reply_counts(&state.db, &[top.id], &vis, after).await?.first().map_or(0, |c| c.1);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let liked = match viewer {
        Some(v) => store::liked_by(&state.db, v.id, &ids).await?,
        None => Vec::new(),
    };
    let replies = rows
        .iter()
        .map(|r| {
            let mut c = for_viewer(r, &vis);
            c.liked = liked.contains(&r.id);
            c
        })
        .collect::<Vec<_>>();
    Ok(super::RepliesPage { more: (total - replies.len() as i64).max(0), replies })
}

/// One thread with the page of its replies after `after`.
pub async fn thread_page(
    state: &AppState,
    slug: &str,
    thread_id: i64,
    after: i64,
    viewer: Option<&CurrentUser>,
) -> Result<CommentPage, AppError> {
    let article_id = articles::service::id_of(state, slug).await?;
    let vis = visibility(viewer);
    let top = store::get(&state.db, thread_id)
        .await?
        .filter(|t| t.article_id == article_id && t.depth == 1)
        .filter(|t| {
            t.status == CommentStatus::Visible
                || vis.moderator
                || (t.status == CommentStatus::Held && t.author_id == vis.viewer_id)
                || t.status == CommentStatus::Deleted
        })
        .ok_or_else(|| AppError::NotFound("That thread is not on this article.".into()))?;
    let more = more_replies(state, slug, thread_id, after, viewer).await?;
    let liked = match viewer {
        Some(v) => store::liked_by(&state.db, v.id, &[top.id]).await?,
        None => Vec::new(),
    };
    let mut head = for_viewer(&top, &vis);
    head.liked = liked.contains(&top.id);
    for reply in more.replies {
        let parent = reply.parent_id.filter(|p| head.find_mut(*p).is_some()).unwrap_or(top.id);
        if let Some(p) = head.find_mut(parent) {
            p.replies.push(reply);
        }
    }
    head.more_replies = more.more;
    let total = store::visible_count(&state.db, article_id).await?;
    Ok(CommentPage {
        threads: vec![head],
        next_cursor: None,
        sort: Sort::Oldest,
        total,
        now: now(),
        thread: Some(thread_id),
    })
}

/// Builds the trees: replies (oldest first) under their parents. A reply
/// whose parent is not in this page hangs under its thread's top comment.
fn assemble(tops: &[CommentRow], replies: &[CommentRow], liked: &[i64], vis: &Visibility) -> Vec<Comment> {
    let present: std::collections::HashSet<i64> =
        tops.iter().map(|t| t.id).chain(replies.iter().map(|r| r.id)).collect();
    let mut children: HashMap<i64, Vec<&CommentRow>> = HashMap::new();
    for r in replies {
        let parent = r.parent_id.filter(|p| present.contains(p)).unwrap_or(r.thread_id);
        children.entry(parent).or_default().push(r);
    }
    fn build(
        row: &CommentRow,
        children: &HashMap<i64, Vec<&CommentRow>>,
        liked: &[i64],
        vis: &Visibility,
    ) -> Option<Comment> {
        let mut c = for_viewer(row, vis);
        c.liked = liked.contains(&row.id);
        c.replies = children
            .get(&row.id)
            .map(|rs| rs.iter().filter_map(|r| build(r, children, liked, vis)).collect())
            .unwrap_or_default();
        // A deleted comment is kept only as the holder of replies.
        (c.status != CommentStatus::Deleted || !c.replies.is_empty()).then_some(c)
    }
    tops.iter().filter_map(|t| build(t, &children, liked, vis)).collect()
}

/// The rules every new text meets, when posted and when edited: banned
/// readers cannot write, and the same text twice in a moment is refused.
async fn check_writer(state: &AppState, user: &CurrentUser, hash: &str, except: i64) -> Result<(), AppError> {
    refuse_banned(user)?;
    if store::recent_same_text(&state.db, user.id, hash, now() - REPEAT_WINDOW_SECS, except).await? {
        return Err(AppError::Conflict("You posted the same comment a moment ago.".into()));
    }
    Ok(())
}

fn refuse_banned(user: &CurrentUser) -> Result<(), AppError> {
    if user.banned {
        return Err(AppError::Forbidden("Your account can no longer post comments.".into()));
    }
    Ok(())
}

/// Links the `@name` mentions of readers who exist, and gives their ids.
async fn with_mentions(state: &AppState, body: CommentBody) -> Result<(CommentBody, Vec<i64>), AppError> {
    let names = body.mentioned();
    if names.is_empty() {
        return Ok((body, Vec::new()));
    }
    let found = crate::auth::service::readers_named(state, &names).await?;
    let known: std::collections::HashSet<String> = found.iter().map(|(_, key)| key.clone()).collect();
    Ok((body.link_mentions(&known), found.into_iter().map(|(id, _)| id).collect()))
}

/// Links from an account younger than this wait for a moderator.
fn young(user: &CurrentUser) -> bool {
    now() - user.joined_unix < NEW_ACCOUNT_SECS && !user.role.moderates()
}

/// Links from an address nobody has confirmed wait for a moderator.
fn unverified(user: &CurrentUser) -> bool {
    !user.verified && !user.role.moderates()
}

pub async fn post(
    state: &AppState,
    slug: &str,
    user: &CurrentUser,
    body: &str,
    parent_id: Option<i64>,
) -> Result<Posted, AppError> {
    // Before the rate limit, so a banned reader's attempts use up nothing.
    refuse_banned(user)?;
    let (body, mentioned) = with_mentions(state, CommentBody::parse(body)?).await?;
    let article_id = articles::service::id_of(state, slug).await?;
    // Counted before anything else is checked, so parallel posts meet the limit.
    let limit = state.limits.comments_per_user;
    let ticket = throttle::acquire(&state.db, limit, &user.id.to_string(), "You are commenting very quickly.").await?;
    match insert(state, article_id, user, &body, parent_id, &mentioned).await {
        Ok(posted) => Ok(posted),
        Err(err) => {
            throttle::release(&state.db, ticket).await?;
            Err(err)
        }
    }
}

async fn insert(
    state: &AppState,
    article_id: i64,
    user: &CurrentUser,
    body: &CommentBody,
    parent_id: Option<i64>,
    mentioned: &[i64],
) -> Result<Posted, AppError> {
    let hash = body.fingerprint();
    check_writer(state, user, &hash, 0).await?;
    let mut replied_to = None;
    let (parent_id, thread_id, depth, reply_to) = match parent_id {
        None => (None, None, 1, None),
        Some(pid) => {
            // Only a visible comment takes replies: not a held, hidden or deleted one.
            let parent = store::get(&state.db, pid)
                .await?
                .filter(|p| p.article_id == article_id && p.status == CommentStatus::Visible)
                .ok_or_else(|| AppError::NotFound("The comment you are replying to is no longer there.".into()))?;
            replied_to = Some(parent.author_id);
            if parent.depth >= MAX_DEPTH {
                // Too deep to indent further: attach beside it and name whom it answers.
                (parent.parent_id, Some(parent.thread_id), MAX_DEPTH, Some(parent.author.clone()))
            } else {
                (Some(parent.id), Some(parent.thread_id), parent.depth + 1, None)
            }
        }
    };
    let first = store::comments_by(&state.db, user.id).await? == 0;
    let held = body.has_links() && ((first && young(user)) || unverified(user));
    let new = store::NewComment {
        article_id,
        author_id: user.id,
        parent_id,
        thread_id,
        depth,
        reply_to_user: reply_to.as_deref(),
        source: &body.source,
        html: &body.html,
        hash: &hash,
        status: if held { CommentStatus::Held } else { CommentStatus::Visible },
        now: now(),
    };
    let order = state.hub.order().await;
    let (row, logged) = store::insert(&state.db, new).await?;
    publish(state, logged, &row, false);
    drop(order);
    crate::notifications::service::comment_posted(state, &row, replied_to, mentioned).await;
    Ok(Posted { comment: to_comment(&row), held })
}

async fn load(state: &AppState, id: i64) -> Result<CommentRow, AppError> {
    store::get(&state.db, id)
        .await?
        .filter(|c| c.status != CommentStatus::Deleted)
        .ok_or_else(|| AppError::NotFound("That comment is no longer there.".into()))
}

/// The text a comment was written in, for its author's edit box.
pub async fn source(state: &AppState, id: i64, user: &CurrentUser) -> Result<String, AppError> {
    let row = load(state, id).await?;
    if row.author_id != user.id && !user.role.moderates() {
        return Err(AppError::Forbidden("You can only edit your own comments.".into()));
    }
    Ok(store::source(&state.db, id).await?.unwrap_or_default())
}

/// Where a comment's permalink leads, for someone who may see it: a top-level
/// comment opens its thread; a reply opens its thread from that reply on, so
/// it is on the page however deep or late it came.
pub async fn location(state: &AppState, id: i64, viewer: Option<&CurrentUser>) -> Result<String, AppError> {
    let gone = || AppError::NotFound("That comment is no longer there.".into());
    let row = store::get(&state.db, id).await?.ok_or_else(gone)?;
    let vis = visibility(viewer);
    let may_see = row.status == CommentStatus::Visible
        || vis.moderator
        || (row.status == CommentStatus::Held && row.author_id == vis.viewer_id);
    if !may_see {
        return Err(gone());
    }
    let slug = store::article_slug(&state.db, row.article_id).await?;
    Ok(if row.depth == 1 {
        format!("/articles/{slug}?thread={id}#comment-{id}")
    } else {
        format!("/articles/{slug}?thread={}&after={}#comment-{id}", row.thread_id, id - 1)
    })
}

/// Returns the article's slug and the edited comment. An edit meets the rules
/// of posting: a banned reader cannot edit, the repeat check applies, and
/// links added by a young account send the comment back for review.
pub async fn edit(state: &AppState, id: i64, user: &CurrentUser, body: &str) -> Result<(String, Comment), AppError> {
    let row = load(state, id).await?;
    let moderator = user.role.moderates();
    if row.author_id != user.id && !moderator {
        return Err(AppError::Forbidden("You can only edit your own comments.".into()));
    }
    if !moderator && now() - row.created_at > EDIT_WINDOW_SECS {
        return Err(AppError::Forbidden(
            "Comments can be edited for 15 minutes after posting; this one can no longer be changed.".into(),
        ));
    }
    let (body, mentioned) = with_mentions(state, CommentBody::parse(body)?).await?;
    let hash = body.fingerprint();
    check_writer(state, user, &hash, id).await?;
    let had_links = super::body::html_has_links(&row.body_html);
    let hold = row.author_id == user.id && body.has_links() && ((young(user) && !had_links) || unverified(user));
    let order = state.hub.order().await;
    let (row, logged) = store::update_body(&state.db, id, &body.source, &body.html, &hash, now(), hold).await?;
    publish(state, logged, &row, false);
    drop(order);
    crate::notifications::service::comment_edited(state, &row, &mentioned).await;
    Ok((store::article_slug(&state.db, row.article_id).await?, to_comment(&row)))
}

/// Returns the article's slug.
pub async fn delete(state: &AppState, id: i64, user: &CurrentUser) -> Result<String, AppError> {
    let row = load(state, id).await?;
    if row.author_id != user.id && !user.role.moderates() {
        return Err(AppError::Forbidden("You can only delete your own comments.".into()));
    }
    let order = state.hub.order().await;
    let change = store::set_status(&state.db, id, CommentStatus::Deleted, Some("comment.deleted")).await?;
    publish(state, change.event, &change.row, change.has_replies);
    drop(order);
    Ok(store::article_slug(&state.db, row.article_id).await?)
}

/// Returns the slug, the new like count and whether the user now likes it.
pub async fn toggle_like(state: &AppState, id: i64, user: &CurrentUser) -> Result<(String, i64, bool), AppError> {
    let current = store::liked_by(&state.db, user.id, &[id]).await?.contains(&id);
    set_like(state, id, user, !current).await
}

/// Likes (`want = true`) or unlikes: idempotent, whatever else runs at once.
/// Returns the slug, the like count and whether the user now likes it.
pub async fn set_like(
    state: &AppState,
    id: i64,
    user: &CurrentUser,
    want: bool,
) -> Result<(String, i64, bool), AppError> {
    let row = load(state, id).await?;
    if row.status != CommentStatus::Visible {
        return Err(AppError::NotFound("That comment is no longer there.".into()));
    }
    let order = state.hub.order().await;
    let (likes, liked, logged) = store::set_like(&state.db, id, row.article_id, user.id, want, now()).await?;
    let told = logged.is_some() && want;
    let mut row = row;
    if let Some(logged) = logged {
        row.like_count = likes;
        publish(state, Some(logged), &row, false);
    }
    drop(order);
    if told {
        crate::notifications::service::comment_liked(state, &row, user.id).await;
    }
    Ok((store::article_slug(&state.db, row.article_id).await?, likes, liked))
}

/// Files a report (one per reader per comment; a second changes nothing).
/// Only comments others can see can be reported, and reports are rate-limited.
pub async fn report(state: &AppState, id: i64, user: &CurrentUser, reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            "Tell the moderators in a few words (up to 500 characters) what is wrong.",
        ));
    }
    let limit = state.limits.reports_per_user;
    let ticket = throttle::acquire(&state.db, limit, &user.id.to_string(), "You have sent many reports.").await?;
    let row = match load(state, id).await.and_then(|r| {
        (r.status == CommentStatus::Visible)
            .then_some(r)
            .ok_or_else(|| AppError::NotFound("That comment is no longer there.".into()))
    }) {
        Ok(row) => row,
        Err(err) => {
            throttle::release(&state.db, ticket).await?;
            return Err(err);
        }
    };
    if !store::report(&state.db, id, user.id, reason, now()).await? {
        // Already reported by this reader: not a new report, not counted.
        throttle::release(&state.db, ticket).await?;
    }
    tracing::info!(comment_id = id, "comment reported");
    Ok(store::article_slug(&state.db, row.article_id).await?)
}

/// A moderator's action on a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Hide,
    Restore,
    Delete,
    Dismiss,
}

impl Action {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        match s {
            "hide" => Ok(Self::Hide),
            "restore" | "approve" => Ok(Self::Restore),
            "delete" => Ok(Self::Delete),
            "dismiss" => Ok(Self::Dismiss),
            _ => Err(AppError::invalid("action", "Choose hide, restore, delete or dismiss.")),
        }
    }
}

fn require_moderator(user: &CurrentUser) -> Result<(), AppError> {
    if user.role.moderates() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Only moderators can do that.".into()))
    }
}

pub async fn moderate(state: &AppState, user: &CurrentUser, id: i64, action: Action) -> Result<(), AppError> {
    require_moderator(user)?;
    let row =
        store::get(&state.db, id).await?.ok_or_else(|| AppError::NotFound("That comment does not exist.".into()))?;
    let order = state.hub.order().await;
    let change = match action {
        Action::Hide => Some(store::set_status(&state.db, id, CommentStatus::Hidden, Some("comment.deleted")).await?),
        Action::Delete => {
            Some(store::set_status(&state.db, id, CommentStatus::Deleted, Some("comment.deleted")).await?)
        }
        Action::Restore => {
            Some(store::set_status(&state.db, id, CommentStatus::Visible, Some("comment.created")).await?)
        }
        Action::Dismiss => None,
    };
    let approved = match change {
        Some(change) => {
            publish(state, change.event, &change.row, change.has_replies);
            (row.status == CommentStatus::Held && change.row.status == CommentStatus::Visible).then_some(change.row)
        }
        None => None,
    };
    drop(order);
    if let Some(row) = approved {
        crate::notifications::service::comment_approved(state, &row).await;
    }
    store::resolve_reports(&state.db, id, now()).await?;
    tracing::info!(moderator = user.id, comment_id = id, ?action, was = row.status.as_str(), "comment moderated");
    Ok(())
}

pub async fn ban(state: &AppState, user: &CurrentUser, username: &str, banned: bool) -> Result<(), AppError> {
    require_moderator(user)?;
    if store::ban(&state.db, username, banned.then(now)).await? {
        tracing::info!(moderator = user.id, %username, banned, "commenting ban changed");
        Ok(())
    } else {
        Err(AppError::NotFound("There is no reader with that name.".into()))
    }
}

/// The moderation queue, a page at a time: held comments first (readers are
/// waiting for them), then reported ones, oldest concern first.
pub async fn queue(state: &AppState, user: &CurrentUser, page: i64) -> Result<super::QueuePage, AppError> {
    require_moderator(user)?;
    let page = page.max(1);
    let mut rows = store::queue(&state.db, QUEUE_PAGE + 1, (page - 1) * QUEUE_PAGE).await?;
    let has_more = rows.len() as i64 > QUEUE_PAGE;
    rows.truncate(QUEUE_PAGE as usize);
    let ids: Vec<i64> = rows.iter().map(|r| r.comment_id).collect();
    let comments: HashMap<i64, CommentRow> =
        store::get_many(&state.db, &ids).await?.into_iter().map(|r| (r.id, r)).collect();
    let items = rows
        .into_iter()
        .filter_map(|row| {
            let comment = comments.get(&row.comment_id)?;
            Some(super::QueueItem {
                comment: to_comment(comment),
                author: comment.author.clone(),
                article_slug: row.slug,
                article_headline: row.headline,
                reasons: row.reasons.map(|r| r.lines().map(str::to_owned).collect()).unwrap_or_default(),
                reports: row.report_count,
            })
        })
        .collect();
    Ok(super::QueuePage { items, page, has_more })
}

/// Queue items per page.
const QUEUE_PAGE: i64 = 50;

/// A reader's most recent comments that others can see, for their profile.
pub async fn recent_by_author(
    state: &AppState,
    author_id: i64,
    limit: i64,
) -> Result<Vec<crate::auth::ProfileComment>, AppError> {
    Ok(store::by_author(&state.db, author_id, limit)
        .await?
        .into_iter()
        .map(|(id, article_slug, article_headline, body_html, created)| crate::auth::ProfileComment {
            id,
            article_slug,
            article_headline,
            body_html,
            created: stamp(created),
        })
        .collect())
}

/// When an account is deleted: each of its comments becomes "[deleted]"
/// (replies stay) and loses its words in the database too, and its likes are
/// taken back; every reader of those articles sees it live.
pub async fn erase_author(state: &AppState, user_id: i64) -> Result<(), AppError> {
    // First, so every page and cache the deletions below refresh is without the name.
    store::forget_reply_names(&state.db, user_id).await?;
    for row in store::all_by_author(&state.db, user_id).await? {
        if row.status == CommentStatus::Deleted {
            continue;
        }
        let order = state.hub.order().await;
        let change = store::set_status(&state.db, row.id, CommentStatus::Deleted, Some("comment.deleted")).await?;
        publish(state, change.event, &change.row, change.has_replies);
        drop(order);
    }
    store::erase_deleted_words(&state.db, user_id).await?;
    let liked: Vec<i64> = store::likes_of(&state.db, user_id).await?.into_iter().map(|(id, _)| id).collect();
    for row in store::get_many(&state.db, &liked).await? {
        let order = state.hub.order().await;
        let (likes, _, logged) = store::set_like(&state.db, row.id, row.article_id, user_id, false, now()).await?;
        let mut row = row;
        row.like_count = likes;
        publish(state, logged, &row, false);
        drop(order);
    }
    Ok(())
}

/// A reader's comments and likes, for their data export.
pub async fn export_for(
    state: &AppState,
    user_id: i64,
) -> Result<(Vec<crate::auth::export::ExportedComment>, Vec<crate::auth::export::ExportedLike>), AppError> {
    let comments = store::all_by_author(&state.db, user_id)
        .await?
        .into_iter()
        .map(|r| crate::auth::export::ExportedComment {
            id: r.id,
            article: r.article_slug,
            parent_id: r.parent_id,
            status: r.status,
            body: r.body_source,
            written: stamp(r.created_at).iso,
            edited: r.edited_at.map(|t| stamp(t).iso),
        })
        .collect();
    let likes = store::likes_of(&state.db, user_id)
        .await?
        .into_iter()
        .map(|(comment_id, at)| crate::auth::export::ExportedLike { comment_id, liked: stamp(at).iso })
        .collect();
    Ok((comments, likes))
}
