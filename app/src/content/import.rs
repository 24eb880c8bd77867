//! Imports a folder of content files, idempotently: an unchanged file changes
//! nothing, an edited one updates its article, nothing is duplicated, and a
//! malformed file is reported (path + field) without stopping the others.

use super::{front_matter, markdown, ContentError};
use crate::{
    articles::{
        service as articles,
        store::{NewArticle, NewBody, NewEmbed, NewImage, NewPromo},
    },
    db::Db,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Bump when the rendering of bodies changes, so every article is re-rendered.
const RENDERER_VERSION: &str = "3";

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failed: Vec<ImportFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFailure {
    pub path: PathBuf,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.path.display(), self.field, self.message)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Imports every `*.md` file in `dir` (sorted by name). `public_dir` is where
/// images referenced by the articles must exist.
pub async fn import_dir(db: &Db, dir: &Path, public_dir: &Path) -> std::io::Result<ImportReport> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    let mut report = ImportReport::default();
    for path in files {
        match import_file(db, &path, public_dir).await {
            Ok(Outcome::Created) => report.created += 1,
            Ok(Outcome::Updated) => report.updated += 1,
            Ok(Outcome::Unchanged) => report.unchanged += 1,
            Err(err) => {
                tracing::warn!(path = %path.display(), field = %err.field, "content file skipped: {}", err.message);
                report.failed.push(ImportFailure { path, field: err.field, message: err.message });
            }
        }
    }
    Ok(report)
}

pub async fn import_file(db: &Db, path: &Path, public_dir: &Path) -> Result<Outcome, ContentError> {
    let bytes = std::fs::read(path).map_err(|e| ContentError::new("file", format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| ContentError::new("file", "is not valid UTF-8"))?;
    import_text(db, &text, Some(path), public_dir).await
}

pub async fn import_text(db: &Db, text: &str, path: Option<&Path>, public_dir: &Path) -> Result<Outcome, ContentError> {
    let source = front_matter::parse(text)?;
    if let Some(stem) = path.and_then(|p| p.file_stem()).and_then(|s| s.to_str()) {
        if stem != source.slug.as_str() {
            return Err(ContentError::new(
                "slug",
                format!("{:?} must match the file name {stem:?}", source.slug.as_str()),
            ));
        }
    }
    let hash = hex::encode(Sha256::new().chain_update(RENDERER_VERSION).chain_update(text).finalize());
    if articles::source_hash(db, &source.slug).await.map_err(db_error)?.as_deref() == Some(hash.as_str()) {
        return Ok(Outcome::Unchanged);
    }
    if image_size(public_dir, &source.lead_image.src).is_none() {
        return Err(ContentError::new(
            "lead_image.src",
            format!("{} was not found under {}", source.lead_image.src, public_dir.display()),
        ));
    }
    let sizes = |src: &str| image_size(public_dir, src);
    let body = markdown::render(&source.body, &sizes)?;
    for embed in body.embeds.iter().filter(|e| e.provider == super::embeds::Provider::File) {
        if !public_dir.join(embed.source.trim_start_matches('/')).is_file() {
            return Err(ContentError::new(
                "body (video embed)",
                format!("{} was not found under {}", embed.source, public_dir.display()),
            ));
        }
    }
    let image = &source.lead_image;
    let article = NewArticle {
        slug: &source.slug,
        headline: &source.headline,
        author: &source.author,
        summary: &source.summary,
        published: source.published.timestamp(),
        updated: source.updated.map(|u| u.timestamp()),
        tags: &source.tags,
        lead_image: NewImage {
            src: &image.src,
            alt: &image.alt,
            caption: &image.caption,
            credit: &image.credit,
            width: image.width,
            height: image.height,
        },
        promo: source.promo.as_ref().map(|p| NewPromo { person: &p.person, show: &p.show, link: &p.link }),
        markdown: &source.body,
        rendered: NewBody {
            html: &body.html,
            text: &body.text,
            embeds: body
                .embeds
                .iter()
                .map(|e| NewEmbed { provider: e.provider.as_str(), source: &e.source, title: &e.title })
                .collect(),
        },
        hash: &hash,
    };
    let created = articles::upsert(db, &article).await.map_err(db_error)?;
    Ok(if created { Outcome::Created } else { Outcome::Updated })
}

fn db_error(err: sqlx::Error) -> ContentError {
    tracing::error!(error = %err, "database error during import");
    ContentError::new("database", "could not store the article")
}

/// The pixel size of a local image: SVG `width`/`height` attributes or a PNG header.
pub fn image_size(public_dir: &Path, src: &str) -> Option<(u32, u32)> {
    let rel = src.strip_prefix('/')?;
    if rel.contains("..") {
        return None;
    }
    let path = public_dir.join(rel);
    let bytes = std::fs::read(&path).ok()?;
    // PNG, JPEG, WebP, AVIF, GIF… from their headers; SVG below, from its attributes.
    if let Ok(size) = imagesize::blob_size(&bytes) {
        return Some((u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?));
    }
    let text = std::str::from_utf8(&bytes).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| -> Option<u32> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let value = &tag[at..at + tag[at..].find('"')?];
        value.trim_end_matches("px").parse::<f32>().ok().map(|v| v.round() as u32)
    };
    Some((attr("width")?, attr("height")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = r#"+++
slug = "first-look"
headline = "First Look"
author = "Mina Park"
published = "2026-11-01T08:00:00Z"
tags = ["k-drama", "casting"]
summary = "A first look at the cast."

[lead_image]
src = "/images/lead.svg"
alt = "The cast on stage"
width = 1200
height = 675
+++
The cast gathered for the first script reading.

![The director](/images/inline.svg "Director at work")

@[youtube](abcdefghijk "Teaser")
"#;

    struct Fixture {
        db: Db,
        dir: tempfile::TempDir,
    }

    async fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("public/images")).unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675"></svg>"#;
        std::fs::write(root.join("public/images/lead.svg"), svg).unwrap();
        std::fs::write(root.join("public/images/inline.svg"), svg.replace("1200", "640").replace("675", "360"))
            .unwrap();
        let db = crate::db::connect(&format!("sqlite://{}", root.join("test.db").display())).await.unwrap();
        Fixture { db, dir }
    }

    impl Fixture {
        fn write(&self, name: &str, text: &str) {
            std::fs::write(self.dir.path().join("content").join(name), text).unwrap();
        }
        async fn import(&self) -> ImportReport {
            import_dir(&self.db, &self.dir.path().join("content"), &self.dir.path().join("public")).await.unwrap()
        }
        async fn count(&self, table: &str) -> i64 {
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.db).await.unwrap()
        }
    }

    #[tokio::test]
    async fn import_is_idempotent_and_picks_up_edits() {
        let f = fixture().await;
        f.write("first-look.md", ARTICLE);
        let first = f.import().await;
        assert_eq!((first.created, first.updated, first.unchanged), (1, 0, 0), "{first:?}");
        let again = f.import().await;
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 1));
        assert_eq!(f.count("articles").await, 1);
        assert_eq!(f.count("article_tags").await, 2);
        assert_eq!(f.count("article_media").await, 1);

        f.write(
            "first-look.md",
            &ARTICLE.replace("First Look\"", "First Look, Updated\"").replace("\"casting\"", "\"interview\""),
        );
        let edited = f.import().await;
        assert_eq!((edited.created, edited.updated), (0, 1));
        let headline: String = sqlx::query_scalar("SELECT headline FROM articles").fetch_one(&f.db).await.unwrap();
        assert_eq!(headline, "First Look, Updated");
        assert_eq!(f.count("articles").await, 1);
        assert_eq!(f.count("article_tags").await, 2, "tags replaced, not added");
    }

    #[tokio::test]
    async fn malformed_file_is_reported_and_others_still_import() {
        let f = fixture().await;
        f.write("first-look.md", ARTICLE);
        f.write(
            "broken.md",
            &ARTICLE
                .replace("slug = \"first-look\"", "slug = \"broken\"")
                .replace("published = \"2026-11-01T08:00:00Z\"", "published = \"soon\""),
        );
        f.write(
            "no-alt.md",
            &ARTICLE.replace("slug = \"first-look\"", "slug = \"no-alt\"").replace("![The director]", "![]"),
        );
        f.write("wrong-name.md", ARTICLE);
        let report = f.import().await;
        assert_eq!(report.created, 1);
        let failed: Vec<(String, String)> = report
            .failed
            .iter()
            .map(|x| (x.path.file_name().unwrap().to_string_lossy().into_owned(), x.field.clone()))
            .collect();
        assert_eq!(
            failed,
            [
                ("broken.md".to_owned(), "published".to_owned()),
                ("no-alt.md".to_owned(), "body (image)".to_owned()),
                ("wrong-name.md".to_owned(), "slug".to_owned()),
            ]
        );
        assert_eq!(f.count("articles").await, 1);
    }

    #[tokio::test]
    async fn missing_lead_image_names_the_field() {
        let f = fixture().await;
        f.write("first-look.md", &ARTICLE.replace("/images/lead.svg", "/images/nope.svg"));
        let report = f.import().await;
        assert_eq!(report.failed.len(), 1);
        assert_eq!(report.failed[0].field, "lead_image.src");
    }

    #[tokio::test]
    async fn missing_self_hosted_video_is_reported_and_a_present_one_imports() {
        let f = fixture().await;
        let with_clip =
            ARTICLE.replace("@[youtube](abcdefghijk \"Teaser\")", "@[video](/media/clip.mp4 \"Rehearsal\")");
        f.write("first-look.md", &with_clip);
        let report = f.import().await;
        assert_eq!(report.failed.len(), 1);
        assert_eq!(report.failed[0].field, "body (video embed)");
        assert!(report.failed[0].message.contains("/media/clip.mp4"), "{}", report.failed[0].message);
        std::fs::create_dir_all(f.dir.path().join("public/media")).unwrap();
        std::fs::write(f.dir.path().join("public/media/clip.mp4"), b"\0\0\0\x18ftypmp42").unwrap();
        let report = f.import().await;
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        assert_eq!(report.created, 1);
    }

    #[test]
    fn reads_svg_png_jpeg_and_webp_sizes() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        std::fs::write(
            dir.join("a.svg"),
            "<?xml version=\"1.0\"?>\n<svg width=\"320px\" height=\"180\" xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .unwrap();
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        std::fs::write(dir.join("b.png"), png).unwrap();
        // A baseline JPEG: start of image, then a start-of-frame segment with height and width.
        let jpeg = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x02, 0xD0, 0x05, 0x00, 0x03, 0x01, 0x22, 0x00];
        std::fs::write(dir.join("c.jpg"), jpeg).unwrap();
        // An extended WebP (VP8X): canvas width - 1 and height - 1, 24 bits each, little-endian.
        let mut webp = b"RIFF\x16\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp.extend_from_slice(&[0x7F, 0x07, 0x00, 0x37, 0x04, 0x00]);
        std::fs::write(dir.join("d.webp"), webp).unwrap();
        assert_eq!(image_size(dir, "/a.svg"), Some((320, 180)));
        assert_eq!(image_size(dir, "/b.png"), Some((640, 480)));
        assert_eq!(image_size(dir, "/c.jpg"), Some((1280, 720)));
        assert_eq!(image_size(dir, "/d.webp"), Some((1920, 1080)));
        assert_eq!(image_size(dir, "/../etc/passwd"), None);
    }
}
