//! Search, similar articles, feeds and metadata: how stories are found.

use crate::helpers::spawn_app;
use serde_json::Value;

#[tokio::test]
async fn search_finds_words_in_headlines_and_bodies_with_highlights() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/search?q=lantern").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>"), "highlighted snippet");
    assert!(html.contains("stories match") || html.contains("1 story matches"));
    let (_, none) = app.get_text("/search?q=zzzyyyxxx").await;
    assert!(none.contains("Nothing matched"));
}

#[tokio::test]
async fn odd_search_queries_give_a_page_never_a_500() {
    let app = spawn_app().await;
    let long = "a".repeat(5_000);
    for q in [
        "",
        "%22",
        "\"unbalanced",
        "AND OR NOT",
        "headline:%20x",
        "*",
        "NEAR(a b)",
        "%00%07%1b",
        "'; DROP TABLE articles; --",
        "<script>alert(1)</script>",
        "</title><script>alert(1)</script>",
        "강지우",
        long.as_str(),
    ] {
        let (status, html) = app.get_text(&format!("/search?q={q}")).await;
        assert_eq!(status, 200, "q={}", &q[..q.len().min(40)]);
        assert!(!html.contains("<script>alert(1)</script>"));
    }
    assert_eq!(app.get_text("/search?q=lantern&page=99999").await.0, 200);
    assert_eq!(app.get_text("/search?q=lantern&page=-3").await.0, 200);
}

#[tokio::test]
async fn similar_articles_share_tags_and_never_include_the_article_itself() {
    let app = spawn_app().await;
    let list: Value = app.get("/api/v1/articles?tag=moonlit-harbor").await.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert!(items.len() >= 2);
    let slug = items[0]["slug"].as_str().unwrap();
    let similar = app::search::service::similar(&app.state, slug, 4).await.unwrap();
    assert!(!similar.is_empty() && similar.len() <= 4);
    assert!(similar.iter().all(|c| c.slug != slug));
    assert!(
        similar[0].tags.iter().any(|t| t == "moonlit-harbor"),
        "the best match shares the show's tag: {:?}",
        similar[0]
    );
    let again = app::search::service::similar(&app.state, slug, 4).await.unwrap();
    assert_eq!(similar, again, "a stable order");
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("Similar Articles"));
}

#[tokio::test]
async fn promo_block_invites_readers_to_watch_the_show() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/articles/kang-ji-woo-fan-meeting-tour").await;
    assert_eq!(status, 200);
    let promo = html.split("class=\"promo\">").nth(1).expect("a promo block").split("</aside>").next().unwrap();
    assert!(
        promo.contains("Also check out <strong>Kang Ji-woo</strong> in <em>Moonlit Harbor</em>:</p>"),
        "the promo sentence, with its colon right after the show: {promo}"
    );
    assert!(promo.contains("href=\"https://www.example.com/watch/moonlit-harbor\""), "links to the show");
    assert!(promo.contains("Watch Now"));
}

#[tokio::test]
async fn articles_carry_open_graph_twitter_and_json_ld() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    for needle in ["property=\"og:title\"", "property=\"og:image\"", "name=\"twitter:card\"", "application/ld+json"] {
        assert!(html.contains(needle), "{needle}");
    }
    let script = html.split("<script type=\"application/ld+json\"").nth(1).unwrap();
    let json = script.split_once('>').unwrap().1.split("</script>").next().unwrap();
    let ld: Value = serde_json::from_str(json).expect("valid JSON-LD");
    assert_eq!(ld["@type"], "NewsArticle");
    assert!(ld["image"][0].as_str().unwrap().starts_with("http"));
    assert!(ld["datePublished"].as_str().unwrap().ends_with('Z'));
    assert_eq!(ld["publisher"]["name"], "Spotlight");
}

#[tokio::test]
async fn feed_and_sitemap_parse_as_xml() {
    let app = spawn_app().await;
    let (_, feed) = app.get_text("/feed.xml").await;
    let doc = roxmltree::Document::parse(&feed).expect("feed is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let entries: Vec<_> = root.children().filter(|n| n.has_tag_name("entry")).collect();
    assert!(entries.len() >= 12);
    for entry in &entries {
        for child in ["title", "id", "updated", "link", "author"] {
            assert!(entry.children().any(|n| n.has_tag_name(child)), "entry has {child}");
        }
    }
    let (_, sitemap) = app.get_text("/sitemap.xml").await;
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap is XML");
    let locs: Vec<String> =
        doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text().map(str::to_owned)).collect();
    assert!(locs.iter().all(|l| l.starts_with(&app.address)));
    assert!(locs.iter().any(|l| l.contains("/articles/")));
}

#[tokio::test]
async fn every_image_has_width_and_height() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    for path in ["/".to_owned(), format!("/articles/{slug}")] {
        let (_, html) = app.get_text(&path).await;
        for img in html.split("<img").skip(1) {
            let tag = img.split('>').next().unwrap();
            assert!(tag.contains("width=") && tag.contains("height="), "{path}: <img{tag}>");
        }
    }
}

#[tokio::test]
async fn a_self_hosted_clip_loads_nothing_until_played_and_can_be_seeked() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/articles/quiet-prince-set-visit").await;
    assert_eq!(status, 200);
    let video = html.split("<video").nth(1).expect("a <video> element").split("</video>").next().unwrap();
    assert!(video.contains("preload=\"none\""), "{video}");
    assert!(video.contains("poster=\""), "{video}");
    assert!(video.contains("<source src=\"/media/quiet-prince-lanterns.mp4\" type=\"video/mp4\">"), "{video}");
    // Browsers fetch video in ranges: the file answers 206 with the asked-for bytes.
    let res =
        app.client.get(app.url("/media/quiet-prince-lanterns.mp4")).header("range", "bytes=0-99").send().await.unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.headers()["content-type"], "video/mp4");
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("max-age=604800"));
    let bytes = res.bytes().await.unwrap();
    assert_eq!(bytes.len(), 100);
    assert_eq!(&bytes[4..8], b"ftyp", "an MP4 file");
}
