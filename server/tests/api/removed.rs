//! What is edited away, deleted, hidden or held is gone from every place it
//! was shown: the live replay, the API, the pages.

use crate::comments::{post_ok, reader};
use crate::helpers::{spawn_app, TestApp};
use crate::reactions::read_events;
use serde_json::{json, Value};

pub async fn make_moderator(app: &TestApp, name: &str) -> reqwest::Client {
    let client = reader(app, name).await;
    sqlx::query("UPDATE users SET role = 'moderator' WHERE username = $1")
        .bind(name)
        .execute(&app.state.db)
        .await
        .unwrap();
    client
}

/// Every event the stream replays after `from`, as raw text.
async fn replay_text(app: &TestApp, slug: &str, from: i64) -> String {
    let live = format!("/api/v1/articles/{slug}/live?last_event_id={from}");
    let res = app.client.get(app.url(&live)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let events = read_events(res, 50).await;
    assert!(!events.is_empty(), "the replay from {from} sent nothing");
    events.iter().map(|(id, kind, data)| format!("{id} {kind} {data}\n")).collect()
}

#[tokio::test]
async fn no_replay_api_or_page_carries_removed_or_held_text() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "trusted_author").await;
    let moderator = make_moderator(&app, "trusted_mod").await;

    let edited = post_ok(&author, &app, &slug, "Words soon edited away alpha", None).await["id"].as_i64().unwrap();
    let res = author
        .patch(app.url(&format!("/api/v1/comments/{edited}")))
        .json(&json!({ "body": "The words that stay beta" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let by_author = post_ok(&author, &app, &slug, "Deleted by its author gamma", None).await["id"].as_i64().unwrap();
    assert_eq!(author.delete(app.url(&format!("/api/v1/comments/{by_author}"))).send().await.unwrap().status(), 204);
    let by_mod = post_ok(&author, &app, &slug, "Deleted by a moderator delta", None).await["id"].as_i64().unwrap();
    assert_eq!(moderator.delete(app.url(&format!("/api/v1/comments/{by_mod}"))).send().await.unwrap().status(), 204);
    let hidden = post_ok(&author, &app, &slug, "A hidden doxxing epsilon", None).await["id"].as_i64().unwrap();
    app::comments::service::moderate(
        &app.state,
        &moderator_user(&app, "trusted_mod").await,
        hidden,
        app::comments::service::Action::Hide,
    )
    .await
    .unwrap();
    // A new account's first comment with a link waits for a moderator.
    let newcomer = app.new_client();
    let res = newcomer
        .post(app.url("/api/v1/auth/signup"))
        .json(&json!({ "username": "fresh_face", "email": "fresh@example.com", "password": crate::comments::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let held = post_ok(&newcomer, &app, &slug, "Held for review https://zeta.example/", None).await;
    assert_eq!(held["status"], "held");

    let removed = ["alpha", "gamma", "delta", "epsilon", "zeta"];
    for from in [0, 1] {
        let replay = replay_text(&app, &slug, from).await;
        for word in removed {
            assert!(!replay.contains(word), "the replay from {from} still carries {word:?}:\n{replay}");
        }
        assert!(replay.contains("beta"), "the edited comment is replayed as it is now:\n{replay}");
    }
    let guest = crate::helpers::plain_client();
    let api =
        guest.get(app.url(&format!("/api/v1/articles/{slug}/comments"))).send().await.unwrap().text().await.unwrap();
    let page = guest.get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    let profile = guest.get(app.url("/u/trusted_author")).send().await.unwrap().text().await.unwrap();
    for (place, text) in [("the API", &api), ("the page", &page), ("the profile", &profile)] {
        for word in removed {
            assert!(!text.contains(word), "{place} still shows {word:?}");
        }
    }
    assert!(page.contains("beta") && api.contains("beta"));
    // Its author still sees the held comment; nobody else does.
    let own: Value =
        newcomer.get(app.url(&format!("/api/v1/articles/{slug}/comments"))).send().await.unwrap().json().await.unwrap();
    assert!(own.to_string().contains("zeta"));
    let bystander = crate::comments::reader(&app, "bystander").await;
    for path in [format!("/api/v1/articles/{slug}/comments"), format!("/articles/{slug}")] {
        let theirs = bystander.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        assert!(theirs.contains("beta") && !theirs.contains("zeta"), "another reader sees the held comment at {path}");
    }
}

pub async fn moderator_user(app: &TestApp, name: &str) -> app::auth::CurrentUser {
    let row: (i64, i64) = sqlx::query_as("SELECT id, created_at FROM users WHERE username = $1")
        .bind(name)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    app::auth::CurrentUser {
        id: row.0,
        username: name.to_owned(),
        role: app::auth::Role::Moderator,
        banned: false,
        verified: true,
        joined: app::articles::service::stamp(row.1),
        joined_unix: row.1,
        unread: 0,
    }
}

#[tokio::test]
async fn a_reader_from_before_the_pruned_log_is_told_to_reload() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let author = reader(&app, "pruned_author").await;
    post_ok(&author, &app, &slug, "Before the log was pruned", None).await;
    post_ok(&author, &app, &slug, "Also before the log was pruned", None).await;
    let far_future = app::db::now() + app::live::service::RETENTION_SECS + 60;
    assert!(app::live::service::prune(&app.state, far_future).await.unwrap() >= 2);
    let after = post_ok(&author, &app, &slug, "After the log was pruned", None).await["id"].as_i64().unwrap();

    for from in [0, 1] {
        let res = app
            .client
            .get(app.url(&format!("/api/v1/articles/{slug}/live?last_event_id={from}")))
            .send()
            .await
            .unwrap();
        let events = read_events(res, 2).await;
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events[0].1, "reset", "a partial replay instead of a reset: {events:?}");
        assert_eq!(events[1].1, "comment.created");
        assert_eq!(serde_json::from_str::<Value>(&events[1].2).unwrap()["id"], after);
    }
    // A reader who was up to date when the log was pruned just continues.
    let latest: i64 = sqlx::query_scalar("SELECT MAX(id) FROM live_events").fetch_one(&app.state.db).await.unwrap();
    let res = app
        .client
        .get(app.url(&format!("/api/v1/articles/{slug}/live?last_event_id={}", latest - 1)))
        .send()
        .await
        .unwrap();
    let events = read_events(res, 1).await;
    assert_eq!(events[0].1, "comment.created");
}
