//! Articles: what readers come for. The types here cross the wire; the
//! service and store (server only) decide and fetch.

pub mod body_in_page;
pub mod conversation;
#[cfg(feature = "ssr")]
pub mod cursor;
#[cfg(feature = "ssr")]
mod ids;
mod names;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use ids::ArticleIds;
pub use names::{tag_label, Slug, TagName};

use crate::errors::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many cards a listing page shows.
pub const PAGE_SIZE: i64 = 12;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Stamp {
    /// RFC 3339, for `<time datetime>` and JSON.
    pub iso: String,
    /// "November 18, 2026", for readers.
    pub display: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub credit: String,
}

/// An article as listed on the home, tag and search pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleCard {
    pub slug: String,
    pub headline: String,
    pub summary: String,
    pub author: String,
    pub published: Stamp,
    pub image: Image,
    pub tags: Vec<String>,
    /// Leading reaction and total, shown on cards.
    pub reactions: crate::reactions::ReactionSummary,
    /// Visible comments.
    pub comments: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Promo {
    pub person: String,
    pub show: String,
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Video {
    pub provider: String,
    pub source: String,
    pub title: String,
}

/// A whole article, as on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Article {
    #[serde(flatten)]
    pub card: ArticleCard,
    pub updated: Option<Stamp>,
    /// Rendered at import from editorial Markdown (raw HTML is escaped there).
    pub body_html: String,
    pub videos: Vec<Video>,
    pub promo: Option<Promo>,
    pub url: String,
    /// The newest live event id when the page was made: the stream resumes after it.
    pub live_cursor: i64,
}

/// One page of a listing, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CardPage {
    pub items: Vec<ArticleCard>,
    /// Pass back as `cursor` for the next (older) page.
    pub next_cursor: Option<String>,
    /// Public base URL of the site, for canonical links.
    pub site_url: String,
}

/// Listing for the home page (`tag` = None) or a tag page.
#[server(prefix = "/_fn")]
pub async fn list_articles(tag: Option<String>, cursor: Option<String>) -> Result<CardPage, AppError> {
    let state = crate::state::app_state()?;
    service::list(&state.db, &state.site, tag.as_deref(), cursor.as_deref(), PAGE_SIZE).await
}

#[server(prefix = "/_fn")]
pub async fn get_article(slug: String) -> Result<Article, AppError> {
    let state = crate::state::app_state()?;
    service::by_slug(&state, &slug).await
}
