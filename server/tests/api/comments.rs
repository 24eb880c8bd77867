use crate::helpers::{spawn_app, spawn_with, TestApp};
use crate::reactions::read_events;
use serde_json::{json, Value};

pub const PASSWORD: &str = "harbour-lantern-92";

/// A logged-in reader with their own cookie jar.
pub async fn reader(app: &TestApp, name: &str) -> reqwest::Client {
    let client = app.new_client();
    let res = client
        .post(app.url("/api/v1/auth/signup"))
        .json(&json!({ "username": name, "email": format!("{name}@example.com"), "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    // Accounts older than ten minutes with a confirmed address are not held for links:
    // age and confirm them unless a test wants otherwise.
    sqlx::query("UPDATE users SET created_at = created_at - 3600, email_verified_at = created_at WHERE username = $1")
        .bind(name)
        .execute(&app.state.db)
        .await
        .unwrap();
    client
}

pub async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    slug: &str,
    body: &str,
    parent: Option<i64>,
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&json!({ "body": body, "parent_id": parent }))
        .send()
        .await
        .unwrap()
}

pub async fn post_ok(client: &reqwest::Client, app: &TestApp, slug: &str, body: &str, parent: Option<i64>) -> Value {
    let res = post(client, app, slug, body, parent).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    res.json().await.unwrap()
}

async fn page(app: &TestApp, slug: &str, query: &str) -> Value {
    app.get(&format!("/api/v1/articles/{slug}/comments{query}")).await.json().await.unwrap()
}

#[tokio::test]
async fn guests_cannot_comment() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let res = post(&app.new_client(), &app, &slug, "Hello", None).await;
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    assert_eq!(app.count("comments").await, 0);
}

#[tokio::test]
async fn posted_comment_is_rendered_with_the_article_for_search_engines() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let mina = reader(&app, "mina").await;
    let created = post_ok(&mina, &app, &slug, "What a *twist* in episode 9!", None).await;
    assert!(created["id"].as_i64().unwrap() > 0);
    assert_eq!(created["body_html"], "<p>What a <em>twist</em> in episode 9!</p>\n");
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("What a <em>twist</em> in episode 9!"), "comment in the server-rendered HTML");
    assert!(html.contains("1 comment"));
    let list: Value = app.get("/api/v1/articles").await.json().await.unwrap();
    assert_eq!(list["items"][0]["comments"], 1, "cards carry the count");
}

#[tokio::test]
async fn replies_nest_to_depth_three_then_attach_and_name_whom_they_answer() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let a = reader(&app, "alpha").await;
    let b = reader(&app, "bravo").await;
    let top = post_ok(&a, &app, &slug, "Top", None).await["id"].as_i64().unwrap();
    let d2 = post_ok(&b, &app, &slug, "Depth two", Some(top)).await;
    assert_eq!(d2["depth"], 2);
    let d3 = post_ok(&a, &app, &slug, "Depth three", Some(d2["id"].as_i64().unwrap())).await;
    assert_eq!(d3["depth"], 3);
    let deeper = post_ok(&b, &app, &slug, "Deeper still", Some(d3["id"].as_i64().unwrap())).await;
    assert_eq!(deeper["depth"], 3);
    assert_eq!(deeper["parent_id"], d2["id"], "attached beside its parent");
    assert_eq!(deeper["reply_to"], "alpha");
    let listing = page(&app, &slug, "").await;
    let thread = &listing["threads"][0];
    assert_eq!(thread["replies"][0]["replies"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn editing_is_for_the_author_within_fifteen_minutes() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "author").await;
    let other = reader(&app, "other").await;
    let id = post_ok(&author, &app, &slug, "Frist!", None).await["id"].as_i64().unwrap();
    let edit = |client: &reqwest::Client, body: &str| {
        client.patch(app.url(&format!("/api/v1/comments/{id}"))).json(&json!({ "body": body })).send()
    };
    let res = edit(&author, "First!").await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!((body["edited"].as_bool(), body["body_html"].as_str()), (Some(true), Some("<p>First!</p>\n")));
    assert_eq!(edit(&other, "Hijacked").await.unwrap().status(), 403);
    sqlx::query("UPDATE comments SET created_at = created_at - 16 * 60").execute(&app.state.db).await.unwrap();
    let late = edit(&author, "Too late").await.unwrap();
    assert_eq!(late.status(), 403);
    let err: Value = late.json().await.unwrap();
    assert!(err["error"]["message"].as_str().unwrap().contains("15 minutes"));
}

#[tokio::test]
async fn deleting_a_comment_with_replies_keeps_the_thread() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let a = reader(&app, "parent_author").await;
    let b = reader(&app, "replier").await;
    let top = post_ok(&a, &app, &slug, "Parent", None).await["id"].as_i64().unwrap();
    post_ok(&b, &app, &slug, "Child", Some(top)).await;
    let lonely = post_ok(&a, &app, &slug, "Alone", None).await["id"].as_i64().unwrap();
    assert_eq!(b.delete(app.url(&format!("/api/v1/comments/{top}"))).send().await.unwrap().status(), 403);
    assert_eq!(a.delete(app.url(&format!("/api/v1/comments/{top}"))).send().await.unwrap().status(), 204);
    assert_eq!(a.delete(app.url(&format!("/api/v1/comments/{lonely}"))).send().await.unwrap().status(), 204);
    let listing = page(&app, &slug, "").await;
    let threads = listing["threads"].as_array().unwrap();
    assert_eq!(threads.len(), 1, "the lonely deleted comment is gone");
    assert_eq!(threads[0]["status"], "deleted");
    assert!(threads[0]["author"].is_null() && threads[0]["body_html"] == "");
    assert_eq!(threads[0]["replies"][0]["body_html"], "<p>Child</p>\n");
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("[deleted]") && !html.contains("<p>Parent</p>"));
    assert_eq!(listing["total"], 1);
}

#[tokio::test]
async fn likes_are_one_per_reader() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let a = reader(&app, "liked_one").await;
    let b = reader(&app, "liker").await;
    let id = post_ok(&a, &app, &slug, "Like me", None).await["id"].as_i64().unwrap();
    let url = app.url(&format!("/api/v1/comments/{id}/like"));
    for _ in 0..2 {
        let body: Value = b.post(&url).send().await.unwrap().json().await.unwrap();
        assert_eq!((body["likes"].as_i64(), body["liked"].as_bool()), (Some(1), Some(true)));
    }
    let body: Value = b.delete(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!((body["likes"].as_i64(), body["liked"].as_bool()), (Some(0), Some(false)));
    assert_eq!(app.new_client().post(&url).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn reports_reach_the_moderation_queue() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let a = reader(&app, "troll").await;
    let b = reader(&app, "reporter").await;
    let id = post_ok(&a, &app, &slug, "Rude words", None).await["id"].as_i64().unwrap();
    let url = app.url(&format!("/api/v1/comments/{id}/report"));
    assert_eq!(b.post(&url).json(&json!({ "reason": "" })).send().await.unwrap().status(), 422);
    assert_eq!(b.post(&url).json(&json!({ "reason": "Insults another reader" })).send().await.unwrap().status(), 202);
    let reasons: Vec<String> =
        sqlx::query_scalar("SELECT reason FROM comment_reports").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(reasons, ["Insults another reader"]);
}

#[tokio::test]
async fn comment_bodies_are_sanitised_on_the_way_in() {
    let app = spawn_with(|c| c.limits.comments_per_user.max = 100).await;
    let slug = app.first_slug().await;
    let a = reader(&app, "hacker").await;
    let attacks = [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=//evil.example></iframe>",
        "[y](data:text/html,<script>alert(1)</script>)",
    ];
    for (i, attack) in attacks.iter().enumerate() {
        let body = post_ok(&a, &app, &slug, &format!("{attack} #{i}"), None).await;
        let html = body["body_html"].as_str().unwrap().to_lowercase();
        // Text may mention anything; what matters is the markup that was produced.
        let tags: Vec<&str> = html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or_default()).collect();
        for tag in &tags {
            for bad in ["script", "javascript:", "onerror", "onload", "iframe", "svg", "img", "data:"] {
                assert!(!tag.contains(bad), "{attack} -> {html}");
            }
        }
    }
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(!page.contains("<script>alert(1)</script>"));
}

#[tokio::test]
async fn links_get_nofollow_ugc() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let a = reader(&app, "linker").await;
    let body = post_ok(&a, &app, &slug, "See [the trailer](https://example.com/t)", None).await;
    assert_eq!(
        body["body_html"],
        "<p>See <a href=\"https://example.com/t\" rel=\"nofollow ugc noopener\">the trailer</a></p>\n"
    );
}

#[tokio::test]
async fn bad_bodies_get_clear_errors() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let a = reader(&app, "wordy").await;
    let res = post(&a, &app, &slug, "   ", None).await;
    assert_eq!(res.status(), 422);
    let res = post(&a, &app, &slug, &"x".repeat(5_001), None).await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert!(err["error"]["message"].as_str().unwrap().contains("5000"));
    assert_eq!(post(&a, &app, "no-such-article", "Hi", None).await.status(), 404);
    assert_eq!(post(&a, &app, &slug, "Hi", Some(999_999)).await.status(), 404);
    assert_eq!(app.count("comments").await, 0);
}

#[tokio::test]
async fn commenting_is_rate_limited_and_repeats_are_refused() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let a = reader(&app, "fast_typer").await;
    post_ok(&a, &app, &slug, "Same words", None).await;
    let again = post(&a, &app, &slug, "same   WORDS", None).await;
    assert_eq!(again.status(), 409);
    for i in 0..4 {
        post_ok(&a, &app, &slug, &format!("Comment {i}"), None).await;
    }
    let res = post(&a, &app, &slug, "One too many", None).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let err: Value = res.json().await.unwrap();
    assert!(err["error"]["message"].as_str().unwrap().contains("Please wait"));
}

#[tokio::test]
async fn a_new_accounts_first_comment_with_links_is_held() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let newbie = app.new_client();
    newbie
        .post(app.url("/api/v1/auth/signup"))
        .json(&json!({ "username": "newbie", "email": "n@example.com", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let body = post_ok(&newbie, &app, &slug, "Buy now at https://spam.example", None).await;
    assert_eq!((body["held"].as_bool(), body["status"].as_str()), (Some(true), Some("held")));
    assert!(body["message"].as_str().unwrap().contains("moderator"));
    assert_eq!(page(&app, &slug, "").await["threads"].as_array().unwrap().len(), 0, "others do not see it");
    let plain = post_ok(&newbie, &app, &slug, "No links this time", None).await;
    assert_eq!(plain["held"], false);
}

#[tokio::test]
async fn pagination_is_stable_while_new_comments_arrive() {
    let app = spawn_with(|c| c.limits.comments_per_user.max = 10_000).await;
    let slug = app.first_slug().await;
    let a = reader(&app, "prolific").await;
    for i in 0..45 {
        post_ok(&a, &app, &slug, &format!("Thread {i}"), None).await;
    }
    let first = page(&app, &slug, "").await;
    assert_eq!(first["threads"].as_array().unwrap().len(), 20);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    // Ten more arrive while the reader is on page one.
    for i in 0..10 {
        post_ok(&a, &app, &slug, &format!("Late {i}"), None).await;
    }
    let second = page(&app, &slug, &format!("?cursor={cursor}")).await;
    let third = page(&app, &slug, &format!("?cursor={}", second["next_cursor"].as_str().unwrap())).await;
    let mut seen: Vec<i64> = Vec::new();
    for p in [&first, &second, &third] {
        seen.extend(p["threads"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()));
    }
    assert_eq!(seen.len(), 45, "every original thread exactly once");
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 45);
    assert!(third["next_cursor"].is_null());
    let oldest = page(&app, &slug, "?sort=oldest").await;
    assert_eq!(oldest["threads"][0]["body_html"], "<p>Thread 0</p>\n");
    assert_eq!(app.get(&format!("/api/v1/articles/{slug}/comments?sort=loudest")).await.status(), 422);
}

#[tokio::test]
async fn top_sort_orders_by_likes() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let a = reader(&app, "poster").await;
    let fans = [reader(&app, "fan_one").await, reader(&app, "fan_two").await];
    let quiet = post_ok(&a, &app, &slug, "Quiet", None).await["id"].as_i64().unwrap();
    let loved = post_ok(&a, &app, &slug, "Loved", None).await["id"].as_i64().unwrap();
    let _ = quiet;
    for fan in &fans {
        fan.post(app.url(&format!("/api/v1/comments/{loved}/like"))).send().await.unwrap();
    }
    let top = page(&app, &slug, "?sort=top").await;
    assert_eq!(top["threads"][0]["id"], loved);
    assert_eq!(top["threads"][0]["likes"], 2);
}

#[tokio::test]
async fn comment_events_go_out_live_and_replay_from_the_log() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let a = reader(&app, "live_author").await;
    let b = reader(&app, "live_fan").await;
    let live = format!("/api/v1/articles/{slug}/live");
    let stream = app.get(&live).await;
    let id = post_ok(&a, &app, &slug, "Live!", None).await["id"].as_i64().unwrap();
    b.post(app.url(&format!("/api/v1/comments/{id}/like"))).send().await.unwrap();
    a.patch(app.url(&format!("/api/v1/comments/{id}"))).json(&json!({ "body": "Live, edited" })).send().await.unwrap();
    a.delete(app.url(&format!("/api/v1/comments/{id}"))).send().await.unwrap();
    let events = read_events(stream, 4).await;
    let kinds: Vec<&str> = events.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(kinds, ["comment.created", "comment.liked", "comment.updated", "comment.deleted"]);
    let created: Value = serde_json::from_str(&events[0].2).unwrap();
    assert_eq!(created["id"], id);
    // Missed everything after the first event: exactly the other three come back.
    let res = app.client.get(app.url(&live)).header("last-event-id", events[0].0.to_string()).send().await.unwrap();
    let replay = read_events(res, 4).await;
    assert_eq!(replay.iter().map(|e| e.0).collect::<Vec<_>>(), events[1..].iter().map(|e| e.0).collect::<Vec<_>>());
}

#[tokio::test]
async fn moderators_hide_and_ban_readers_do_not() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let troll = reader(&app, "troll_two").await;
    let moderator = reader(&app, "mod_one").await;
    sqlx::query("UPDATE users SET role = 'moderator' WHERE username = 'mod_one'").execute(&app.state.db).await.unwrap();
    let id = post_ok(&troll, &app, &slug, "Nasty", None).await["id"].as_i64().unwrap();
    let live = app.get(&format!("/api/v1/articles/{slug}/live")).await;

    let state = app.state.clone();
    let user_of = |name: &'static str| {
        let state = state.clone();
        async move {
            let row = app::auth::store::by_username(&state.db, name).await.unwrap().unwrap();
            app::auth::CurrentUser {
                id: row.id,
                username: row.username,
                role: row.role,
                banned: false,
                verified: row.email_verified_at.is_some(),
                joined: app::articles::service::stamp(row.created_at),
                joined_unix: row.created_at,
                unread: 0,
            }
        }
    };
    let as_troll = user_of("troll_two").await;
    let refused =
        app::comments::service::moderate(&app.state, &as_troll, id, app::comments::service::Action::Hide).await;
    assert_eq!(refused.unwrap_err().status(), 403);
    let as_mod = user_of("mod_one").await;
    app::comments::service::moderate(&app.state, &as_mod, id, app::comments::service::Action::Hide).await.unwrap();
    let events = read_events(live, 1).await;
    assert_eq!(events[0].1, "comment.deleted", "hidden comments disappear live");
    assert_eq!(page(&app, &slug, "").await["threads"].as_array().unwrap().len(), 0);
    let _ = moderator;

    app::comments::service::ban(&app.state, &as_mod, "troll_two", true).await.unwrap();
    let res = post(&troll, &app, &slug, "Back again", None).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn moderation_page_is_for_moderators_only() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/moderation").await;
    assert_eq!(status, 401);
    assert!(html.contains("Log in"));
    let client = reader(&app, "plain_reader").await;
    let res = client.get(app.url("/moderation")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    sqlx::query("UPDATE users SET role = 'moderator' WHERE username = 'plain_reader'")
        .execute(&app.state.db)
        .await
        .unwrap();
    let res = client.get(app.url("/moderation")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Moderation"));
}
