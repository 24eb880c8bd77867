//! Article rules, shared by the pages, the server functions and the JSON API.

use super::{cursor::Cursor, store, Article, ArticleCard, CardPage, Image, Promo, Slug, Stamp, TagName, Video};
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

fn card(row: store::CardRow) -> ArticleCard {
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

/// The article at `slug`, as every reader sees it (shared until its next live event).
pub async fn by_slug(state: &AppState, slug: &str) -> Result<Article, AppError> {
    let id = id_of(state, slug).await.map_err(|e| match e {
        AppError::NotFound(_) => {
            AppError::NotFound("We could not find that article. It may have been moved or taken down.".into())
        }
        other => other,
    })?;
    let article = state.reads.article(id, load(&state.db, &state.site, id)).await?;
    Ok(Article::clone(&article))
}

async fn load(db: &Db, site: &Site, id: i64) -> Result<Article, AppError> {
    let row = store::article(db, id).await?.ok_or(AppError::NotFound("We could not find that article.".into()))?;
    let videos = store::videos(db, row.card.id)
        .await?
        .into_iter()
        .map(|(provider, source, title)| Video { provider, source, title })
        .collect();
    let promo = store::promo(db, row.card.id).await?.map(|(person, show, link)| Promo { person, show, link });
    let updated = (row.updated_at > row.card.published_at).then(|| stamp(row.updated_at));
    let url = site.absolute(&format!("/articles/{}", row.card.slug));
    let live_cursor = crate::live::service::cursor(db, row.card.id).await?;
    Ok(Article { card: card(row.card), updated, body_html: row.body_html, videos, promo, url, live_cursor })
}

/// The id of the article at `slug`, or a reader-facing 404. Asked several times per
/// article page (reactions, comments, similar articles, the live stream), so it is
/// answered from memory once the slug has been seen.
pub async fn headline_of(state: &AppState, article_id: i64) -> Result<String, AppError> {
    Ok(store::headline(&state.db, article_id).await?)
}

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

/// Cards of the articles with these ids (those that exist), in the order given, with their ids.
pub async fn cards_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<(i64, ArticleCard)>, AppError> {
    let rows = store::cards_by_ids(db, ids).await?;
    Ok(rows.into_iter().map(|row| (row.id, card(row))).collect())
}

/// Every article's slug and last change, for the sitemap.
pub async fn all_slugs(db: &Db) -> Result<Vec<(String, i64)>, AppError> {
    Ok(store::all_slugs(db).await?)
}

/// Whether an article's stored source hash is `hash` (the importer skips it then).
pub async fn source_hash(db: &Db, slug: &Slug) -> Result<Option<String>, sqlx::Error> {
    store::source_hash(db, slug).await
}

/// Stores an imported article; true when it is new.
pub async fn upsert(db: &Db, article: &store::NewArticle<'_>) -> Result<bool, sqlx::Error> {
    store::upsert_article(db, article).await
}
