//! Comment threads under every article: post, reply, edit, delete, like,
//! report — rendered with the page, updated live.

mod bodies_in_page;
#[cfg(feature = "ssr")]
pub mod body;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod thread;

use crate::{articles::Stamp, errors::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Top-level threads per page.
pub const THREADS_PER_PAGE: i64 = 20;
/// Replies shown under each thread with the page; the rest wait behind "Show N more replies".
pub const REPLIES_SHOWN: i64 = 10;
/// Replies fetched by each "Show N more replies".
pub const REPLIES_PER_PAGE: i64 = 50;
/// How long an author may edit a comment.
pub const EDIT_WINDOW_SECS: i64 = 15 * 60;
/// Replies nest this deep; deeper replies attach to their depth-3 ancestor.
pub const MAX_DEPTH: i64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    Top,
}

impl Sort {
    pub fn parse(s: Option<&str>) -> Result<Self, AppError> {
        match s.unwrap_or("newest") {
            "" | "newest" => Ok(Self::Newest),
            "oldest" => Ok(Self::Oldest),
            "top" => Ok(Self::Top),
            _ => Err(AppError::invalid("sort", "Sort by newest, oldest or top.")),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Top => "top",
        }
    }
}

/// Where a comment stands. Stored as lower-case text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum CommentStatus {
    /// Shown to everyone.
    #[default]
    Visible,
    /// Waiting for a moderator: shown to its author and moderators only.
    Held,
    /// Hidden by a moderator.
    Hidden,
    /// Deleted; kept as "[deleted]" while it holds replies.
    Deleted,
}

#[cfg(feature = "ssr")]
crate::text_column!(CommentStatus, CommentStatus::parse, CommentStatus::as_str);

impl CommentStatus {
    pub const ALL: [Self; 4] = [Self::Visible, Self::Held, Self::Hidden, Self::Deleted];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Visible => "visible",
            Self::Held => "held",
            Self::Hidden => "hidden",
            Self::Deleted => "deleted",
        }
    }
}

/// A comment as a reader sees it. For a deleted comment that keeps its
/// replies, `author` is `None` and `body_html` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Comment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub thread_id: i64,
    pub depth: i64,
    pub author: Option<String>,
    /// Whom a reply deeper than depth 3 answers.
    pub reply_to: Option<String>,
    pub body_html: String,
    pub created: Stamp,
    pub created_unix: i64,
    pub edited: bool,
    pub likes: i64,
    pub status: CommentStatus,
    /// The viewer's own like (false in live events).
    pub liked: bool,
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub replies: Vec<Comment>,
    /// Replies to this thread not shown yet (top-level comments only).
    #[serde(default)]
    pub more_replies: i64,
    /// What its author wrote (Markdown), for the edit box: given to its author
    /// and to moderators only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Comment {
    /// A key that changes whenever anything shown for the thread changes,
    /// except its like counts, which the page updates in place (a thread
    /// drawn again would lose a reply being typed in it).
    pub fn version(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        fn walk(c: &Comment, h: &mut impl Hasher) {
            (c.id, c.edited, c.status, c.body_html.len(), c.replies.len(), c.more_replies).hash(h);
            c.body_html.hash(h);
            for r in &c.replies {
                walk(r, h);
            }
        }
        walk(self, &mut h);
        h.finish()
    }

    pub fn find_mut(&mut self, id: i64) -> Option<&mut Comment> {
        if self.id == id {
            return Some(self);
        }
        self.replies.iter_mut().find_map(|r| r.find_mut(id))
    }

    pub fn count(&self) -> usize {
        1 + self.replies.iter().map(Comment::count).sum::<usize>()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommentPage {
    pub threads: Vec<Comment>,
    pub next_cursor: Option<String>,
    pub sort: Sort,
    /// Visible comments on the article.
    pub total: i64,
    /// Server time of the page, for the edit window (same on server and browser).
    pub now: i64,
    /// Set when the page shows one thread's further replies (`?thread=…&after=…`).
    #[serde(default)]
    pub thread: Option<i64>,
}

/// A comment waiting for a moderator: reported, or held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub comment: Comment,
    pub author: String,
    pub article_slug: String,
    pub article_headline: String,
    pub reasons: Vec<String>,
    pub reports: i64,
}

/// A further page of one thread's replies, oldest first, flat (each names its parent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RepliesPage {
    pub replies: Vec<Comment>,
    /// Replies after these still not shown.
    pub more: i64,
}

/// One thread with a further page of its replies: where "Show N more replies"
/// leads a browser without JavaScript.
#[server(prefix = "/_fn")]
pub async fn thread_comments(slug: String, thread_id: i64, after: i64) -> Result<CommentPage, AppError> {
    let state = crate::state::app_state()?;
    let viewer = crate::auth::request::viewer(&state).await?;
    service::thread_page(&state, &slug, thread_id, after, viewer.as_ref()).await
}

/// Where a comment's permalink (`/comments/{id}`) leads: its article, opened
/// at its thread with the comment on the page, scrolled to it.
#[server(prefix = "/_fn")]
pub async fn comment_location(id: i64) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let viewer = crate::auth::request::viewer(&state).await?;
    service::location(&state, id, viewer.as_ref()).await
}

#[server(prefix = "/_fn", output = crate::wire::Json)]
pub async fn more_replies(slug: String, thread_id: i64, after: i64) -> Result<RepliesPage, AppError> {
    let state = crate::state::app_state()?;
    let viewer = crate::auth::request::viewer(&state).await?;
    service::more_replies(&state, &slug, thread_id, after, viewer.as_ref()).await
}

/// A page of the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    /// 1-based.
    pub page: i64,
    pub has_more: bool,
}

#[server(prefix = "/_fn")]
pub async fn moderation_queue(page: Option<i64>) -> Result<QueuePage, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    service::queue(&state, &user, page.unwrap_or(1)).await
}

#[server(prefix = "/_fn")]
pub async fn moderate_comment(id: i64, action: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    service::moderate(&state, &user, id, service::Action::parse(&action)?).await?;
    crate::auth::request::redirect_plain_form("/moderation");
    Ok(())
}

#[server(prefix = "/_fn")]
pub async fn ban_user(username: String, banned: bool) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    service::ban(&state, &user, &username, banned).await?;
    crate::auth::request::redirect_plain_form("/moderation");
    Ok(())
}

/// The outcome of posting: the comment, and whether it awaits a moderator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posted {
    pub comment: Comment,
    pub held: bool,
}

#[server(prefix = "/_fn", output = crate::wire::Json)]
pub async fn list_comments(
    slug: String,
    sort: Option<String>,
    cursor: Option<String>,
) -> Result<CommentPage, AppError> {
    let state = crate::state::app_state()?;
    let viewer = crate::auth::request::viewer(&state).await?;
    service::list(&state, &slug, Sort::parse(sort.as_deref())?, cursor.as_deref(), viewer.as_ref()).await
}

#[server(prefix = "/_fn", output = crate::wire::Json)]
pub async fn post_comment(slug: String, body: String, parent_id: Option<i64>) -> Result<Posted, AppError> {
    use crate::auth::request;
    let state = crate::state::app_state()?;
    let back = format!("/articles/{slug}");
    let result = async {
        let user = crate::auth::request::require_viewer(&state).await?;
        service::post(&state, &slug, &user, &body, parent_id).await
    }
    .await;
    match result {
        Ok(posted) => {
            request::redirect_plain_form(&format!("{back}#comment-{}", posted.comment.id));
            Ok(posted)
        }
        Err(err) => Err(request::fail_form(err, &format!("{back}#comment-form"), &[("body", &body)])),
    }
}

#[server(prefix = "/_fn")]
pub async fn edit_comment(id: i64, body: String) -> Result<Comment, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    let (slug, comment) = service::edit(&state, id, &user, &body).await?;
    crate::auth::request::redirect_plain_form(&format!("/articles/{slug}#comment-{id}"));
    Ok(comment)
}

#[server(prefix = "/_fn")]
pub async fn delete_comment(id: i64) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    let slug = service::delete(&state, id, &user).await?;
    crate::auth::request::redirect_plain_form(&format!("/articles/{slug}#comments"));
    Ok(())
}

/// Like, or take the like back when already liked.
#[server(prefix = "/_fn", output = crate::wire::Json)]
pub async fn toggle_like(id: i64) -> Result<(i64, bool), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    let (slug, likes, liked) = service::toggle_like(&state, id, &user).await?;
    crate::auth::request::redirect_plain_form(&format!("/articles/{slug}#comment-{id}"));
    Ok((likes, liked))
}

#[server(prefix = "/_fn")]
pub async fn report_comment(id: i64, reason: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    let slug = service::report(&state, id, &user, &reason).await?;
    crate::auth::request::redirect_plain_form(&format!("/articles/{slug}#comment-{id}"));
    Ok(())
}

pub fn edit_comment_url() -> &'static str {
    use leptos::server_fn::ServerFn;
    EditComment::PATH
}

pub fn delete_comment_url() -> &'static str {
    use leptos::server_fn::ServerFn;
    DeleteComment::PATH
}
