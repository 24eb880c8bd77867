//! Comment bodies: a Markdown subset (paragraphs, emphasis, links, quotes,
//! inline code, lists) rendered once on the server by pulldown-cmark and
//! cleaned by ammonia. Raw HTML never passes; links get rel="nofollow ugc noopener".

use crate::errors::AppError;
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

pub const MAX_CHARS: usize = 5_000;

/// A comment body that passed the rules, with its rendered HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody {
    pub source: String,
    pub html: String,
}

impl CommentBody {
    pub fn parse(source: &str) -> Result<Self, AppError> {
        let source = source.replace("\r\n", "\n");
        let trimmed = source.trim();
        if trimmed.is_empty() {
            return Err(AppError::invalid("body", "Write something before posting."));
        }
        let chars = trimmed.chars().count();
        if chars > MAX_CHARS {
            return Err(AppError::invalid(
                "body",
                format!("Comments can be at most {MAX_CHARS} characters; this one has {chars}."),
            ));
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(AppError::invalid("body", "The comment contains characters that cannot be shown."));
        }
        let html = render(trimmed, &HashSet::new());
        Ok(Self { source: trimmed.to_owned(), html })
    }

    /// Links each `@name` in `known` (lower-case names of readers who exist)
    /// to that reader's profile.
    pub fn link_mentions(mut self, known: &HashSet<String>) -> Self {
        if !known.is_empty() {
            self.html = render(&self.source, known);
        }
        self
    }

    /// The names written as `@name`, outside code and links, lower-cased,
    /// each once, at most `MAX_MENTIONS`.
    pub fn mentioned(&self) -> Vec<String> {
        let mut names = Vec::new();
        for text in prose(&self.source) {
            for piece in split_mentions(&text) {
                if let Piece::Mention(name) = piece {
                    let key = name.to_ascii_lowercase();
                    if !names.contains(&key) && names.len() < MAX_MENTIONS {
                        names.push(key);
                    }
                }
            }
        }
        names
    }

    /// Contains a link (for the new-account hold rule); a mention is not one.
    pub fn has_links(&self) -> bool {
        let lower = self.source.to_lowercase();
        html_has_links(&self.html) || lower.contains("http://") || lower.contains("https://") || lower.contains("www.")
    }

    /// The same text, ignoring case and spacing, for the repeat rule.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let normal: String = self.source.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
        hex::encode(Sha256::digest(normal.as_bytes()))
    }
}

/// At most this many readers are told of one comment's mentions.
pub const MAX_MENTIONS: usize = 5;

/// Whether rendered comment HTML links anywhere but to a reader's profile.
pub fn html_has_links(html: &str) -> bool {
    html.matches("<a ").count() > html.matches(MENTION_LINK).count()
}

/// How a rendered mention starts.
const MENTION_LINK: &str = "<a href=\"/u/";

enum Piece<'a> {
    Text(&'a str),
    Mention(&'a str),
}

/// Splits text at `@name` mentions: `@` at the start or after a character
/// that is not part of a word (so `fan@example.com` is no mention), then 3 to
/// 30 letters, digits or underscores, ending there.
fn split_mentions(text: &str) -> Vec<Piece<'_>> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if c == '@' && !prev.is_some_and(|p| word(p) || p == '@') {
            let name_len = text[i + 1..].chars().take_while(|c| word(*c)).count();
            if (3..=30).contains(&name_len) {
                if start < i {
                    out.push(Piece::Text(&text[start..i]));
                }
                out.push(Piece::Mention(&text[i + 1..i + 1 + name_len]));
                i += 1 + name_len;
                start = i;
                prev = Some('a');
                continue;
            }
        }
        prev = Some(c);
        i += c.len_utf8();
    }
    if start < text.len() {
        out.push(Piece::Text(&text[start..]));
    }
    out
}

/// The text of `source` that is prose: not inside code or a link.
fn prose(source: &str) -> Vec<String> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for event in Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Link { .. } | Tag::CodeBlock(_)) => depth += 1,
            Event::End(TagEnd::Link | TagEnd::CodeBlock) => depth = depth.saturating_sub(1),
            Event::Text(text) if depth == 0 => out.push(text.into_string()),
            _ => {}
        }
    }
    out
}

fn render(source: &str, known: &HashSet<String>) -> String {
    let mut depth = 0usize;
    let events = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH).flat_map(|event| {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::CodeBlock(_)) => depth += 1,
            Event::End(TagEnd::Link | TagEnd::CodeBlock) => depth = depth.saturating_sub(1),
            Event::Text(text) if depth == 0 && !known.is_empty() && text.contains('@') => {
                return with_mentions(text, known);
            }
            _ => {}
        }
        vec![event]
    });
    let parser = events.map(|event| match event {
        // Raw HTML is shown as the text it is.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // Images and headings are not part of the subset: keep their text only.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => Event::Text("".into()),
        Event::Start(Tag::Heading { .. }) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Paragraph),
        other => other,
    });
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, parser);
    clean(&unsafe_html)
}

/// A text event with each known `@name` turned into a link to the profile.
fn with_mentions<'a>(text: &str, known: &HashSet<String>) -> Vec<Event<'a>> {
    split_mentions(text)
        .into_iter()
        .flat_map(|piece| match piece {
            Piece::Mention(name) if known.contains(&name.to_ascii_lowercase()) => vec![
                Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url: format!("/u/{name}").into(),
                    title: "".into(),
                    id: "".into(),
                }),
                Event::Text(format!("@{name}").into()),
                Event::End(TagEnd::Link),
            ],
            Piece::Mention(name) => vec![Event::Text(format!("@{name}").into())],
            Piece::Text(t) => vec![Event::Text(t.to_owned().into())],
        })
        .collect()
}

/// A relative URL survives cleaning only as `/u/<name>`.
fn profile_links_only(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    let name = url.strip_prefix("/u/")?;
    let ok = (3..=30).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some(std::borrow::Cow::Borrowed(url))
}

/// The allow-list sanitiser every rendered comment passes through.
pub fn clean(html: &str) -> String {
    let tags: HashSet<&str> =
        ["p", "br", "em", "strong", "del", "a", "blockquote", "code", "pre", "ul", "ol", "li"].into();
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into();
    ammonia::Builder::default()
        .tags(tags)
        .clean_content_tags(["script", "style", "svg", "math", "iframe", "object", "embed", "template"].into())
        .generic_attributes(HashSet::new())
        .tag_attributes([("a", ["href"].into())].into())
        .url_schemes(schemes)
        // Relative links only to a reader's profile (what a mention is).
        .url_relative(ammonia::UrlRelative::Custom(Box::new(profile_links_only)))
        .link_rel(Some("nofollow ugc noopener"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(s: &str) -> String {
        CommentBody::parse(s).unwrap().html
    }

    #[test]
    fn renders_the_markdown_subset() {
        let out = html("Hello *there* and **you**.\n\n> quoted\n\n- one\n- two\n\n`code` [link](https://example.com)");
        assert!(out.contains("<em>there</em>") && out.contains("<strong>you</strong>"));
        assert!(out.contains("<blockquote>") && out.contains("<ul>") && out.contains("<code>code</code>"));
        assert!(out.contains("<a href=\"https://example.com\" rel=\"nofollow ugc noopener\">link</a>"), "{out}");
    }

    #[test]
    fn xss_attempts_render_harmless() {
        let attacks = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<svg onload=alert(1)><circle/></svg>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div onmouseover=\"alert(1)\">hover</div>",
            "<b><i>unclosed <script>alert(1)",
            "<<script>script>alert(1)<</script>/script>",
            "[x](https://ok.example \"title\" onclick=alert(1))",
            "![img](javascript:alert(1))",
            "<style>body{display:none}</style>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<p style=\"background:url(javascript:alert(1))\">styled</p>",
        ];
        for attack in attacks {
            let out = html(attack);
            let lower = out.to_lowercase();
            // Escaped text may mention anything; only the tags produced matter.
            let tags: Vec<&str> = lower.split('<').skip(1).map(|t| t.split('>').next().unwrap_or_default()).collect();
            for tag in tags {
                let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or_default();
                assert!(
                    ["p", "em", "strong", "del", "a", "blockquote", "code", "pre", "ul", "ol", "li", "br"]
                        .contains(&name),
                    "{attack:?} produced <{tag}>"
                );
                for bad in ["on", "javascript:", "data:", "style", "src"] {
                    let attrs = tag.split_once(' ').map(|(_, a)| a).unwrap_or_default();
                    let offending = attrs
                        .split_whitespace()
                        .any(|a| a.starts_with(bad) || a.contains("javascript:") || a.contains("data:"));
                    assert!(!offending, "{attack:?} produced <{tag}> with {bad}");
                }
            }
        }
    }

    #[test]
    fn mentions_of_known_readers_link_to_their_profiles() {
        let known: HashSet<String> = ["mina_k".to_owned(), "jun".to_owned()].into();
        let body =
            CommentBody::parse("@Mina_K agreed, and @nobody_here too; mail fan@jun.example or `@jun`. Bye @jun!")
                .unwrap();
        assert_eq!(body.mentioned(), vec!["mina_k", "nobody_here", "jun"]);
        let out = body.link_mentions(&known).html;
        assert!(out.contains("<a href=\"/u/Mina_K\" rel=\"nofollow ugc noopener\">@Mina_K</a>"), "{out}");
        assert!(out.contains("@nobody_here") && !out.contains("/u/nobody_here"), "unknown names stay text: {out}");
        assert!(out.contains("fan@jun.example") && out.contains("<code>@jun</code>"), "{out}");
        assert!(out.contains("Bye <a href=\"/u/jun\" rel=\"nofollow ugc noopener\">@jun</a>!"), "{out}");
        assert!(!body_with_links_only_mentions().has_links(), "a mention is not a link");
    }

    fn body_with_links_only_mentions() -> CommentBody {
        CommentBody::parse("thanks @mina_k").unwrap().link_mentions(&["mina_k".to_owned()].into())
    }

    #[test]
    fn only_profile_paths_survive_as_relative_links() {
        let out = html("[me](/u/mina_k) [admin](/moderation) [up](../x) [js](/u/a%22onclick)");
        assert!(out.contains("href=\"/u/mina_k\""), "{out}");
        assert!(!out.contains("/moderation") && !out.contains("../x") && !out.contains("onclick="), "{out}");
    }

    #[test]
    fn raw_html_shows_as_text() {
        assert!(html("I <3 <b>this</b>").contains("&lt;b&gt;this&lt;/b&gt;"));
    }

    #[test]
    fn length_rules() {
        assert_eq!(CommentBody::parse("   \n ").unwrap_err().field(), Some("body"));
        assert!(CommentBody::parse(&"a".repeat(5_000)).is_ok());
        assert!(CommentBody::parse(&"a".repeat(5_001)).is_err());
        assert!(CommentBody::parse("bell\u{7}").is_err());
    }

    #[test]
    fn repeats_are_recognised_despite_case_and_spacing() {
        let a = CommentBody::parse("Great   episode!").unwrap();
        let b = CommentBody::parse("great episode!").unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert!(CommentBody::parse("see https://x.example").unwrap().has_links(), "bare URLs count");
        assert!(!CommentBody::parse("no links here").unwrap().has_links());
        assert!(CommentBody::parse("[x](https://x.example)").unwrap().has_links());
    }
}
