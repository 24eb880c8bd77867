//! Replies, mentions and likes reach the reader they concern, once; they go
//! when their comment goes; the bell streams the count; permalinks lead to the
//! comment; reply mail is opt-in and one click stops it.

use crate::{
    comments::{post_ok, reader},
    helpers::{spawn_app, TestApp},
};
use futures::StreamExt;
use serde_json::{json, Value};

async fn notifications(app: &TestApp, client: &reqwest::Client) -> Value {
    let res = client.get(app.url("/api/v1/me/notifications")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn unread(app: &TestApp, client: &reqwest::Client) -> i64 {
    let me: Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    me["unread"].as_i64().unwrap()
}

fn texts(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|n| n["text"].as_str().unwrap().to_owned()).collect()
}

async fn like(app: &TestApp, client: &reqwest::Client, id: i64) {
    let res = client.post(app.url(&format!("/api/v1/comments/{id}/like"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn replies_mentions_and_likes_reach_the_right_readers_once() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let mina = reader(&app, "mina_k").await;
    let jun = reader(&app, "jun_p").await;
    let third = reader(&app, "third_one").await;

    let first = post_ok(&mina, &app, &slug, "The finale was perfect.", None).await["id"].as_i64().unwrap();
    let reply = post_ok(&jun, &app, &slug, "@mina_k agreed! @third_one, @nobody_at_all, see?", Some(first)).await;
    let html = reply["body_html"].as_str().unwrap();
    assert!(html.contains(r#"<a href="/u/mina_k" rel="nofollow ugc noopener">@mina_k</a>"#), "{html}");
    assert!(html.contains("@nobody_at_all") && !html.contains("/u/nobody_at_all"), "{html}");
    assert_eq!(reply["status"], "visible", "a mention is not a link that holds a comment");

    // Mina hears of the reply (not also of the mention in it); the third reader of the mention.
    assert_eq!(texts(&notifications(&app, &mina).await), vec!["jun_p replied to your comment"]);
    assert_eq!(texts(&notifications(&app, &third).await), vec!["jun_p mentioned you"]);
    assert!(texts(&notifications(&app, &jun).await).is_empty(), "nobody hears of their own comment");

    // Likes of one comment are told together, never one's own.
    like(&app, &jun, first).await;
    like(&app, &third, first).await;
    like(&app, &mina, first).await;
    let page = notifications(&app, &mina).await;
    assert_eq!(texts(&page), vec!["3 readers liked your comment", "jun_p replied to your comment"]);
    assert_eq!(page["unread"], 2);
    assert_eq!(unread(&app, &mina).await, 2, "the session carries the count for the header");
    let item = &page["items"][1];
    assert_eq!(item["link"], format!("/comments/{}", reply["id"]));
    assert_eq!(item["excerpt"], "@mina_k agreed! @third_one, @nobody_at_all, see?");

    // Read, until the next like makes the likes news again.
    let up_to = page["seen_up_to"].as_i64().unwrap();
    let res =
        mina.post(app.url("/api/v1/me/notifications/read")).json(&json!({ "up_to": up_to })).send().await.unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["unread"], 0);
    let fourth = reader(&app, "fourth_fan").await;
    like(&app, &fourth, first).await;
    let page = notifications(&app, &mina).await;
    assert_eq!(page["unread"], 1);
    assert_eq!(page["items"][0]["text"], "4 readers liked your comment");
    assert_eq!(page["items"][0]["unread"], true);
    assert_eq!(page["items"][1]["unread"], false);

    // An edit that adds a mention tells the newly mentioned reader, once.
    let edited = reply["id"].as_i64().unwrap();
    for _ in 0..2 {
        let res = jun
            .patch(app.url(&format!("/api/v1/comments/{edited}")))
            .json(&json!({ "body": format!("@mina_k agreed! @third_one and @fourth_fan {}", app.count("comments").await) }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    assert_eq!(texts(&notifications(&app, &fourth).await), vec!["jun_p mentioned you"]);
    assert_eq!(texts(&notifications(&app, &third).await), vec!["jun_p mentioned you"]);
}

#[tokio::test]
async fn a_notification_goes_when_its_comment_goes() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let mina = reader(&app, "mina_gone").await;
    let jun = reader(&app, "jun_gone").await;
    let first = post_ok(&mina, &app, &slug, "Who else cried?", None).await["id"].as_i64().unwrap();
    let reply = post_ok(&jun, &app, &slug, "Regrettable words omicron", Some(first)).await["id"].as_i64().unwrap();
    assert_eq!(unread(&app, &mina).await, 1);
    let res = jun.delete(app.url(&format!("/api/v1/comments/{reply}"))).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let page = notifications(&app, &mina).await;
    assert_eq!((page["unread"].as_i64(), page["items"].as_array().unwrap().len()), (Some(0), 0));
    assert!(!page.to_string().contains("omicron"));
    assert_eq!(unread(&app, &mina).await, 0);
    let html = mina.get(app.url("/notifications")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("omicron") && html.contains("Nothing yet"));
}

/// Reads `unread` events from a bell stream until `n` came or 5 s passed.
pub async fn unread_events(res: reqwest::Response, n: usize) -> Vec<i64> {
    let mut stream = res.bytes_stream();
    let mut buffer = String::new();
    let mut counts = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while counts.len() < n {
        let Ok(Some(Ok(chunk))) = tokio::time::timeout_at(deadline, stream.next()).await else { break };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if block.starts_with("event: unread") {
                let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
                counts.push(serde_json::from_str::<Value>(data).unwrap()["unread"].as_i64().unwrap());
            }
        }
    }
    counts
}

#[tokio::test]
async fn the_bell_streams_the_unread_count_as_it_changes() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let mina = reader(&app, "mina_bell").await;
    let jun = reader(&app, "jun_bell").await;
    let first = post_ok(&mina, &app, &slug, "Ring me", None).await["id"].as_i64().unwrap();

    assert_eq!(app.get("/api/v1/me/notifications/live").await.status(), 401);
    let live = mina.get(app.url("/api/v1/me/notifications/live")).send().await.unwrap();
    assert_eq!(live.status(), 200);
    assert!(live.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let poster = {
        let (jun, app_url) = (jun.clone(), app.url(&format!("/api/v1/articles/{slug}/comments")));
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            jun.post(app_url).json(&json!({ "body": "Ding", "parent_id": first })).send().await.unwrap().status()
        })
    };
    assert_eq!(unread_events(live, 2).await, vec![0, 1]);
    assert_eq!(poster.await.unwrap(), 201);
}

/// As a browser asks: a redirect answers a request for HTML.
async fn as_browser(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).header("accept", "text/html").send().await.unwrap()
}

#[tokio::test]
async fn a_permalink_opens_the_article_at_the_comment_even_deep_in_a_thread() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let mina = reader(&app, "mina_link").await;
    let top = post_ok(&mina, &app, &slug, "Top words", None).await["id"].as_i64().unwrap();
    let mut parent = top;
    for i in 0..3 {
        parent = post_ok(&mina, &app, &slug, &format!("Deeper words {i}"), Some(parent)).await["id"].as_i64().unwrap();
    }
    let res = as_browser(&app, &format!("/comments/{parent}")).await;
    assert_eq!(res.status(), 302);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, format!("/articles/{slug}?thread={top}&after={}#comment-{parent}", parent - 1));
    let page = app.get(&to).await.text().await.unwrap();
    assert!(page.contains(&format!("id=\"comment-{parent}\"")) && page.contains("Deeper words 2"));
    let res = as_browser(&app, &format!("/comments/{top}")).await;
    assert_eq!(res.headers()["location"], format!("/articles/{slug}?thread={top}#comment-{top}"));

    assert_eq!(mina.delete(app.url(&format!("/api/v1/comments/{parent}"))).send().await.unwrap().status(), 204);
    let (status, body) = app.get_text(&format!("/comments/{parent}")).await;
    assert_eq!(status, 404);
    assert!(body.contains("That comment is no longer there.") && !body.contains("Deeper words 2"));
    assert_eq!(app.get("/comments/999999").await.status(), 404);
}

async fn mails_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT body_text, headers FROM mail_outbox WHERE recipient = $1 AND subject LIKE '%replied%' ORDER BY id",
    )
    .bind(to)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn reply_mail_is_opt_in_and_one_click_stops_it() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let mina = reader(&app, "mina_mail").await;
    let jun = reader(&app, "jun_mail").await;
    let first = post_ok(&mina, &app, &slug, "Mail me maybe", None).await["id"].as_i64().unwrap();
    post_ok(&jun, &app, &slug, "First answer", Some(first)).await;
    assert!(mails_to(&app, "mina_mail@example.com").await.is_empty(), "off by default");

    let res = mina.post(app.url("/api/v1/me/reply-emails")).json(&json!({ "on": true })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let second = post_ok(&jun, &app, &slug, "Second answer pi", Some(first)).await["id"].as_i64().unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let mails = loop {
        let mails = mails_to(&app, "mina_mail@example.com").await;
        if !mails.is_empty() || tokio::time::Instant::now() > deadline {
            break mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(mails.len(), 1);
    let (body, headers) = &mails[0];
    assert!(body.contains("jun_mail replied to your comment") && body.contains("Second answer pi"), "{body}");
    assert!(body.contains(&format!("{}/comments/{second}", app.address)), "{body}");
    let headers: Vec<(String, String)> = serde_json::from_str(headers).unwrap();
    let one_click = headers.iter().find(|(k, _)| k == "List-Unsubscribe").unwrap().1.clone();
    assert!(headers.iter().any(|(k, v)| k == "List-Unsubscribe-Post" && v == "List-Unsubscribe=One-Click"));
    let url = one_click.trim_matches(|c| c == '<' || c == '>').to_owned();
    assert!(url.starts_with(&format!("{}/api/v1/unsubscribe?user=", app.address)), "{url}");

    // A forged token changes nothing; the mail client's one-click POST does.
    let forged = format!("{}0", &url[..url.len() - 1]).replace("token=", "token=f");
    let client = crate::helpers::plain_client();
    assert_eq!(client.post(&forged).body("List-Unsubscribe=One-Click").send().await.unwrap().status(), 404);
    let res = client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let settings: Value = mina.get(app.url("/api/v1/me/settings")).send().await.unwrap().json().await.unwrap();
    assert_eq!(settings["reply_emails"], false);
    post_ok(&jun, &app, &slug, "Third answer", Some(first)).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(mails_to(&app, "mina_mail@example.com").await.len(), 1, "no mail after unsubscribing");
}

/// Reply mails to `to`, waiting up to 10 s for at least `n` (the mail goes out in a task).
async fn wait_for_mails(app: &TestApp, to: &str, n: usize) -> Vec<(String, String)> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let mails = mails_to(app, to).await;
        if mails.len() >= n || tokio::time::Instant::now() > deadline {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_held_reply_mails_its_parents_author_once_a_moderator_lets_it_through() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let mina = reader(&app, "mina_held").await;
    let res = mina.post(app.url("/api/v1/me/reply-emails")).json(&json!({ "on": true })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let first = post_ok(&mina, &app, &slug, "Waiting for answers", None).await["id"].as_i64().unwrap();
    // An unconfirmed reader's link waits for a moderator.
    let newcomer = reader(&app, "held_newcomer").await;
    sqlx::query("UPDATE users SET email_verified_at = NULL WHERE username = 'held_newcomer'")
        .execute(&app.state.db)
        .await
        .unwrap();
    let held = post_ok(&newcomer, &app, &slug, "See https://example.com/rho", Some(first)).await;
    assert_eq!(held["status"], "held");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(mails_to(&app, "mina_held@example.com").await.is_empty(), "no mail for a held reply");

    crate::removed::make_moderator(&app, "held_mod").await;
    let moderator = crate::removed::moderator_user(&app, "held_mod").await;
    let id = held["id"].as_i64().unwrap();
    app::comments::service::moderate(&app.state, &moderator, id, app::comments::service::Action::Restore)
        .await
        .unwrap();
    let mails = wait_for_mails(&app, "mina_held@example.com", 1).await;
    assert_eq!(mails.len(), 1, "one mail once it is visible");
    assert!(mails[0].0.contains("held_newcomer replied") && mails[0].0.contains("rho"), "{}", mails[0].0);
    // Hiding and restoring it again mails nobody twice.
    for action in [app::comments::service::Action::Hide, app::comments::service::Action::Restore] {
        app::comments::service::moderate(&app.state, &moderator, id, action).await.unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(mails_to(&app, "mina_held@example.com").await.len(), 1);
}

/// The raw text of a stream until it contains `until` (or 5 s passed).
async fn stream_text_until(res: reqwest::Response, until: &str) -> String {
    let mut stream = res.bytes_stream();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while !text.contains(until) {
        let Ok(Some(Ok(chunk))) = tokio::time::timeout_at(deadline, stream.next()).await else { break };
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    text
}

#[tokio::test]
async fn a_signed_in_readers_article_stream_carries_their_unread_count_and_a_guests_does_not() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let mina = reader(&app, "mina_carried").await;
    let jun = reader(&app, "jun_carried").await;
    let first = post_ok(&mina, &app, &slug, "One stream is enough", None).await["id"].as_i64().unwrap();
    let live = format!("/api/v1/articles/{slug}/live");
    let hers = mina.get(app.url(&live)).send().await.unwrap();
    let guests = app.new_client().get(app.url(&live)).send().await.unwrap();
    let poster = {
        let (jun, url) = (jun.clone(), app.url(&format!("/api/v1/articles/{slug}/comments")));
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            jun.post(url).json(&json!({ "body": "Agreed", "parent_id": first })).send().await.unwrap().status()
        })
    };
    assert_eq!(unread_events(hers, 2).await, vec![0, 1]);
    let seen = stream_text_until(guests, "event: comment.created").await;
    assert!(seen.contains("event: comment.created"), "{seen}");
    assert!(!seen.contains("event: unread"), "a guest's stream carries no count: {seen}");
    assert_eq!(poster.await.unwrap(), 201);
}
