//! Renders an article body (editorial Markdown) to HTML.
//!
//! Raw HTML in the source is shown as text, never passed through. A paragraph
//! holding only an image becomes a `<figure>` with its title as caption; every
//! image gets width and height (so nothing shifts) and lazy loading. Embed
//! lines (see `embeds`) become video facades.

use super::{
    embeds::{self, Embed},
    ContentError,
};
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedBody {
    pub html: String,
    /// The words of the body, for search and for snippets.
    pub text: String,
    pub embeds: Vec<Embed>,
}

/// Looks up an image's intrinsic size by its site path; `None` if there is no such image.
pub type ImageSizes<'a> = &'a dyn Fn(&str) -> Option<(u32, u32)>;

pub fn render(markdown: &str, image_size: ImageSizes) -> Result<RenderedBody, ContentError> {
    let mut html = String::new();
    let mut text = String::new();
    let mut embeds = Vec::new();
    let mut chunk = String::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let embed = if in_fence { None } else { embeds::parse_line(line)? };
        match embed {
            Some(embed) => {
                render_markdown(&chunk, image_size, &mut html, &mut text)?;
                chunk.clear();
                html.push_str(&embed.to_html());
                embeds.push(embed);
            }
            None => {
                chunk.push_str(line);
                chunk.push('\n');
            }
        }
    }
    render_markdown(&chunk, image_size, &mut html, &mut text)?;
    Ok(RenderedBody { html, text: text.split_whitespace().collect::<Vec<_>>().join(" "), embeds })
}

fn render_markdown(
    source: &str,
    image_size: ImageSizes,
    html_out: &mut String,
    text_out: &mut String,
) -> Result<(), ContentError> {
    if source.trim().is_empty() {
        return Ok(());
    }
    let events: Vec<Event> = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH).collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Html(raw) | Event::InlineHtml(raw) => {
                out.push(Event::Text(raw.clone()));
                i += 1;
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let (alt, next) = collect_alt(&events, i + 1);
                let alone = matches!(events.get(i.wrapping_sub(1)), Some(Event::Start(Tag::Paragraph)))
                    && matches!(events.get(next), Some(Event::End(TagEnd::Paragraph)));
                let img = image_html(dest_url, &alt, image_size)?;
                if alone {
                    out.pop(); // the paragraph start
                    let caption = if title.is_empty() {
                        String::new()
                    } else {
                        format!("<figcaption>{}</figcaption>", crate::html::escape(title))
                    };
                    out.push(Event::Html(CowStr::from(format!("<figure>{img}{caption}</figure>"))));
                    i = next + 1;
                } else {
                    out.push(Event::InlineHtml(CowStr::from(img)));
                    i = next;
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if is_unsafe_link(dest_url) => {
                return Err(ContentError::new("body", format!("link {dest_url:?} is not http(s) or a site path")));
            }
            event => {
                if let Event::Text(t) | Event::Code(t) = event {
                    text_out.push_str(t);
                    text_out.push(' ');
                }
                out.push(event.clone());
                i += 1;
            }
        }
    }
    html::push_html(html_out, out.into_iter());
    Ok(())
}

fn is_unsafe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    !(lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with('/')
        || lower.starts_with('#')
        || lower.starts_with("mailto:"))
}

/// Reads the alt text of an image: the text events up to its end tag.
fn collect_alt(events: &[Event], mut i: usize) -> (String, usize) {
    let mut alt = String::new();
    while let Some(event) = events.get(i) {
        match event {
            Event::End(TagEnd::Image) => return (alt, i + 1),
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => {}
        }
        i += 1;
    }
    (alt, i)
}

fn image_html(src: &str, alt: &str, image_size: ImageSizes) -> Result<String, ContentError> {
    if alt.trim().is_empty() {
        return Err(ContentError::new("body (image)", format!("image {src} needs alt text: ![what it shows]({src})")));
    }
    if !src.starts_with('/') || src.starts_with("//") || src.contains("..") {
        return Err(ContentError::new("body (image)", format!("image {src} must be a local path under /")));
    }
    let (width, height) = image_size(src)
        .ok_or_else(|| ContentError::new("body (image)", format!("image {src} was not found under public/")))?;
    Ok(format!(
        "<img src=\"{}\" alt=\"{}\" width=\"{width}\" height=\"{height}\" loading=\"lazy\" decoding=\"async\">",
        crate::html::escape(src),
        crate::html::escape(alt.trim())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(path: &str) -> Option<(u32, u32)> {
        (path == "/images/a.svg").then_some((800, 450))
    }

    fn render_ok(md: &str) -> RenderedBody {
        render(md, &sizes).expect("renders")
    }

    #[test]
    fn renders_paragraphs_headings_and_quotes() {
        let out = render_ok("Hello *world*.\n\n## Part two\n\n> \"Quote\" — Someone\n");
        assert!(out.html.contains("<p>Hello <em>world</em>.</p>"));
        assert!(out.html.contains("<h2>Part two</h2>"));
        assert!(out.html.contains("<blockquote>"));
        assert_eq!(out.text, "Hello world . Part two \"Quote\" — Someone");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let out = render_ok("Hi <script>alert(1)</script>\n\n<div onclick=x>block</div>\n");
        assert!(!out.html.contains("<script"));
        assert!(!out.html.contains("<div"));
        assert!(out.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn lone_image_becomes_figure_with_size_and_caption() {
        let out = render_ok("![Two actors](/images/a.svg \"On set\")\n");
        assert!(out.html.contains(
            "<figure><img src=\"/images/a.svg\" alt=\"Two actors\" width=\"800\" height=\"450\" loading=\"lazy\""
        ));
        assert!(out.html.contains("<figcaption>On set</figcaption></figure>"));
        assert!(!out.html.contains("<p><figure>"));
    }

    #[test]
    fn image_without_alt_or_file_is_an_error() {
        assert!(render("![](/images/a.svg)\n", &sizes).unwrap_err().message.contains("alt text"));
        assert!(render("![x](/images/missing.svg)\n", &sizes).unwrap_err().message.contains("not found"));
        assert!(render("![x](https://hotlink.example/a.png)\n", &sizes).is_err());
    }

    #[test]
    fn javascript_links_are_refused() {
        assert!(render("[x](javascript:alert(1))\n", &sizes).is_err());
    }

    #[test]
    fn embeds_are_collected_in_order_and_code_fences_are_left_alone() {
        let md = "Watch the video below!\n\n@[youtube](dQw4w9WgXcQ \"One\")\n\nMore.\n\n```\n@[vimeo](1 \"not an embed\")\n```\n\n@[vimeo](42 \"Two\")\n";
        let out = render_ok(md);
        let titles: Vec<_> = out.embeds.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two"]);
        assert!(out.html.contains("video-facade"));
        assert!(
            out.html.contains("@[vimeo](1 &quot;not an embed&quot;)")
                || out.html.contains("@[vimeo](1 \"not an embed\")")
        );
    }
}
