//! Comment rules, shared by the page's server functions and the JSON API.

use super::{
    body::CommentBody,
    store::{self, CommentRow, Cursor, Visibility},
    Comment, CommentPage, Posted, Sort, EDIT_WINDOW_SECS, MAX_DEPTH, THREADS_PER_PAGE,
};
use crate::{
    articles::{self, service::stamp},
    auth::{self, CurrentUser},
    db::now,
    errors::AppError,
    state::AppState,
    throttle,
};
use std::collections::HashMap;

/// The same text by the same reader within this window is refused.
const REPEAT_WINDOW_SECS: i64 = 10 * 60;
/// A first comment with links from an account younger than this waits for a moderator.
const NEW_ACCOUNT_SECS: i64 = 10 * 60;

/// The logged-in reader of the current server-function request.
pub async fn viewer(state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    auth::service::user_for_token(state, auth::request::token(state).as_deref()).await
}

pub async fn require_viewer(state: &AppState) -> Result<CurrentUser, AppError> {
    viewer(state).await?.ok_or(AppError::Unauthorized)
}

fn visibility(viewer: Option<&CurrentUser>) -> Visibility {
    Visibility { viewer_id: viewer.map_or(0, |v| v.id), moderator: viewer.is_some_and(|v| v.role.moderates()) }
}

/// A row as readers see it (a deleted comment keeps its place, not its words).
pub fn to_comment(row: &CommentRow) -> Comment {
    let deleted = row.status == "deleted";
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
        status: row.status.clone(),
        liked: false,
        replies: Vec::new(),
    }
}

fn event_json(row: &CommentRow) -> String {
    serde_json::to_string(&to_comment(row)).unwrap_or_default()
}

fn parse_cursor(sort: Sort, cursor: Option<&str>) -> Result<Option<Cursor>, AppError> {
    let Some(raw) = cursor.filter(|c| !c.is_empty()) else { return Ok(None) };
    let bad = || AppError::BadRequest("That page of comments is not valid. Reload the article.".into());
    let mut parts = raw.split('_');
    let cursor = match sort {
        Sort::Top => {
            let likes = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
            let id = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
            Cursor::Top { likes, id }
        }
        _ => Cursor::Id(raw.parse().map_err(|_| bad())?),
    };
    Ok(Some(cursor))
}

/// A page of top-level threads with all their replies, for `viewer`.
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
    let mut tops = store::threads(&state.db, article_id, sort, cursor, THREADS_PER_PAGE + 1, &vis).await?;
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
    let replies = store::replies(&state.db, &thread_ids, &vis).await?;
    let mut all_ids: Vec<i64> = thread_ids.clone();
    all_ids.extend(replies.iter().map(|r| r.id));
    let liked: Vec<i64> = match viewer {
        Some(v) => store::liked_by(&state.db, v.id, &all_ids).await?,
        None => Vec::new(),
    };
    let threads = assemble(&tops, &replies, &liked);
    let total = store::visible_count(&state.db, article_id).await?;
    Ok(CommentPage { threads, next_cursor, sort, total, now: now() })
}

/// Builds the trees: replies (oldest first) under their parents.
fn assemble(tops: &[CommentRow], replies: &[CommentRow], liked: &[i64]) -> Vec<Comment> {
    let mut children: HashMap<i64, Vec<&CommentRow>> = HashMap::new();
    for r in replies {
        if let Some(p) = r.parent_id {
            children.entry(p).or_default().push(r);
        }
    }
    fn build(row: &CommentRow, children: &HashMap<i64, Vec<&CommentRow>>, liked: &[i64]) -> Option<Comment> {
        let mut c = to_comment(row);
        c.liked = liked.contains(&row.id);
        c.replies = children
            .get(&row.id)
            .map(|rs| rs.iter().filter_map(|r| build(r, children, liked)).collect())
            .unwrap_or_default();
        // A deleted comment is kept only as the holder of replies.
        (c.status != "deleted" || !c.replies.is_empty()).then_some(c)
    }
    tops.iter().filter_map(|t| build(t, &children, liked)).collect()
}

async fn publish(state: &AppState, event: Option<crate::live::LiveEvent>) {
    if let Some(event) = event {
        state.hub.publish(event);
    }
}

pub async fn post(
    state: &AppState,
    slug: &str,
    user: &CurrentUser,
    body: &str,
    parent_id: Option<i64>,
) -> Result<Posted, AppError> {
    if user.banned {
        return Err(AppError::Forbidden("Your account can no longer post comments.".into()));
    }
    let body = CommentBody::parse(body)?;
    let article_id = articles::service::id_of(state, slug).await?;
    let limit = state.limits.comments_per_user;
    let key = user.id.to_string();
    throttle::check(&state.db, limit, &key, "You are commenting very quickly.").await?;
    let hash = body.fingerprint();
    let now = now();
    if store::recent_same_text(&state.db, user.id, &hash, now - REPEAT_WINDOW_SECS).await? {
        return Err(AppError::Conflict("You posted the same comment a moment ago.".into()));
    }
    let (parent_id, thread_id, depth, reply_to) = match parent_id {
        None => (None, None, 1, None),
        Some(pid) => {
            let parent = store::get(&state.db, pid)
                .await?
                .filter(|p| p.article_id == article_id && p.status != "deleted" && p.status != "hidden")
                .ok_or_else(|| AppError::NotFound("The comment you are replying to is no longer there.".into()))?;
            if parent.depth >= MAX_DEPTH {
                // Too deep to indent further: attach beside it and name whom it answers.
                (parent.parent_id, Some(parent.thread_id), MAX_DEPTH, Some(parent.author.clone()))
            } else {
                (Some(parent.id), Some(parent.thread_id), parent.depth + 1, None)
            }
        }
    };
    let first = store::comments_by(&state.db, user.id).await? == 0;
    let young = now - user.joined_unix < NEW_ACCOUNT_SECS;
    let held = first && young && body.has_links() && !user.role.moderates();
    throttle::record(&state.db, limit, &key).await?;
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
        status: if held { "held" } else { "visible" },
        now,
    };
    let order = state.hub.order().await;
    let (row, event) = store::insert(&state.db, new, event_json).await?;
    publish(state, event).await;
    drop(order);
    Ok(Posted { comment: to_comment(&row), held })
}

async fn load(state: &AppState, id: i64) -> Result<CommentRow, AppError> {
    store::get(&state.db, id)
        .await?
        .filter(|c| c.status != "deleted")
        .ok_or_else(|| AppError::NotFound("That comment is no longer there.".into()))
}

/// Returns the article's slug and the edited comment.
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
    let body = CommentBody::parse(body)?;
    let order = state.hub.order().await;
    let (row, event) =
        store::update_body(&state.db, id, &body.source, &body.html, &body.fingerprint(), now(), event_json).await?;
    publish(state, event).await;
    drop(order);
    Ok((store::article_slug(&state.db, row.article_id).await?, to_comment(&row)))
}

fn removed_json(row: &CommentRow, has_replies: bool) -> String {
    serde_json::json!({ "id": row.id, "has_replies": has_replies }).to_string()
}

/// Returns the article's slug.
pub async fn delete(state: &AppState, id: i64, user: &CurrentUser) -> Result<String, AppError> {
    let row = load(state, id).await?;
    if row.author_id != user.id && !user.role.moderates() {
        return Err(AppError::Forbidden("You can only delete your own comments.".into()));
    }
    let order = state.hub.order().await;
    let (row, event) = store::set_status(&state.db, id, "deleted", Some("comment.deleted"), removed_json).await?;
    publish(state, event).await;
    drop(order);
    Ok(store::article_slug(&state.db, row.article_id).await?)
}

/// Returns the slug, the new like count and whether the user now likes it.
pub async fn toggle_like(state: &AppState, id: i64, user: &CurrentUser) -> Result<(String, i64, bool), AppError> {
    let row = load(state, id).await?;
    if row.status != "visible" {
        return Err(AppError::NotFound("That comment is no longer there.".into()));
    }
    let order = state.hub.order().await;
    let (likes, liked, event) = store::toggle_like(&state.db, id, row.article_id, user.id, now()).await?;
    state.hub.publish(event);
    drop(order);
    Ok((store::article_slug(&state.db, row.article_id).await?, likes, liked))
}

pub async fn report(state: &AppState, id: i64, user: &CurrentUser, reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            "Tell the moderators in a few words (up to 500 characters) what is wrong.",
        ));
    }
    let row = load(state, id).await?;
    store::report(&state.db, id, user.id, reason, now()).await?;
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
    let event = match action {
        Action::Hide => store::set_status(&state.db, id, "hidden", Some("comment.deleted"), removed_json).await?.1,
        Action::Delete => store::set_status(&state.db, id, "deleted", Some("comment.deleted"), removed_json).await?.1,
        Action::Restore => {
            store::set_status(&state.db, id, "visible", Some("comment.created"), |r, _| event_json(r)).await?.1
        }
        Action::Dismiss => None,
    };
    publish(state, event).await;
    drop(order);
    store::resolve_reports(&state.db, id, now()).await?;
    tracing::info!(moderator = user.id, comment_id = id, ?action, was = %row.status, "comment moderated");
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

/// The moderation queue: reported and held comments.
pub async fn queue(state: &AppState, user: &CurrentUser) -> Result<Vec<super::QueueItem>, AppError> {
    require_moderator(user)?;
    let mut items = Vec::new();
    for row in store::queue(&state.db).await? {
        if let Some(comment) = store::get(&state.db, row.comment_id).await? {
            items.push(super::QueueItem {
                comment: to_comment(&comment),
                author: comment.author.clone(),
                article_slug: row.slug,
                article_headline: row.headline,
                reasons: row.reasons.map(|r| r.lines().map(str::to_owned).collect()).unwrap_or_default(),
                reports: row.report_count,
            });
        }
    }
    Ok(items)
}

/// The JSON API's like (`want = true`) and unlike: idempotent.
pub async fn set_like(state: &AppState, id: i64, user: &CurrentUser, want: bool) -> Result<(i64, bool), AppError> {
    let row = load(state, id).await?;
    let current = store::liked_by(&state.db, user.id, &[id]).await?.contains(&id);
    if current == want {
        return Ok((row.like_count, current));
    }
    let (_, likes, liked) = toggle_like(state, id, user).await?;
    Ok((likes, liked))
}
