//! Video embeds in article bodies. A line of its own, in one of three forms:
//!
//! ```text
//! @[youtube](VIDEO_ID "Title")      11 characters of A-Z a-z 0-9 _ -
//! @[vimeo](123456789 "Title")       digits
//! @[video](/media/clip.mp4 "Title") a self-hosted .mp4 or .webm under /
//! ```
//!
//! Provider videos render as a light facade (poster, title, play button, a link
//! to the provider); the browser swaps in the player only when the reader
//! activates it, so no third-party request happens before that.

use super::ContentError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    YouTube,
    Vimeo,
    File,
}

impl Provider {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::YouTube => "youtube",
            Self::Vimeo => "vimeo",
            Self::File => "file",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    pub provider: Provider,
    pub source: String,
    pub title: String,
}

/// The local poster shown on every provider facade until the reader plays it.
pub const DEFAULT_POSTER: &str = "/images/video-poster.svg";

/// `Ok(None)` when the line is not an embed; `Err` when it looks like one but is malformed.
pub fn parse_line(line: &str) -> Result<Option<Embed>, ContentError> {
    let line = line.trim();
    let Some(rest) = line.strip_prefix("@[") else { return Ok(None) };
    let err = |m: &str| ContentError::new("body (video embed)", format!("{m} in {line:?}"));
    let (kind, rest) = rest.split_once("](").ok_or_else(|| err("expected @[kind](source \"Title\")"))?;
    let inner = rest.strip_suffix(')').ok_or_else(|| err("missing closing parenthesis"))?;
    let (source, title) = match inner.split_once(' ') {
        Some((s, t)) => (s.trim(), t.trim()),
        None => (inner.trim(), ""),
    };
    let title = title
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .ok_or_else(|| err("the title must be given in double quotes"))?
        .trim();
    if title.is_empty() {
        return Err(err("the title must not be empty"));
    }
    let provider = match kind {
        "youtube" => {
            let ok = source.len() == 11 && source.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok {
                return Err(err("a YouTube id is 11 letters, digits, _ or -"));
            }
            Provider::YouTube
        }
        "vimeo" => {
            if source.is_empty() || source.len() > 12 || !source.chars().all(|c| c.is_ascii_digit()) {
                return Err(err("a Vimeo id is digits only"));
            }
            Provider::Vimeo
        }
        "video" => {
            let local = source.starts_with('/') && !source.starts_with("//") && !source.contains("..");
            if !local || !(source.ends_with(".mp4") || source.ends_with(".webm")) {
                return Err(err("a self-hosted video is a site path ending in .mp4 or .webm"));
            }
            Provider::File
        }
        other => return Err(err(&format!("unknown video kind {other:?} (youtube, vimeo or video)"))),
    };
    Ok(Some(Embed { provider, source: source.to_owned(), title: title.to_owned() }))
}

impl Embed {
    /// Where the video lives on its provider's own site (the no-JavaScript link).
    pub fn watch_url(&self) -> String {
        match self.provider {
            Provider::YouTube => format!("https://www.youtube.com/watch?v={}", self.source),
            Provider::Vimeo => format!("https://vimeo.com/{}", self.source),
            Provider::File => self.source.clone(),
        }
    }

    /// The player the facade turns into once activated.
    pub fn player_url(&self) -> String {
        match self.provider {
            Provider::YouTube => {
                format!("https://www.youtube-nocookie.com/embed/{}?autoplay=1", self.source)
            }
            Provider::Vimeo => format!("https://player.vimeo.com/video/{}?autoplay=1", self.source),
            Provider::File => self.source.clone(),
        }
    }

    pub fn to_html(&self) -> String {
        let title = crate::html::escape(&self.title);
        if self.provider == Provider::File {
            let mime = if self.source.ends_with(".webm") { "video/webm" } else { "video/mp4" };
            return format!(
                "<figure class=\"video\"><div class=\"video-frame\"><video controls preload=\"none\" \
                 poster=\"{DEFAULT_POSTER}\" width=\"1280\" height=\"720\" title=\"{title}\">\
                 <source src=\"{src}\" type=\"{mime}\"></video></div>\
                 <figcaption>{title}</figcaption></figure>",
                src = crate::html::escape(&self.source),
            );
        }
        format!(
            "<figure class=\"video\" data-provider=\"{provider}\"><div class=\"video-frame\">\
             <a class=\"video-facade\" href=\"{watch}\" data-player=\"{player}\" data-title=\"{title}\" \
             rel=\"noopener\" aria-label=\"Play video: {title}\">\
             <img src=\"{DEFAULT_POSTER}\" alt=\"\" width=\"1280\" height=\"720\" loading=\"lazy\" decoding=\"async\">\
             <span class=\"video-play\" aria-hidden=\"true\"></span>\
             <span class=\"video-title\">{title}</span></a></div>\
             <figcaption>{title}</figcaption></figure>",
            provider = self.provider.as_str(),
            watch = crate::html::escape(&self.watch_url()),
            player = crate::html::escape(&self.player_url()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_youtube_vimeo_and_file() {
        let y = parse_line("@[youtube](dQw4w9WgXcQ \"The teaser\")").unwrap().unwrap();
        assert_eq!((y.provider, y.source.as_str(), y.title.as_str()), (Provider::YouTube, "dQw4w9WgXcQ", "The teaser"));
        let v = parse_line("@[vimeo](123456 \"Clip\")").unwrap().unwrap();
        assert_eq!(v.provider, Provider::Vimeo);
        let f = parse_line("  @[video](/media/a.webm \"Clip\")  ").unwrap().unwrap();
        assert_eq!(f.provider, Provider::File);
    }

    #[test]
    fn ordinary_lines_are_not_embeds() {
        assert_eq!(parse_line("Watch the video below!").unwrap(), None);
        assert_eq!(parse_line("email me @ home").unwrap(), None);
    }

    #[test]
    fn malformed_embeds_are_errors() {
        for bad in [
            "@[youtube](short \"t\")",
            "@[youtube](dQw4w9WgXcQ)",
            "@[youtube](dQw4w9WgXcQ \"\")",
            "@[vimeo](12ab \"t\")",
            "@[video](https://evil.example/a.mp4 \"t\")",
            "@[video](/media/a.gif \"t\")",
            "@[tiktok](123 \"t\")",
            "@[youtube](dQw4w9WgXcQ \"t\"",
        ] {
            assert!(parse_line(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn facade_links_to_provider_and_defers_the_player() {
        let html = parse_line("@[youtube](dQw4w9WgXcQ \"A <b>title</b>\")").unwrap().unwrap().to_html();
        assert!(html.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""));
        assert!(html.contains("data-player=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""));
        assert!(!html.contains("<iframe"), "no player before interaction");
        assert!(html.contains("A &lt;b&gt;title&lt;/b&gt;"));
        assert!(html.contains("src=\"/images/video-poster.svg\""));
    }

    #[test]
    fn self_hosted_video_does_not_preload() {
        let html = parse_line("@[video](/media/a.mp4 \"Clip\")").unwrap().unwrap().to_html();
        assert!(html.contains("preload=\"none\""));
        assert!(html.contains("poster="));
    }
}
