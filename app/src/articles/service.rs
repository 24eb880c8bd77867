//! Article rules, shared by the pages, the server functions and the JSON API.

use super::{store, Article, ArticleCard, CardPage, Image, Promo, Slug, Stamp, TagName, Video};
use crate::{
    db::Db,
    errors::AppError,
    state::{AppState, Site},
};
use chrono::{DateTime, Utc};

pub fn stamp(unix: i64) -> Stamp {
    let t = DateTime::<Utc>::from_timestamp(unix, 0).unwrap_or_default();
    Stamp { iso: t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), display: t.format("%B %-d, %Y").to_string() }
}

/// A position in a newest-first listing: the last card's time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub published_at: i64,
    pub id: i64,
}

impl Cursor {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        let bad = || AppError::BadRequest("That page link is not valid. Go back to the first page.".into());
        let (t, id) = s.split_once('_').ok_or_else(bad)?;
        Ok(Self { published_at: t.parse().map_err(|_| bad())?, id: id.parse().map_err(|_| bad())? })
    }

    pub fn encode(&self) -> String {
        format!("{}_{}", self.published_at, self.id)
    }
}

pub(crate) fn card(row: store::CardRow) -> ArticleCard {
    ArticleCard {
        slug: row.slug,
        headline: row.headline,
        summary: row.summary,
        author: row.author,
        published: stamp(row.published_at),
        image: Image {
            src: row.lead_image_src,
            alt: row.lead_image_alt,
            width: row.lead_image_width as u32,
            height: row.lead_image_height as u32,
            caption: row.lead_image_caption,
            credit: row.lead_image_credit,
        },
        tags: row.tags.map(|t| t.split(',').map(str::to_owned).collect()).unwrap_or_default(),
        reactions: crate::reactions::ReactionSummary { top: row.top_reaction, total: row.reaction_total },
        comments: row.comment_count,
    }
}

/// Newest first, optionally within one tag; `limit` cards after `cursor`.
pub async fn list(
    db: &Db,
    site: &Site,
    tag: Option<&str>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<CardPage, AppError> {
    let tag = match tag.filter(|t| !t.is_empty()) {
        Some(t) => Some(TagName::parse(t).map_err(|_| AppError::NotFound("There is no such tag.".into()))?),
        None => None,
    };
    let cursor = cursor.filter(|c| !c.is_empty()).map(Cursor::parse).transpose()?;
    let mut rows = store::list_cards(db, tag.as_ref(), cursor, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| Cursor { published_at: r.published_at, id: r.id }.encode())
    } else {
        None
    };
    Ok(CardPage { items: rows.into_iter().map(card).collect(), next_cursor, site_url: site.url.clone() })
}

pub async fn tag_exists(db: &Db, tag: &str) -> Result<bool, AppError> {
    match TagName::parse(tag) {
        Ok(tag) => Ok(store::tag_exists(db, &tag).await?),
        Err(_) => Ok(false),
    }
}

pub async fn by_slug(db: &Db, site: &Site, slug: &str) -> Result<Article, AppError> {
    let not_found =
        || AppError::NotFound("We could not find that article. It may have been moved or taken down.".into());
    let slug = Slug::parse(slug).map_err(|_| not_found())?;
    let row = store::article(db, &slug).await?.ok_or_else(not_found)?;
    let videos = store::videos(db, row.card.id)
        .await?
        .into_iter()
        .map(|(provider, source, title)| Video { provider, source, title })
        .collect();
    let promo = store::promo(db, row.card.id).await?.map(|(person, show, link)| Promo { person, show, link });
    let updated = (row.updated_at > row.card.published_at).then(|| stamp(row.updated_at));
    let url = site.absolute(&format!("/articles/{}", slug.as_str()));
    let live_cursor = crate::live::store::latest_id(db, row.card.id).await?;
    Ok(Article { card: card(row.card), updated, body_html: row.body_html, videos, promo, url, live_cursor })
}

/// The id of the article at `slug`, or a reader-facing 404. Asked several times per
/// article page (reactions, comments, similar articles, the live stream), so it is
/// answered from memory once the slug has been seen.
pub async fn id_of(state: &AppState, slug: &str) -> Result<i64, AppError> {
    if let Some(id) = state.article_ids.get(slug) {
        return Ok(id);
    }
    let not_found = || AppError::NotFound("We could not find that article.".into());
    let parsed = Slug::parse(slug).map_err(|_| not_found())?;
    let id = store::id_by_slug(&state.db, &parsed).await?.ok_or_else(not_found)?;
    state.article_ids.remember(slug, id);
    Ok(id)
}
