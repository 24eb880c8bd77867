//! Article SQL. Portable SQL: see `db::Backend` for where the dialects differ. The only place that knows the tables.

use super::{cursor::Cursor, Slug, TagName};
use crate::db::{now, Backend, Db};

#[derive(Debug, sqlx::FromRow)]
pub struct CardRow {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub summary: String,
    pub author: String,
    pub lead_image_src: String,
    pub lead_image_alt: String,
    pub lead_image_caption: String,
    pub lead_image_credit: String,
    pub lead_image_width: i64,
    pub lead_image_height: i64,
    pub published_at: i64,
    pub tags: Option<String>,
    pub reaction_total: i64,
    pub comment_count: i64,
    pub top_reaction: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct ArticleRow {
    #[sqlx(flatten)]
    pub card: CardRow,
    pub body_html: String,
    pub updated_at: i64,
}

fn card_columns(db: &Db) -> String {
    let string_agg = Backend::of(db).string_agg();
    format!(
        "a.id, a.slug, a.headline, a.summary, au.name AS author, \
         a.lead_image_src, a.lead_image_alt, a.lead_image_caption, a.lead_image_credit, \
         a.lead_image_width, a.lead_image_height, a.published_at, a.comment_count, \
         (SELECT {string_agg}(t.name, ',' ORDER BY at.position) FROM article_tags at \
            JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) AS tags, \
         (SELECT CAST(COALESCE(SUM(rc.count), 0) AS BIGINT) FROM reaction_counts rc WHERE rc.article_id = a.id) \
            AS reaction_total, \
         (SELECT rc.kind FROM reaction_counts rc WHERE rc.article_id = a.id AND rc.count > 0 \
            ORDER BY rc.count DESC, rc.kind LIMIT 1) AS top_reaction"
    )
}

pub async fn list_cards(
    db: &Db,
    tag: Option<&TagName>,
    cursor: Option<Cursor>,
    limit: i64,
) -> Result<Vec<CardRow>, sqlx::Error> {
    let columns = card_columns(db);
    let sql = format!(
        "SELECT {columns} FROM articles a JOIN authors au ON au.id = a.author_id \
         WHERE ($1 IS NULL OR a.id IN (SELECT at.article_id FROM article_tags at \
                JOIN tags t ON t.id = at.tag_id WHERE t.name = $1)) \
           AND ($2 IS NULL OR a.published_at < $2 OR (a.published_at = $2 AND a.id < $3)) \
         ORDER BY a.published_at DESC, a.id DESC LIMIT $4"
    );
    sqlx::query_as(&sql)
        .bind(tag.map(TagName::as_str))
        .bind(cursor.map(|c| c.published_at))
        .bind(cursor.map(|c| c.id))
        .bind(limit)
        .fetch_all(db)
        .await
}

pub async fn tag_exists(db: &Db, tag: &TagName) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM tags t WHERE t.name = $1 AND EXISTS (SELECT 1 FROM article_tags at WHERE at.tag_id = t.id)",
    )
    .bind(tag.as_str())
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

pub async fn article(db: &Db, id: i64) -> Result<Option<ArticleRow>, sqlx::Error> {
    let columns = card_columns(db);
    let sql = format!(
        "SELECT {columns}, a.body_html, a.updated_at FROM articles a \
         JOIN authors au ON au.id = a.author_id WHERE a.id = $1"
    );
    sqlx::query_as(&sql).bind(id).fetch_optional(db).await
}

pub async fn videos(db: &Db, article_id: i64) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT provider, source, title FROM article_media WHERE article_id = $1 ORDER BY position")
        .bind(article_id)
        .fetch_all(db)
        .await
}

pub async fn promo(db: &Db, article_id: i64) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT person, show_title, link FROM promos WHERE article_id = $1")
        .bind(article_id)
        .fetch_optional(db)
        .await
}

/// Every article's slug and last change, for the sitemap and feed.
pub async fn all_slugs(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT slug, updated_at FROM articles ORDER BY published_at DESC, id DESC").fetch_all(db).await
}

pub async fn source_hash(db: &Db, slug: &Slug) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT source_hash FROM articles WHERE slug = $1").bind(slug.as_str()).fetch_optional(db).await
}

/// An article as the importer hands it over: what the tables hold, nothing more.
pub struct NewArticle<'a> {
    pub slug: &'a Slug,
    pub headline: &'a str,
    pub author: &'a str,
    pub summary: &'a str,
    /// Unix seconds.
    pub published: i64,
    pub updated: Option<i64>,
    pub tags: &'a [TagName],
    pub lead_image: NewImage<'a>,
    pub promo: Option<NewPromo<'a>>,
    /// The Markdown source.
    pub markdown: &'a str,
    pub rendered: NewBody<'a>,
    /// Of the source and the renderer, to skip unchanged files.
    pub hash: &'a str,
}

pub struct NewImage<'a> {
    pub src: &'a str,
    pub alt: &'a str,
    pub caption: &'a str,
    pub credit: &'a str,
    pub width: u32,
    pub height: u32,
}

pub struct NewPromo<'a> {
    pub person: &'a str,
    pub show: &'a str,
    pub link: &'a str,
}

pub struct NewBody<'a> {
    pub html: &'a str,
    pub text: &'a str,
    pub embeds: Vec<NewEmbed<'a>>,
}

pub struct NewEmbed<'a> {
    pub provider: &'a str,
    pub source: &'a str,
    pub title: &'a str,
}

/// Inserts or replaces an article with its tags, videos and promo, in one
/// transaction. Returns true when the article is new.
pub async fn upsert_article(db: &Db, source: &NewArticle<'_>) -> Result<bool, sqlx::Error> {
    let (body, hash) = (&source.rendered, source.hash);
    let now = now();
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO authors (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(source.author)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let author_id: i64 =
        sqlx::query_scalar("SELECT id FROM authors WHERE name = $1").bind(source.author).fetch_one(&mut *tx).await?;
    let existed: Option<i64> = sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1")
        .bind(source.slug.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let published = source.published;
    let updated = source.updated.unwrap_or(published);
    let image = &source.lead_image;
    let article_id: i64 = sqlx::query_scalar(
        "INSERT INTO articles (slug, headline, summary, author_id, lead_image_src, lead_image_alt, \
            lead_image_caption, lead_image_credit, lead_image_width, lead_image_height, body_markdown, \
            body_html, body_text, published_at, updated_at, source_hash, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (slug) DO UPDATE SET headline = excluded.headline, summary = excluded.summary, \
            author_id = excluded.author_id, lead_image_src = excluded.lead_image_src, \
            lead_image_alt = excluded.lead_image_alt, lead_image_caption = excluded.lead_image_caption, \
            lead_image_credit = excluded.lead_image_credit, lead_image_width = excluded.lead_image_width, \
            lead_image_height = excluded.lead_image_height, body_markdown = excluded.body_markdown, \
            body_html = excluded.body_html, body_text = excluded.body_text, \
            published_at = excluded.published_at, updated_at = excluded.updated_at, \
            source_hash = excluded.source_hash, imported_at = excluded.imported_at \
         RETURNING id",
    )
    .bind(source.slug.as_str())
    .bind(source.headline)
    .bind(source.summary)
    .bind(author_id)
    .bind(image.src)
    .bind(image.alt)
    .bind(image.caption)
    .bind(image.credit)
    .bind(i64::from(image.width))
    .bind(i64::from(image.height))
    .bind(source.markdown)
    .bind(body.html)
    .bind(body.text)
    .bind(published)
    .bind(updated)
    .bind(hash)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;

    sqlx::query("DELETE FROM article_tags WHERE article_id = $1").bind(article_id).execute(&mut *tx).await?;
    for (position, tag) in source.tags.iter().enumerate() {
        sqlx::query("INSERT INTO tags (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
            .bind(tag.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO article_tags (article_id, tag_id, position) SELECT $1, id, $2 FROM tags WHERE name = $3",
        )
        .bind(article_id)
        .bind(position as i64)
        .bind(tag.as_str())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM article_media WHERE article_id = $1").bind(article_id).execute(&mut *tx).await?;
    for (position, embed) in body.embeds.iter().enumerate() {
        sqlx::query(
            "INSERT INTO article_media (article_id, position, provider, source, title) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(article_id)
        .bind(position as i64)
        .bind(embed.provider)
        .bind(embed.source)
        .bind(embed.title)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM promos WHERE article_id = $1").bind(article_id).execute(&mut *tx).await?;
    if let Some(promo) = &source.promo {
        sqlx::query("INSERT INTO promos (article_id, person, show_title, link) VALUES ($1, $2, $3, $4)")
            .bind(article_id)
            .bind(promo.person)
            .bind(promo.show)
            .bind(promo.link)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(existed.is_none())
}

pub async fn id_by_slug(db: &Db, slug: &Slug) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1").bind(slug.as_str()).fetch_optional(db).await
}

/// Cards for the given ids, in the order given.
pub async fn cards_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<CardRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let json = Backend::id_list(ids);
    let columns = card_columns(db);
    let sql = format!(
        "SELECT {columns} FROM articles a JOIN authors au ON au.id = a.author_id \
         WHERE a.id IN ({ids})",
        ids = Backend::of(db).ids_in("$1")
    );
    let mut rows: Vec<CardRow> = sqlx::query_as(&sql).bind(json).fetch_all(db).await?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

pub async fn headline(db: &Db, id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT headline FROM articles WHERE id = $1").bind(id).fetch_one(db).await
}
