use crate::helpers::{spawn_app, spawn_with, TestApp};
use futures::StreamExt;
use serde_json::{json, Value};

impl TestApp {
    pub async fn first_slug(&self) -> String {
        let list: Value = self.get("/api/v1/articles").await.json().await.unwrap();
        list["items"][0]["slug"].as_str().unwrap().to_owned()
    }

    pub fn new_client(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).timeout(crate::helpers::REQUEST_TIMEOUT).build().unwrap()
    }
}

async fn put(client: &reqwest::Client, app: &TestApp, slug: &str, kind: &str) -> reqwest::Response {
    client
        .put(app.url(&format!("/api/v1/articles/{slug}/reactions")))
        .json(&json!({ "reaction": kind }))
        .send()
        .await
        .unwrap()
}

async fn delete(client: &reqwest::Client, app: &TestApp, slug: &str) -> reqwest::Response {
    client.delete(app.url(&format!("/api/v1/articles/{slug}/reactions"))).send().await.unwrap()
}

#[tokio::test]
async fn pick_switch_and_take_back() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let reader = app.new_client();
    let res = put(&reader, &app, &slug, "love").await;
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("spotlight_reader=") && cookie.contains("HttpOnly") && cookie.contains("Max-Age="));
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (body["counts"]["love"].as_i64(), body["total"].as_i64(), body["mine"].as_str()),
        (Some(1), Some(1), Some("love"))
    );
    assert_eq!(body["counts"].as_object().unwrap().len(), 6, "every kind is listed");

    let body: Value = put(&reader, &app, &slug, "wow").await.json().await.unwrap();
    assert_eq!(
        (body["counts"]["love"].as_i64(), body["counts"]["wow"].as_i64(), body["total"].as_i64()),
        (Some(0), Some(1), Some(1))
    );

    let again: Value = put(&reader, &app, &slug, "wow").await.json().await.unwrap();
    assert_eq!(again["total"], 1, "the same pick twice counts once");

    let body: Value = delete(&reader, &app, &slug).await.json().await.unwrap();
    assert_eq!((body["total"].as_i64(), body["mine"].is_null()), (Some(0), true));

    let other = app.new_client();
    put(&other, &app, &slug, "sad").await;
    let seen: Value =
        reader.get(app.url(&format!("/api/v1/articles/{slug}/reactions"))).send().await.unwrap().json().await.unwrap();
    assert_eq!((seen["counts"]["sad"].as_i64(), seen["mine"].is_null()), (Some(1), true));
}

#[tokio::test]
async fn unknown_reaction_or_article_is_a_clear_4xx() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let reader = app.new_client();
    let res = put(&reader, &app, &slug, "meh").await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("love"));
    assert_eq!(put(&reader, &app, "no-such-article", "love").await.status(), 404);
    assert_eq!(app.count("reactions").await, 0);
}

#[tokio::test]
async fn forged_guest_cookie_is_not_trusted() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let res = crate::helpers::plain_client()
        .put(app.url(&format!("/api/v1/articles/{slug}/reactions")))
        .header("cookie", format!("spotlight_reader={}.{}", "a".repeat(32), "b".repeat(64)))
        .json(&json!({ "reaction": "love" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("set-cookie"), "a forged id gets a fresh guest cookie");
    let stored: String = sqlx::query_scalar("SELECT reader FROM reactions").fetch_one(&app.state.db).await.unwrap();
    assert_ne!(stored, format!("g:{}", "a".repeat(32)));
}

#[tokio::test]
async fn guest_pick_moves_to_the_account_at_login_without_counting_twice() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let reader = app.new_client();
    put(&reader, &app, &slug, "excited").await;
    let res = reader
        .post(app.url("/api/v1/auth/signup"))
        .json(&json!({ "username": "was_guest", "email": "g@example.com", "password": "harbour-lantern-92" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let seen: Value =
        reader.get(app.url(&format!("/api/v1/articles/{slug}/reactions"))).send().await.unwrap().json().await.unwrap();
    assert_eq!((seen["mine"].as_str(), seen["total"].as_i64()), (Some("excited"), Some(1)));
    let readers: Vec<String> =
        sqlx::query_scalar("SELECT reader FROM reactions").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(readers.len(), 1);
    assert!(readers[0].starts_with("u:"));

    // A second guest session that picks, then logs in to an account that already picked:
    reader.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    let guest2 = app.new_client();
    put(&guest2, &app, &slug, "angry").await;
    let res = guest2
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "login": "was_guest", "password": "harbour-lantern-92" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let seen: Value =
        guest2.get(app.url(&format!("/api/v1/articles/{slug}/reactions"))).send().await.unwrap().json().await.unwrap();
    assert_eq!((seen["mine"].as_str(), seen["total"].as_i64()), (Some("excited"), Some(1)), "the account's pick stays");
    assert_eq!(seen["counts"]["angry"], 0);
}

#[tokio::test]
async fn counts_never_drift_under_concurrent_changes() {
    let app = spawn_with(|c| c.limits.reactions_per_ip.max = 100_000).await;
    let slug = app.first_slug().await;
    let kinds = ["love", "haha", "wow", "sad", "angry", "excited"];
    let mut tasks = Vec::new();
    for reader in 0..50usize {
        let client = app.new_client();
        let (url, slug) = (app.address.clone(), slug.clone());
        tasks.push(tokio::spawn(async move {
            let endpoint = format!("{url}/api/v1/articles/{slug}/reactions");
            for step in 0..4usize {
                let res = if (reader + step) % 4 == 3 {
                    client.delete(&endpoint).send().await.unwrap()
                } else {
                    client
                        .put(&endpoint)
                        .json(&json!({ "reaction": kinds[(reader * 7 + step) % 6] }))
                        .send()
                        .await
                        .unwrap()
                };
                assert_eq!(res.status(), 200, "{:?}", res.text().await);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let drift: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT rc.kind, rc.count, (SELECT COUNT(*) FROM reactions r WHERE r.article_id = rc.article_id AND r.kind = rc.kind) \
         FROM reaction_counts rc",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert!(!drift.is_empty());
    for (kind, counted, stored) in &drift {
        assert_eq!(counted, stored, "{kind}: counter {counted} but {stored} picks stored");
    }
    let picks = app.count("reactions").await;
    let total: Value = app.get(&format!("/api/v1/articles/{slug}/reactions")).await.json().await.unwrap();
    assert_eq!(total["total"].as_i64(), Some(picks));
}

#[tokio::test]
async fn reaction_changes_are_rate_limited_per_address() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let reader = app.new_client();
    for i in 0..30 {
        let kind = if i % 2 == 0 { "love" } else { "wow" };
        assert_eq!(put(&reader, &app, &slug, kind).await.status(), 200);
    }
    let res = put(&reader, &app, &slug, "sad").await;
    assert_eq!(res.status(), 429);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("Please wait"));
}

/// Reads SSE events (id, event name, data) until `n` arrived or 5 s passed.
pub async fn read_events(res: reqwest::Response, n: usize) -> Vec<(i64, String, String)> {
    let mut stream = res.bytes_stream();
    let mut buffer = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while events.len() < n {
        let chunk = match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(Ok(chunk))) => chunk,
            _ => break,
        };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let (mut id, mut name, mut data) = (0, String::new(), String::new());
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().parse().unwrap_or(0);
                } else if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if id > 0 {
                events.push((id, name, data));
            }
        }
    }
    events
}

#[tokio::test]
async fn live_stream_delivers_new_events_and_replays_exactly_what_was_missed() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let live = format!("/api/v1/articles/{slug}/live");
    let res = app.get(&live).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));

    let reader = app.new_client();
    put(&reader, &app, &slug, "love").await;
    let fresh = read_events(res, 1).await;
    assert_eq!(fresh.len(), 1, "a subscriber sees the change live");
    assert_eq!(fresh[0].1, "reactions.updated");
    let data: Value = serde_json::from_str(&fresh[0].2).unwrap();
    assert_eq!(data["counts"]["love"], 1);

    put(&reader, &app, &slug, "wow").await;
    put(&reader, &app, &slug, "haha").await;
    // Reconnect as a browser would, from the first event: exactly the two missed ones, in order.
    let res = app.client.get(app.url(&live)).header("last-event-id", fresh[0].0.to_string()).send().await.unwrap();
    let missed = read_events(res, 3).await;
    let ids: Vec<i64> = missed.iter().map(|e| e.0).collect();
    assert_eq!(missed.len(), 2, "{missed:?}");
    assert!(ids[0] > fresh[0].0 && ids[1] > ids[0]);
    let last: Value = serde_json::from_str(&missed[1].2).unwrap();
    assert_eq!((last["counts"]["haha"].as_i64(), last["counts"]["wow"].as_i64()), (Some(1), Some(0)));
    // The query form (a new EventSource cannot set the header) replays the same.
    let res = app.get(&format!("{live}?last_event_id={}", fresh[0].0)).await;
    assert_eq!(read_events(res, 3).await.len(), 2);
    assert_eq!(app.get("/api/v1/articles/no-such-article/live").await.status(), 404);
}

#[tokio::test]
async fn reaction_form_without_javascript_returns_to_the_widget() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("How does this article make you feel?"));
    assert_eq!(html.matches("name=\"reaction\"").count(), 6);
    let action = html
        .split("class=\"reactions__form\"")
        .next()
        .unwrap()
        .rsplit("action=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let action = if action.starts_with("/_fn/") {
        action
    } else {
        html.split("action=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .find(|a| a.contains("toggle_reaction"))
            .expect("form action")
    };
    let res = app
        .client
        .post(app.url(&action))
        .header("accept", "text/html")
        .form(&[("slug", slug.as_str()), ("reaction", "love")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/articles/{slug}#reactions"));
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("aria-pressed=\"true\""), "the pick shows as pressed");
    assert!(html.contains("1 response"));
}
