//! Splits a content file into its TOML front matter and Markdown body and
//! checks every field.
//!
//! ```text
//! +++
//! slug = "a-slug"
//! headline = "…"
//! author = "…"
//! published = "2026-11-18T09:30:00Z"
//! tags = ["k-drama"]
//! summary = "…"
//! [lead_image]
//! src = "/images/x.svg"   alt = "…"   caption = "…"   credit = "…"   width = 1200   height = 675
//! [promo]                 # optional
//! person = "…"   show = "…"   link = "https://…"
//! +++
//! Markdown body
//! ```

use super::ContentError;
use crate::articles::{Slug, TagName};
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq)]
pub struct ArticleSource {
    pub slug: Slug,
    pub headline: String,
    pub author: String,
    pub published: DateTime<Utc>,
    pub updated: Option<DateTime<Utc>>,
    pub tags: Vec<TagName>,
    pub summary: String,
    pub lead_image: LeadImage,
    pub promo: Option<PromoSource>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadImage {
    pub src: String,
    pub alt: String,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub credit: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromoSource {
    pub person: String,
    pub show: String,
    pub link: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    slug: String,
    headline: String,
    author: String,
    published: String,
    updated: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    summary: String,
    lead_image: LeadImage,
    promo: Option<PromoSource>,
}

const DELIMITER: &str = "+++";

/// Parses a whole content file.
pub fn parse(text: &str) -> Result<ArticleSource, ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != DELIMITER {
        return Err(ContentError::new(
            "front matter",
            "the file must start with a line of +++ opening the TOML front matter",
        ));
    }
    let mut front = String::new();
    let mut closed = false;
    for line in lines.by_ref() {
        if line.trim_end() == DELIMITER {
            closed = true;
            break;
        }
        front.push_str(line);
    }
    if !closed {
        return Err(ContentError::new("front matter", "no closing +++ line after the front matter"));
    }
    let body: String = lines.collect();
    let raw: RawFrontMatter = toml::from_str(&front).map_err(toml_error)?;
    check(raw, body)
}

fn toml_error(err: toml::de::Error) -> ContentError {
    // toml names the missing or mistyped key in its message; keep the first line.
    let message = err.message().lines().next().unwrap_or("invalid TOML").to_owned();
    let field = message.split('`').nth(1).map(str::to_owned).unwrap_or_else(|| "front matter".to_owned());
    ContentError { field, message }
}

fn required(field: &str, value: String, max: usize) -> Result<String, ContentError> {
    let value = value.trim().to_owned();
    if value.is_empty() {
        return Err(ContentError::new(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(ContentError::new(field, format!("must be at most {max} characters")));
    }
    Ok(value)
}

fn timestamp(field: &str, value: &str) -> Result<DateTime<Utc>, ContentError> {
    DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ContentError::new(field, format!("{value:?} is not an RFC 3339 time like 2026-11-18T09:30:00Z")))
}

fn local_path(field: &str, value: &str) -> Result<String, ContentError> {
    if !value.starts_with('/') || value.starts_with("//") || value.contains("..") {
        return Err(ContentError::new(field, "must be a path on this site starting with /"));
    }
    Ok(value.to_owned())
}

fn check(raw: RawFrontMatter, body: String) -> Result<ArticleSource, ContentError> {
    let slug = Slug::parse(&raw.slug).map_err(|m| ContentError::new("slug", m))?;
    let headline = required("headline", raw.headline, 200)?;
    let author = required("author", raw.author, 100)?;
    let summary = required("summary", raw.summary, 300)?;
    let published = timestamp("published", &raw.published)?;
    let updated = raw.updated.as_deref().map(|u| timestamp("updated", u)).transpose()?;
    if updated.is_some_and(|u| u < published) {
        return Err(ContentError::new("updated", "must not be before published"));
    }
    if raw.tags.is_empty() {
        return Err(ContentError::new("tags", "list at least one tag"));
    }
    let mut tags: Vec<TagName> = Vec::new();
    for tag in &raw.tags {
        let tag = TagName::parse(tag).map_err(|m| ContentError::new("tags", m))?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let mut lead_image = raw.lead_image;
    lead_image.src = local_path("lead_image.src", &lead_image.src)?;
    lead_image.alt = required("lead_image.alt", lead_image.alt, 300)
        .map_err(|_| ContentError::new("lead_image.alt", "every image needs alt text describing it"))?;
    if lead_image.width == 0 || lead_image.height == 0 {
        return Err(ContentError::new("lead_image.width", "width and height must be positive"));
    }
    let promo = match raw.promo {
        None => None,
        Some(p) => {
            let person = required("promo.person", p.person, 100)?;
            let show = required("promo.show", p.show, 100)?;
            if !(p.link.starts_with("https://") || p.link.starts_with("http://") || p.link.starts_with('/')) {
                return Err(ContentError::new("promo.link", "must be an http(s) URL or a site path"));
            }
            Some(PromoSource { person, show, link: p.link })
        }
    };
    if body.trim().is_empty() {
        return Err(ContentError::new("body", "the article has no text after the front matter"));
    }
    Ok(ArticleSource { slug, headline, author, published, updated, tags, summary, lead_image, promo, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const GOOD: &str = r#"+++
slug = "night-shoot"
headline = "A Night on Set"
author = "Hana Seo"
published = "2026-11-18T09:30:00Z"
tags = ["k-drama", "behind-the-scenes"]
summary = "The crew worked until dawn."

[lead_image]
src = "/images/night.svg"
alt = "A film set at night"
caption = "The set."
credit = "Spotlight"
width = 1200
height = 675

[promo]
person = "Kang Ji-woo"
show = "Moonlit Harbor"
link = "https://example.com/watch"
+++
The crew *worked* until dawn.
"#;

    fn with(find: &str, replace: &str) -> String {
        assert!(GOOD.contains(find), "fixture lacks {find:?}");
        GOOD.replacen(find, replace, 1)
    }

    #[test]
    fn parses_a_complete_file() {
        let a = parse(GOOD).expect("valid");
        assert_eq!(a.slug.as_str(), "night-shoot");
        assert_eq!(a.tags.len(), 2);
        assert_eq!(a.lead_image.width, 1200);
        assert_eq!(a.promo.as_ref().map(|p| p.show.as_str()), Some("Moonlit Harbor"));
        assert!(a.body.starts_with("The crew"));
    }

    #[test]
    fn missing_field_is_named() {
        let err = parse(&with("headline = \"A Night on Set\"\n", "")).unwrap_err();
        assert_eq!(err.field, "headline", "{err}");
    }

    #[test]
    fn bad_date_names_published() {
        let err = parse(&with("2026-11-18T09:30:00Z", "yesterday")).unwrap_err();
        assert_eq!(err.field, "published");
    }

    #[test]
    fn empty_alt_text_is_refused() {
        let err = parse(&with("alt = \"A film set at night\"", "alt = \"  \"")).unwrap_err();
        assert_eq!(err.field, "lead_image.alt");
    }

    #[test]
    fn bad_slug_is_refused() {
        let err = parse(&with("slug = \"night-shoot\"", "slug = \"Night Shoot!\"")).unwrap_err();
        assert_eq!(err.field, "slug");
    }

    #[test]
    fn unknown_field_is_refused() {
        let err = parse(&with("summary =", "sumary = \"x\"\nsummary =")).unwrap_err();
        assert!(err.message.contains("sumary"), "{err}");
    }

    #[test]
    fn missing_delimiters_are_reported() {
        assert_eq!(parse("no front matter").unwrap_err().field, "front matter");
        let unclosed = GOOD.replace("+++\nThe crew", "The crew");
        assert_eq!(parse(&unclosed).unwrap_err().field, "front matter");
    }

    #[test]
    fn empty_body_is_refused() {
        let cut = GOOD.split("+++\nThe crew").next().unwrap().to_owned() + "+++\n\n";
        assert_eq!(parse(&cut).unwrap_err().field, "body");
    }

    #[test]
    fn external_lead_image_is_refused() {
        let err = parse(&with("/images/night.svg", "https://cdn.example/x.jpg")).unwrap_err();
        assert_eq!(err.field, "lead_image.src");
    }
}
