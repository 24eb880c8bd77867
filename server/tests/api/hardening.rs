//! Headers, caches and streams a public site must bound, and the moderation
//! edges of posting and editing.

use crate::comments::{post, post_ok, reader};
use crate::helpers::{plain_client, spawn_app, spawn_with, TestApp};
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn nonce_of(policy: &str) -> String {
    policy.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).unwrap_or_default().to_owned()
}

/// The inline scripts of a page: each one's opening tag and its text.
fn inline_scripts(html: &str) -> Vec<(&str, &str)> {
    html.split("<script")
        .skip(1)
        .filter_map(|s| {
            let (tag, rest) = s.split_once('>')?;
            Some((tag, rest.split("</script>").next()?))
        })
        .filter(|(tag, _)| !tag.contains("src="))
        .collect()
}

#[tokio::test]
async fn every_inline_script_is_allowed_by_its_page_policy_by_a_fresh_nonce_or_its_hash() {
    use base64::{engine::general_purpose::STANDARD, Engine as _};
    use sha2::{Digest, Sha256};
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let guest = plain_client();
    let mut nonces = Vec::new();
    // The second request for the article is a page-cache hit: the same bytes
    // for every reader, so its scripts are allowed by hash, and no nonce is shared.
    let article = format!("/articles/{slug}");
    for path in ["/login", &article, &article, "/login"] {
        let res = guest.get(app.url(path)).send().await.unwrap();
        let policy = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
        for part in [
            "script-src 'self' ",
            "'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        ] {
            assert!(policy.contains(part), "{path}: {part} missing from {policy}");
        }
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        let nonce = nonce_of(&policy);
        let html = res.text().await.unwrap();
        let scripts = inline_scripts(&html);
        assert!(!scripts.is_empty());
        for (tag, text) in scripts {
            let by_nonce = !nonce.is_empty() && tag.contains(&format!("nonce=\"{nonce}\""));
            let by_hash = policy.contains(&format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text.as_bytes()))));
            assert!(by_nonce || by_hash, "{path}: an inline script the policy does not allow: <script{tag}>");
        }
        if !nonce.is_empty() {
            assert!(nonce.len() >= 16, "{path}: {policy}");
            nonces.push(nonce);
        }
    }
    assert!(nonces.len() >= 2, "rendered pages carry nonces");
    let mut unique = nonces.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), nonces.len(), "nonces repeat: {nonces:?}");
}

#[tokio::test]
async fn a_cached_article_goes_out_compressed_once_and_changes_with_the_next_comment() {
    use std::io::Read;
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let path = format!("/articles/{slug}");
    let guest = plain_client();
    let brotli_page = |res: reqwest::Response| async move {
        assert_eq!(res.headers()["content-encoding"], "br");
        assert!(res.headers()["vary"].to_str().unwrap().contains("accept-encoding"));
        let bytes = res.bytes().await.unwrap();
        let mut html = String::new();
        brotli::Decompressor::new(&bytes[..], 4096).read_to_string(&mut html).unwrap();
        html
    };
    let plain = guest.get(app.url(&path)).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.text().await.unwrap();
    let br = guest.get(app.url(&path)).header("accept-encoding", "gzip, br").send().await.unwrap();
    assert_eq!(brotli_page(br).await, plain, "the compressed copy is the same page");

    let me = reader(&app, "compressed_reader").await;
    post_ok(&me, &app, &slug, "A comment every copy of the page must show", None).await;
    // The writer's instance drops its kept copy at the write (also where the event
    // reaches readers through the relay): the very next page shows the comment.
    let browser = |res: reqwest::Response| async move {
        let encoding = res.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_owned());
        let bytes = res.bytes().await.unwrap();
        let mut html = String::new();
        match encoding.as_deref() {
            Some("br") => brotli::Decompressor::new(&bytes[..], 4096).read_to_string(&mut html).unwrap(),
            Some("gzip") => flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut html).unwrap(),
            other => panic!("a browser's page in {other:?}"),
        };
        (encoding, html)
    };
    let ask = || guest.get(app.url(&path)).header("accept-encoding", "gzip, br").send();
    let (_, next) = browser(ask().await.unwrap()).await;
    assert!(next.contains("A comment every copy of the page must show"), "the next page lacks the new comment");
    // And it is kept again, compressed once, with the comment (on PostgreSQL, a render
    // that the relayed event overtakes is not kept: wait for the kept copy, not for a time).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let (encoding, html) = browser(ask().await.unwrap()).await;
        assert!(html.contains("A comment every copy of the page must show"), "a later copy lacks the comment");
        if encoding.as_deref() == Some("br") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the page was not kept again");
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn https_sites_send_hsts_and_personal_responses_are_never_cached() {
    let app = spawn_with(|c| c.site_url = Some("https://spotlight.example".into())).await;
    let res = plain_client().get(app.url("/")).send().await.unwrap();
    assert!(res.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));

    let app = spawn_app().await;
    assert!(plain_client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .headers()
        .get("strict-transport-security")
        .is_none());
    let me = reader(&app, "private_person").await;
    for path in ["/api/v1/me", "/", "/login"] {
        let res = me.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.headers()["cache-control"], "private, no-store", "{path}");
    }
    let res = app
        .new_client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "login": "private_person", "password": crate::comments::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "private, no-store", "a response that sets a cookie");
}

#[tokio::test]
async fn query_strings_a_page_does_not_read_share_one_cache_entry() {
    let app = spawn_app().await;
    let guest = plain_client();
    let first = guest.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    sqlx::query("UPDATE articles SET headline = 'Quietly renamed'").execute(&app.state.db).await.unwrap();
    for i in 0..50 {
        let page = guest.get(app.url(&format!("/?x={i}"))).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("Quietly renamed"), "?x={i} rendered a page of its own");
    }
    assert!(first.contains("<main"));
}

#[tokio::test]
async fn a_page_too_large_to_cache_is_served_whole() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let big = format!("<p>{}</p><p>the very end</p>", "long read ".repeat(300_000));
    sqlx::query("UPDATE articles SET body_html = $1 WHERE slug = $2")
        .bind(&big)
        .bind(&slug)
        .execute(&app.state.db)
        .await
        .unwrap();
    for _ in 0..2 {
        let res = plain_client().get(app.url(&format!("/articles/{slug}"))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("the very end"));
    }
}

#[tokio::test]
async fn live_streams_are_capped_per_address() {
    let app = spawn_with(|c| c.http.streams_per_address = 2).await;
    let slug = app.first_slug().await;
    let live = app.url(&format!("/api/v1/articles/{slug}/live"));
    let one = plain_client().get(&live).send().await.unwrap();
    let two = plain_client().get(&live).send().await.unwrap();
    assert_eq!((one.status().as_u16(), two.status().as_u16()), (200, 200));
    let three = plain_client().get(&live).send().await.unwrap();
    assert_eq!(three.status(), 429);
    assert!(three.headers().contains_key("retry-after"));
    drop(one);
    // The closed stream's place is given back once the server notices.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let again = plain_client().get(&live).send().await.unwrap();
        if again.status() == 200 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the slot was never given back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let app = spawn_with(|c| c.http.header_read_timeout = Duration::from_secs(1)).await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
    socket.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection was still open after 10 s");
}

async fn status_of(res: reqwest::Response) -> u16 {
    res.status().as_u16()
}

async fn ban(app: &TestApp, name: &str) {
    sqlx::query("UPDATE users SET banned_at = 1 WHERE username = $1").bind(name).execute(&app.state.db).await.unwrap();
}

#[tokio::test]
async fn a_banned_reader_cannot_edit() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "soon_banned").await;
    let id = post_ok(&author, &app, &slug, "Before the ban", None).await["id"].as_i64().unwrap();
    ban(&app, "soon_banned").await;
    let res = author
        .patch(app.url(&format!("/api/v1/comments/{id}")))
        .json(&json!({ "body": "After" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_young_account_editing_in_a_link_sends_the_comment_back_for_review() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "young_editor").await;
    sqlx::query("UPDATE users SET created_at = $1 WHERE username = 'young_editor'")
        .bind(app::db::now())
        .execute(&app.state.db)
        .await
        .unwrap();
    let id = post_ok(&author, &app, &slug, "Plain words first", None).await["id"].as_i64().unwrap();
    let res = author
        .patch(app.url(&format!("/api/v1/comments/{id}")))
        .json(&json!({ "body": "Now with https://spam.example/" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let guest_view = plain_client()
        .get(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!guest_view.contains("spam.example"), "a held edit is shown to guests");
    let status: String = sqlx::query_scalar("SELECT status FROM comments WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(status, "held");
}

#[tokio::test]
async fn editing_to_a_text_just_posted_is_refused_as_a_repeat() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "repeat_editor").await;
    post_ok(&author, &app, &slug, "The same thought", None).await;
    let id = post_ok(&author, &app, &slug, "Another thought", None).await["id"].as_i64().unwrap();
    let res = author
        .patch(app.url(&format!("/api/v1/comments/{id}")))
        .json(&json!({ "body": "The same thought" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn held_and_hidden_comments_take_no_replies_and_no_reports() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "quiet_author").await;
    let other = reader(&app, "keen_replier").await;
    let id = post_ok(&author, &app, &slug, "Soon to be hidden", None).await["id"].as_i64().unwrap();
    sqlx::query("UPDATE comments SET status = 'hidden' WHERE id = $1").bind(id).execute(&app.state.db).await.unwrap();
    assert_eq!(status_of(post(&other, &app, &slug, "A reply", Some(id)).await).await, 404);
    let report = other
        .post(app.url(&format!("/api/v1/comments/{id}/report")))
        .json(&json!({ "reason": "spam" }))
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 404);
    sqlx::query("UPDATE comments SET status = 'held' WHERE id = $1").bind(id).execute(&app.state.db).await.unwrap();
    assert_eq!(status_of(post(&other, &app, &slug, "Another reply", Some(id)).await).await, 404);
}

#[tokio::test]
async fn reports_are_one_per_reader_and_rate_limited() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "prolific").await;
    let reporter = reader(&app, "busy_reporter").await;
    let mut ids = Vec::new();
    for i in 0..12 {
        sqlx::query("DELETE FROM rate_events WHERE bucket = 'comment-user'").execute(&app.state.db).await.unwrap();
        ids.push(post_ok(&author, &app, &slug, &format!("Comment number {i}"), None).await["id"].as_i64().unwrap());
    }
    let report = |id: i64| {
        reporter.post(app.url(&format!("/api/v1/comments/{id}/report"))).json(&json!({ "reason": "off topic" })).send()
    };
    // The same comment twice: one report, and the second does not use up the limit.
    for _ in 0..3 {
        assert_eq!(report(ids[0]).await.unwrap().status(), 202);
    }
    let reports: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM comment_reports").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(reports, 1);
    let statuses = futures::future::join_all(ids[1..].iter().map(|id| report(*id))).await;
    let statuses: Vec<u16> = statuses.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 202).count(), 9, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 2, "{statuses:?}");
}

#[tokio::test]
async fn the_moderation_queue_is_paged_with_held_comments_first() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "queue_author").await;
    let reporter = reader(&app, "queue_reporter").await;
    let reported = post_ok(&author, &app, &slug, "Reported early", None).await["id"].as_i64().unwrap();
    let res = reporter
        .post(app.url(&format!("/api/v1/comments/{reported}/report")))
        .json(&json!({ "reason": "rude" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let article: i64 = sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1")
        .bind(&slug)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let author_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'queue_author'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    for i in 0..60 {
        sqlx::query(
            "INSERT INTO comments (article_id, author_id, thread_id, depth, body_source, body_html, body_hash, status, created_at) \
             VALUES ($1, $2, 0, 1, 'x', $3, $4, 'held', $5)",
        )
        .bind(article)
        .bind(author_id)
        .bind(format!("<p>held {i}</p>"))
        .bind(format!("h{i}"))
        .bind(app::db::now() + i64::from(i))
        .execute(&app.state.db)
        .await
        .unwrap();
    }
    let moderator = crate::removed::moderator_user(&app, "queue_reporter").await;
    let first = app::comments::service::queue(&app.state, &moderator, 1).await.unwrap();
    assert_eq!(first.items.len(), 50);
    assert!(first.has_more);
    assert!(
        first.items.iter().all(|i| i.comment.status == app::comments::CommentStatus::Held),
        "held comments come first"
    );
    let second = app::comments::service::queue(&app.state, &moderator, 2).await.unwrap();
    assert_eq!(second.items.len(), 11);
    assert!(!second.has_more);
    assert_eq!(second.items.last().unwrap().comment.id, reported);
}

#[tokio::test]
async fn two_likes_at_once_are_one_like() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "liked_author").await;
    let fan = reader(&app, "double_clicker").await;
    let id = post_ok(&author, &app, &slug, "Worth a like", None).await["id"].as_i64().unwrap();
    let like = || fan.post(app.url(&format!("/api/v1/comments/{id}/like"))).send();
    let (a, b) = tokio::join!(like(), like());
    assert_eq!((a.unwrap().status().as_u16(), b.unwrap().status().as_u16()), (200, 200));
    let likes: i64 = sqlx::query_scalar("SELECT like_count FROM comments WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(likes, 1);
}

#[tokio::test]
async fn a_long_thread_shows_its_first_replies_and_pages_the_rest() {
    let app = spawn_with(|c| c.limits.comments_per_user.max = 1000).await;
    let slug = app.first_slug().await;
    let author = reader(&app, "thread_starter").await;
    let top = post_ok(&author, &app, &slug, "Start of a long thread", None).await["id"].as_i64().unwrap();
    for i in 0..25 {
        post_ok(&author, &app, &slug, &format!("Reply number {i:02}"), Some(top)).await;
    }
    let page: serde_json::Value = plain_client()
        .get(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let thread = &page["threads"][0];
    assert_eq!(thread["id"], top);
    let shown = thread.to_string();
    assert!(shown.contains("Reply number 09") && !shown.contains("Reply number 10"), "the first ten replies only");
    assert_eq!(thread["more_replies"], 15);

    let html = plain_client().get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Show 15 more replies"));
    assert!(!html.contains("Reply number 10"));
    let link = html.split("<a ").find(|a| a.contains("comment__more-replies")).unwrap();
    let href = link.split("href=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let next = plain_client().get(app.url(&href)).send().await.unwrap().text().await.unwrap();
    assert!(
        next.contains("Reply number 10") && next.contains("Reply number 24"),
        "the next page of replies without JavaScript"
    );
    assert!(next.contains("All comments"));

    let after: i64 = sqlx::query_scalar("SELECT id FROM comments WHERE body_source = 'Reply number 09'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let more: serde_json::Value = plain_client()
        .get(app.url(&format!("/api/v1/articles/{slug}/comments/{top}/replies?after={after}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(more["replies"].as_array().unwrap().len(), 15);
    assert_eq!(more["more"], 0);
}

#[tokio::test]
async fn on_an_https_site_the_form_flash_cookie_is_secure() {
    let app = spawn_with(|c| c.site_url = Some("https://spotlight.example".into())).await;
    use leptos::server_fn::ServerFn;
    let res = app
        .client
        .post(app.url(app::auth::Login::PATH))
        .header("accept", "text/html")
        .form(&[("login", "nobody_here"), ("password", "wrong-password-1"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let flash = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with(app::auth::cookies::FLASH))
        .expect("a flash cookie");
    assert!(flash.contains("; Secure") && flash.contains("; HttpOnly"), "{flash}");
}
