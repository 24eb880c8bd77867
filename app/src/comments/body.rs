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
        let html = render(trimmed);
        Ok(Self { source: trimmed.to_owned(), html })
    }

    /// Contains a link (for the new-account hold rule).
    pub fn has_links(&self) -> bool {
        let lower = self.source.to_lowercase();
        self.html.contains("<a ") || lower.contains("http://") || lower.contains("https://") || lower.contains("www.")
    }

    /// The same text, ignoring case and spacing, for the repeat rule.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let normal: String = self.source.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
        hex::encode(Sha256::digest(normal.as_bytes()))
    }
}

fn render(source: &str) -> String {
    let parser = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
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
        .url_relative(ammonia::UrlRelative::Deny)
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
