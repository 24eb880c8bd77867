//! The parts of an article page that are a signed-in reader's own.
//!
//! An article page looks the same to every reader but in two places: the
//! header's account links, and the conversation island (the reader's pick,
//! their likes, what they may do with each comment, the comment box). So a
//! signed-in reader's page is the anonymous page the server keeps anyway,
//! with those two parts rendered for the reader and written in its place
//! (the server's `reader_pages`). Both are rendered here by the same
//! components, from the same server functions, as in a whole page: a test
//! compares the two pages byte for byte.

use super::article::{comments_for, CommentsQuery};
use crate::{
    articles::{conversation::Conversation, get_article},
    auth::{whoami, FormFlash},
    components::header::SignedIn,
    errors::AppError,
    in_page::InPageProp,
    reactions::get_reactions,
    state::AppState,
};
use leptos::{
    prelude::*,
    reactive::{computed::ScopedFuture, owner::Owner},
};
use std::sync::Arc;

/// A reader's own parts of one article page, as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderParts {
    /// What goes inside the header's `<div class="site-account">`.
    pub account: String,
    /// The whole `<leptos-island>` of the conversation.
    pub conversation: String,
}

/// The parts of `slug`'s page for the reader of the request `parts`; `None`
/// when the request has no live session (its page is then rendered whole).
/// Runs the queries a whole page runs for its reader: the session, their
/// pick and their likes (the article's own data are kept in memory).
pub async fn reader_parts(
    state: AppState,
    parts: http::request::Parts,
    slug: String,
    query: CommentsQuery,
) -> Result<Option<ReaderParts>, AppError> {
    let context = Arc::new(hydration_context::SsrSharedContext::new());
    let owner = Owner::new_root(Some(context));
    owner.with(|| {
        provide_context(state);
        provide_context(parts);
    });
    let load = async move {
        let Some(user) = whoami().await? else { return Ok(None) };
        let article = get_article(slug.clone()).await?;
        // As the page does: a part that cannot be read is shown empty, not as an error.
        let reactions = get_reactions(slug.clone()).await.unwrap_or_default();
        let comments = comments_for(slug.clone(), query).await.unwrap_or_default();
        Ok::<_, AppError>(Some((user, article.live_cursor, slug, reactions, comments)))
    };
    let Some((user, live_cursor, slug, reactions, comments)) = owner.with(|| ScopedFuture::new(load)).await? else {
        return Ok(None);
    };
    let html = owner.with(|| {
        let account = view! { <SignedIn user=user.clone() /> }.to_html();
        let conversation = view! {
            <Conversation
                slug
                live_cursor
                reactions
                comments=InPageProp(comments)
                user=Some(user)
                flash=FormFlash::default()
            />
        }
        .to_html();
        ReaderParts { account, conversation }
    });
    owner.unset();
    Ok(Some(html))
}
