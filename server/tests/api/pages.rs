use crate::helpers::{spawn_app, TestApp};

#[tokio::test]
async fn home_lists_the_latest_articles_newest_first() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    let cards = html.matches("class=\"card").count();
    assert!(cards >= 10, "expected at least 10 cards, found {cards}");
    assert!(html.contains("<title>Spotlight</title>"), "title");
    assert!(html.contains("name=\"description\""));
    assert!(html.contains("rel=\"canonical\""));
    assert!(html.contains("name=\"viewport\""));
    // Newest first: the dates in the page descend.
    let dates: Vec<&str> = html.split("<time datetime=\"").skip(1).map(|s| &s[..20]).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

#[tokio::test]
async fn home_paginates_with_a_cursor_without_repeating_articles() {
    let app = spawn_app().await;
    let first: serde_json::Value = app.get("/api/v1/articles").await.json().await.unwrap();
    let cursor = first["next_cursor"].as_str().expect("a second page exists");
    let (status, html) = app.get_text(&format!("/?cursor={cursor}")).await;
    assert_eq!(status, 200);
    for item in first["items"].as_array().unwrap() {
        let href = format!("/articles/{}\"", item["slug"].as_str().unwrap());
        assert!(!html.contains(&href), "{href} repeated on page two");
    }
    assert!(html.contains("/articles/"), "page two has articles");
}

#[tokio::test]
async fn article_page_renders_headline_body_and_tags() {
    let app = spawn_app().await;
    let list: serde_json::Value = app.get("/api/v1/articles").await.json().await.unwrap();
    let item = &list["items"][0];
    let slug = item["slug"].as_str().unwrap();
    let (status, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert_eq!(status, 200);
    let headline = item["headline"].as_str().unwrap();
    assert!(html.contains("class=\"article__headline\""));
    // Text inside <title> escapes &, < and > (quotes need no escaping there).
    let escaped = headline.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let title = format!("<title>{escaped} | Spotlight</title>");
    assert!(html.contains(&title), "{title} not in the page");
    assert!(html.contains("fetchpriority=\"high\""), "lead image is eager");
    assert!(html.contains("class=\"article__body\""));
    let tag = item["tags"][0].as_str().unwrap();
    assert!(html.contains(&format!("href=\"/tags/{tag}\"")));
    let canonical = format!("href=\"{}/articles/{slug}\"", app.address);
    assert!(
        html.split("<link").any(|tag| tag.contains("rel=\"canonical\"") && tag.contains(&canonical)),
        "canonical link to the article"
    );
}

#[tokio::test]
async fn tag_page_lists_only_tagged_articles() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/tags/k-drama").await;
    assert_eq!(status, 200);
    assert!(html.contains("K-Drama"));
    let api: serde_json::Value = app.get("/api/v1/articles?tag=k-drama").await.json().await.unwrap();
    let items = api["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["tags"].as_array().unwrap().iter().any(|t| t == "k-drama")));
}

#[tokio::test]
async fn unknown_article_tag_and_path_get_404_pages() {
    let app = spawn_app().await;
    for path in ["/articles/no-such-story", "/articles/NOT%20A%20SLUG", "/tags/no-such-tag", "/nowhere/at/all"] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found"), "{path} renders the 404 page");
    }
    let res = app.get("/api/v1/articles/no-such-story").await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn broken_cursor_is_a_clear_400() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/articles?cursor=garbage").await;
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("page link"));
}

#[tokio::test]
async fn anonymous_pages_are_cached_until_something_happens_and_readers_bypass_the_cache() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let path = format!("/articles/{slug}");
    let guest = crate::helpers::plain_client();
    let first = guest.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
    sqlx::query("UPDATE articles SET body_html = '<p>Quietly changed</p>' WHERE slug = $1")
        .bind(&slug)
        .execute(&app.state.db)
        .await
        .unwrap();
    let cached = guest.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(!cached.contains("Quietly changed"), "served from the page cache");
    assert_eq!(without_nonces(&first), without_nonces(&cached), "the same page, but for its nonces");

    // A reader (with a session cookie) always gets a page of their own. What every reader
    // sees on it (the article's text, the threads) is shared until the article's next live
    // event, like the anonymous page.
    let reader =
        reqwest::Client::builder().cookie_store(true).timeout(crate::helpers::REQUEST_TIMEOUT).build().unwrap();
    let res = reader
        .post(app.url("/api/v1/auth/signup"))
        .json(&serde_json::json!({ "username": "cache_buster", "email": "cb@example.com", "password": "harbour-lantern-92" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let fresh = reader.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(fresh.contains("cache_buster"), "the reader's own page, not the anonymous copy");
    assert_eq!(fresh.contains("Quietly changed"), cached.contains("Quietly changed"));

    // Anything live (here a comment) empties the cache at once.
    let res = reader
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&serde_json::json!({ "body": "Fresh words" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    // The cache is emptied by the live event, on its own task: wait for that, not for a time.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let after = guest.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        let theirs = reader.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        let fresh = |page: &str| page.contains("Quietly changed") && page.contains("Fresh words");
        if fresh(&after) && fresh(&theirs) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the cached page outlived the live event");
        tokio::task::yield_now().await;
    }
}

/// A page with its CSP nonces blanked (every response carries its own).
fn without_nonces(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("nonce=\"") {
        out.push_str(&rest[..i + 7]);
        rest = &rest[i + 7..];
        rest = rest.split_once('"').map_or("", |(_, r)| r);
        out.push('"');
    }
    out.push_str(rest);
    out
}

/// leptos-rs/leptos#4773: a page render that met another server's start (route
/// generation switches resource loading off process-wide) used to hang forever.
#[tokio::test]
async fn pages_render_while_other_servers_start_in_the_same_process() {
    let app = spawn_app().await;
    let starting = futures::future::join_all((0..8).map(|_| spawn_app()));
    let reading = futures::future::join_all((0..200).map(|_| {
        let client = crate::helpers::plain_client();
        let url = app.url("/login");
        async move {
            let mut statuses = Vec::new();
            for _ in 0..5 {
                // Well under the client's 30 s: a render that stalls is a hang, not a slow page.
                let sent = tokio::time::timeout(std::time::Duration::from_secs(10), client.get(&url).send()).await;
                statuses.push(sent.map(|r| r.map(|r| r.status().as_u16()).unwrap_or(0)).unwrap_or(0));
            }
            statuses
        }
    }));
    let (_others, statuses) = tokio::join!(starting, reading);
    let statuses: Vec<u16> = statuses.into_iter().flatten().collect();
    assert!(statuses.iter().all(|s| *s == 200), "some page requests hung (0): {statuses:?}");
}

/// A page's HTML with what differs between two renders of the same page
/// written over: the CSP nonce and the render's clock (`now` in the comment island's props).
fn comparable(html: &str, nonce: &str) -> String {
    let mut out = html.replace(nonce, "NONCE");
    // In an island's props (an attribute, so HTML-escaped JSON).
    for key in ["&quot;now&quot;:", "\"now\":"] {
        if let Some(at) = out.find(key) {
            let digits = at + key.len();
            let end = out[digits..].find(|c: char| !c.is_ascii_digit()).map_or(out.len(), |n| digits + n);
            out.replace_range(digits..end, "0");
        }
    }
    out
}

/// A page as `comparable` writes it, with its nonce: the one its policy names,
/// or (a reader's page made from a kept one, allowed by hashes) its scripts'.
async fn comparable_page(res: reqwest::Response) -> String {
    let policy = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let html = res.text().await.unwrap();
    let nonce = match policy.split("'nonce-").nth(1) {
        Some(rest) => rest.split('\'').next().unwrap().to_owned(),
        None => html.split("nonce=\"").nth(1).unwrap().split('"').next().unwrap().to_owned(),
    };
    comparable(&html, &nonce)
}

/// Three readers (`{prefix}_mina`, `_jun`, `_moderator`) and threads every
/// reader sees alike and ones that differ per reader: their own comments
/// (edit, delete), a like, replies deep enough to name whom they answer.
struct Readers {
    mina: reqwest::Client,
    jun: reqwest::Client,
    moderator: reqwest::Client,
    /// Mina's thread, and Jun's.
    top: i64,
    juns: i64,
}

async fn readers_and_threads(app: &TestApp, slug: &str, prefix: &str) -> Readers {
    use crate::comments::{post_ok, reader};
    let mina = reader(app, &format!("{prefix}_mina")).await;
    let jun = reader(app, &format!("{prefix}_jun")).await;
    let moderator = crate::removed::make_moderator(app, &format!("{prefix}_moderator")).await;
    let top = post_ok(&mina, app, slug, "A thread everyone reads", None).await["id"].as_i64().unwrap();
    let reply = post_ok(&jun, app, slug, "A reply with **markdown**", Some(top)).await["id"].as_i64().unwrap();
    let deep = post_ok(&mina, app, slug, "Deeper", Some(reply)).await["id"].as_i64().unwrap();
    post_ok(&jun, app, slug, &format!("Deepest, @{prefix}_mina"), Some(deep)).await;
    let juns = post_ok(&jun, app, slug, "Jun's own thread", None).await["id"].as_i64().unwrap();
    let res = mina.post(app.url(&format!("/api/v1/comments/{reply}/like"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    Readers { mina, jun, moderator, top, juns }
}

#[tokio::test]
async fn a_signed_in_readers_page_made_from_the_kept_page_is_byte_for_byte_a_whole_render() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let Readers { mina, jun, moderator, top, .. } = readers_and_threads(&app, &slug, "spliced").await;
    let res = jun
        .put(app.url(&format!("/api/v1/articles/{slug}/reactions")))
        .json(&serde_json::json!({ "reaction": "love" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let get = |client: reqwest::Client, path: String| {
        let url = app.url(&path);
        async move {
            let res = client.get(url).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            res
        }
    };
    // A page that may lack a live event is not kept, and on PostgreSQL the setup's
    // events arrive through the relay a moment later: the reader's page is then
    // rendered whole, rightly. Wait for a copy made from a kept page, not for a time.
    let spliced_get = |client: reqwest::Client, path: String| {
        let get = &get;
        async move {
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
            loop {
                let res = get(client.clone(), path.clone()).await;
                let policy = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
                if policy.contains("'sha256-") || tokio::time::Instant::now() > deadline {
                    return res;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    };
    let paths =
        [format!("/articles/{slug}"), format!("/articles/{slug}?sort=top"), format!("/articles/{slug}?thread={top}")];
    for (who, client) in [("spliced_mina", &mina), ("spliced_jun", &jun), ("spliced_moderator", &moderator)] {
        for path in &paths {
            server::reader_pages::splice_pages(true);
            let spliced = spliced_get(client.clone(), path.clone()).await;
            assert_eq!(spliced.headers()["cache-control"], "private, no-store", "{who} {path}");
            let policy = spliced.headers()["content-security-policy"].to_str().unwrap().to_owned();
            assert!(policy.contains("'sha256-"), "{who} {path}: made from the kept page, allowed by hashes: {policy}");
            let spliced = comparable_page(spliced).await;
            server::reader_pages::splice_pages(false);
            let whole = comparable_page(get(client.clone(), path.clone()).await).await;
            server::reader_pages::splice_pages(true);
            assert!(spliced.contains(&format!(">{who}</a>")), "{who} {path}: the header names the reader");
            assert_eq!(spliced, whole, "{who} {path}: the page made from the kept one differs from a whole render");
        }
    }
    // And the kept page itself is still everyone's: an anonymous reader gets no one's parts.
    let anonymous = reqwest::get(app.url(&paths[0])).await.unwrap().text().await.unwrap();
    assert!(anonymous.contains("Log in") && !anonymous.contains("site-account__name"));
}

#[tokio::test]
async fn a_page_built_from_kept_threads_is_byte_for_byte_a_fresh_render() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let Readers { mina, jun, moderator, juns, .. } = readers_and_threads(&app, &slug, "kept").await;

    let path = format!("/articles/{slug}");
    let page = |client: reqwest::Client| {
        let url = app.url(&path);
        async move {
            let res = client.get(url).send().await.unwrap();
            assert_eq!(res.status(), 200);
            comparable_page(res).await
        }
    };
    for (who, client) in [("mina", mina.clone()), ("jun", jun.clone()), ("moderator", moderator.clone())] {
        app::comments::thread::kept::keep_threads(true);
        let first = page(client.clone()).await;
        let kept = page(client.clone()).await;
        app::comments::thread::kept::keep_threads(false);
        let fresh = page(client.clone()).await;
        app::comments::thread::kept::keep_threads(true);
        assert!(first.contains("A thread everyone reads") && first.contains("Deepest"), "{who}");
        assert_eq!(kept, fresh, "{who}: the page from kept threads differs from a fresh render");
        assert_eq!(first, fresh, "{who}");
    }
    // What differs per reader is still theirs: Jun's page offers to edit Jun's thread, Mina's does not.
    let (jun_page, mina_page) = (page(jun).await, page(mina).await);
    let edit_juns = format!("id=\"edit-{juns}\"");
    assert!(jun_page.contains(&edit_juns) && !mina_page.contains(&edit_juns));
}

#[tokio::test]
async fn a_comment_removed_after_the_page_was_kept_is_gone_from_every_readers_copy_at_once() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let Readers { mina, jun, moderator, juns, .. } = readers_and_threads(&app, &slug, "removal").await;
    let path = format!("/articles/{slug}");
    let body = |client: reqwest::Client| {
        let url = app.url(&path);
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    // Kept, and made from for both readers: the thread is on every copy.
    let guest = crate::helpers::plain_client();
    assert!(body(guest.clone()).await.contains("own thread"));
    for page in futures::future::join_all([mina.clone(), jun.clone(), mina.clone(), jun.clone()].map(body)).await {
        assert!(page.contains("own thread"), "the thread is there before it is removed");
    }
    let res = moderator.delete(app.url(&format!("/api/v1/comments/{juns}"))).send().await.unwrap();
    assert_eq!(res.status(), 204);
    // The very next requests, in parallel, from both readers and a guest: none shows it
    // (on PostgreSQL too, where the event reaches this instance's readers through the relay).
    let readers = [mina.clone(), jun.clone(), guest.clone(), mina, jun, guest];
    for page in futures::future::join_all(readers.map(body)).await {
        assert!(!page.contains("own thread"), "a copy made after the removal still shows the thread");
    }
}
