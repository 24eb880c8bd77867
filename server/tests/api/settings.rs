//! A reader's own account: the password, the address, the open sessions, and
//! deleting the account (and everything it left, everywhere, live).

use crate::{
    comments::{post_ok, reader, PASSWORD},
    email_links::outbox,
    helpers::{spawn_app, TestApp},
    reactions::read_events,
};
use serde_json::{json, Value};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const NEW_PASSWORD: &str = "paper-moon-lantern-7";

/// A second session of `name`, opened from Firefox.
async fn second_session(app: &TestApp, name: &str) -> reqwest::Client {
    let client = app.new_client();
    let res = client
        .post(app.url("/api/v1/auth/login"))
        .header("user-agent", FIREFOX)
        .json(&json!({ "login": name, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    client
}

async fn status_of_me(app: &TestApp, client: &reqwest::Client) -> u16 {
    client.get(app.url("/api/v1/me")).send().await.unwrap().status().as_u16()
}

async fn settings(app: &TestApp, client: &reqwest::Client) -> Value {
    let res = client.get(app.url("/api/v1/me/settings")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn post_json(client: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let res = client.post(app.url(path)).json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_settings_list_each_open_session_by_device_and_mark_this_one() {
    let app = spawn_app().await;
    let phone = reader(&app, "two_places").await;
    let _laptop = second_session(&app, "two_places").await;
    let seen = settings(&app, &phone).await;
    assert_eq!(seen["email"], "two_places@example.com");
    assert_eq!(seen["email_confirmed"], true);
    let sessions = seen["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{seen}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(sessions.iter().any(|s| s["device"] == "Firefox on Linux" && s["current"] == false), "{seen}");

    let guest = app.new_client();
    assert_eq!(guest.get(app.url("/api/v1/me/settings")).send().await.unwrap().status(), 401);
    let page = guest.get(app.url("/settings")).send().await.unwrap();
    assert_eq!(page.status(), 401, "the page asks a guest to log in");
    assert!(page.text().await.unwrap().contains("Log in to see and change your account"));
    let page = phone.get(app.url("/settings")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "private, no-store");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("two_places@example.com") && html.contains("This browser") && html.contains("Firefox on Linux")
    );
}

#[tokio::test]
async fn logging_out_the_other_sessions_keeps_this_one() {
    let app = spawn_app().await;
    let here = reader(&app, "leaving_cafe").await;
    let there = second_session(&app, "leaving_cafe").await;
    let res = here.delete(app.url("/api/v1/me/sessions/others")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["ended"], 1);
    assert_eq!(status_of_me(&app, &there).await, 401);
    assert_eq!(status_of_me(&app, &here).await, 200);
    assert_eq!(settings(&app, &here).await["sessions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_every_other_session() {
    let app = spawn_app().await;
    let here = reader(&app, "new_secret").await;
    let there = second_session(&app, "new_secret").await;

    let wrong = json!({ "current_password": "not-the-password-1", "new_password": NEW_PASSWORD });
    let (status, body) = post_json(&here, &app, "/api/v1/me/password", wrong).await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("wrong_password")));
    assert_eq!(body["error"]["field"], "current_password");
    let weak = json!({ "current_password": PASSWORD, "new_password": "short" });
    let (status, body) = post_json(&here, &app, "/api/v1/me/password", weak).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "new_password");
    assert_eq!(status_of_me(&app, &there).await, 200, "failed changes end nothing");

    let right = json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD });
    let (status, _) = post_json(&here, &app, "/api/v1/me/password", right).await;
    assert_eq!(status, 200);
    assert_eq!(status_of_me(&app, &here).await, 200, "this browser stays signed in");
    assert_eq!(status_of_me(&app, &there).await, 401, "every other session ended");

    let login = |password: &str| json!({ "login": "new_secret", "password": password });
    assert_eq!(post_json(&app.new_client(), &app, "/api/v1/auth/login", login(PASSWORD)).await.0, 401);
    assert_eq!(post_json(&app.new_client(), &app, "/api/v1/auth/login", login(NEW_PASSWORD)).await.0, 200);
    let mails = outbox(&app, "new_secret@example.com", 1).await;
    assert!(mails.iter().any(|m| m.contains("password of your Spotlight account was just changed")));
}

#[tokio::test]
async fn wrong_current_passwords_are_limited_under_parallel_requests() {
    let app = spawn_app().await;
    let reader = reader(&app, "guessed_at").await;
    let attempts = (0..12).map(|i| {
        let (reader, url) = (reader.clone(), app.url("/api/v1/me/password"));
        async move {
            let body = json!({ "current_password": format!("guess-number-{i}"), "new_password": NEW_PASSWORD });
            reader.post(url).json(&body).send().await.unwrap().status().as_u16()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == 403).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 7, "{statuses:?}");
    // Locked: even the right password waits, and so does deleting the account.
    let right = json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD });
    assert_eq!(post_json(&reader, &app, "/api/v1/me/password", right).await.0, 429);
    assert_eq!(post_json(&reader, &app, "/api/v1/me/delete", json!({ "password": PASSWORD })).await.0, 429);
    assert_eq!(status_of_me(&app, &reader).await, 200);
}

#[tokio::test]
async fn a_new_address_must_be_confirmed_and_the_old_one_is_told() {
    let app = spawn_app().await;
    let mover = reader(&app, "moving_house").await;
    let _other = reader(&app, "neighbour").await;

    let to = |email: &str, password: &str| json!({ "email": email, "password": password });
    let (status, body) = post_json(&mover, &app, "/api/v1/me/email", to("neighbour@example.com", PASSWORD)).await;
    assert_eq!((status, body["error"]["field"].as_str()), (409, Some("email")));
    let (status, body) = post_json(&mover, &app, "/api/v1/me/email", to("MOVING_HOUSE@example.com", PASSWORD)).await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"].as_str().unwrap().contains("already your address"));
    let (status, body) =
        post_json(&mover, &app, "/api/v1/me/email", to("new-home@example.com", "wrong-pass-123")).await;
    assert_eq!((status, body["error"]["field"].as_str()), (403, Some("password")));
    assert_eq!(settings(&app, &mover).await["email"], "moving_house@example.com");

    let (status, _) = post_json(&mover, &app, "/api/v1/me/email", to("new-home@example.com", PASSWORD)).await;
    assert_eq!(status, 200);
    let now = settings(&app, &mover).await;
    assert_eq!((now["email"].as_str(), now["email_confirmed"].as_bool()), (Some("new-home@example.com"), Some(false)));
    let old = outbox(&app, "moving_house@example.com", 1).await;
    assert!(old.iter().any(|m| m.contains("changed to new-home@example.com")), "{old:?}");
    let new = outbox(&app, "new-home@example.com", 1).await;
    let at = new[0].find("/verify-email?token=").expect("a confirmation link") + "/verify-email?token=".len();
    let token: String = new[0][at..].chars().take_while(char::is_ascii_alphanumeric).collect();
    let (status, _) = post_json(&app.new_client(), &app, "/api/v1/auth/verify-email", json!({ "token": token })).await;
    assert_eq!(status, 200);
    assert_eq!(settings(&app, &mover).await["email_confirmed"], true);
    // The old address is free again; the new one logs in.
    let login = json!({ "login": "new-home@example.com", "password": PASSWORD });
    assert_eq!(post_json(&app.new_client(), &app, "/api/v1/auth/login", login).await.0, 200);
}

#[tokio::test]
async fn the_confirmation_link_is_sent_again_at_most_three_times_an_hour() {
    let app = spawn_app().await;
    let fresh = app.new_client();
    let signup = json!({ "username": "no_mail_yet", "email": "no_mail_yet@example.com", "password": PASSWORD });
    assert_eq!(post_json(&fresh, &app, "/api/v1/auth/signup", signup).await.0, 201);
    let asks = (0..6).map(|_| {
        let (fresh, url) = (fresh.clone(), app.url("/api/v1/me/email/confirmation"));
        async move { fresh.post(url).send().await.unwrap().status().as_u16() }
    });
    let statuses = futures::future::join_all(asks).await;
    assert_eq!(statuses.iter().filter(|s| **s == 202).count(), 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 3, "{statuses:?}");
    // The sign-up's link and the three sent again.
    assert_eq!(outbox(&app, "no_mail_yet@example.com", 4).await.len(), 4);

    let confirmed = reader(&app, "already_sure").await;
    let (status, _) = post_json(&confirmed, &app, "/api/v1/me/email/confirmation", json!({})).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn deleting_an_account_erases_its_words_likes_and_reactions_everywhere_and_live() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let leaver = reader(&app, "leaving_now").await;
    let stayer = reader(&app, "staying_on").await;
    let answered = post_ok(&leaver, &app, &slug, "Farewell words kappa", None).await["id"].as_i64().unwrap();
    let alone = post_ok(&leaver, &app, &slug, "Lonely words lambda", None).await["id"].as_i64().unwrap();
    let reply = post_ok(&stayer, &app, &slug, "A reply that stays mu", Some(answered)).await["id"].as_i64().unwrap();
    // Too deep to indent: the answer names whom it answers, until that account is gone.
    let deep = post_ok(&leaver, &app, &slug, "Deep words omicron", Some(reply)).await["id"].as_i64().unwrap();
    let answer = post_ok(&stayer, &app, &slug, "An answer that stays xi", Some(deep)).await;
    assert_eq!(answer["reply_to"], "leaving_now");
    let like = leaver.post(app.url(&format!("/api/v1/comments/{reply}/like"))).send().await.unwrap();
    assert_eq!(like.status(), 200);
    let reaction = leaver
        .put(app.url(&format!("/api/v1/articles/{slug}/reactions")))
        .json(&json!({ "reaction": "love" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reaction.status(), 200);
    let reactions_now =
        || async { app.get(&format!("/api/v1/articles/{slug}/reactions")).await.json::<Value>().await.unwrap() };
    assert_eq!(reactions_now().await["total"], 1);

    let (status, body) = post_json(&leaver, &app, "/api/v1/me/delete", json!({ "password": "wrong-pass-123" })).await;
    assert_eq!((status, body["error"]["field"].as_str()), (403, Some("password")));
    assert_eq!(status_of_me(&app, &leaver).await, 200, "a wrong password deletes nothing");

    // A reader watching the article live.
    let watcher = app.new_client();
    let live = watcher.get(app.url(&format!("/api/v1/articles/{slug}/live"))).send().await.unwrap();
    assert_eq!(live.status(), 200);
    let res = leaver.post(app.url("/api/v1/me/delete")).json(&json!({ "password": PASSWORD })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let cleared = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cleared.contains("Max-Age=0"), "the session cookie is cleared: {cleared}");

    let events = read_events(live, 5).await;
    let kinds: Vec<&str> = events.iter().map(|(_, kind, _)| kind.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "comment.deleted").count(), 3, "{events:?}");
    assert!(kinds.contains(&"comment.liked") && kinds.contains(&"reactions.updated"), "{events:?}");
    let seen: String = events.iter().map(|(_, _, data)| data.as_str()).collect();
    assert!(!seen.contains("kappa") && !seen.contains("lambda") && !seen.contains("leaving_now"), "{seen}");

    // Logged out everywhere; the account cannot log in, and has no profile.
    assert_eq!(status_of_me(&app, &leaver).await, 401);
    let login = json!({ "login": "leaving_now", "password": PASSWORD });
    assert_eq!(post_json(&app.new_client(), &app, "/api/v1/auth/login", login).await.0, 401);
    assert_eq!(app.get("/u/leaving_now").await.status(), 404);

    // The thread keeps the reply under a "[deleted]" comment; counts are back.
    let thread: Value = app.get(&format!("/api/v1/articles/{slug}/comments")).await.json().await.unwrap();
    let text = thread.to_string();
    assert!(!text.contains("kappa") && !text.contains("lambda") && !text.contains("leaving_now"), "{text}");
    assert!(text.contains("A reply that stays mu") && text.contains("An answer that stays xi"));
    assert!(!text.contains("omicron"), "{text}");
    assert_eq!(reactions_now().await["total"], 0);
    let reply_now: Value = app.get(&format!("/api/v1/comments/{reply}")).await.json().await.unwrap();
    assert_eq!(reply_now["likes"], 0);
    let page = app.get(&format!("/articles/{slug}")).await.text().await.unwrap();
    assert!(!page.contains("kappa") && !page.contains("lambda") && page.contains("A reply that stays mu"));
    for id in [answered, alone, deep] {
        let words: String = sqlx::query_scalar("SELECT body_source || body_html FROM comments WHERE id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(words, "", "the words are gone from the database too");
    }
    let (email, sessions): (String, i64) = sqlx::query_as(
        "SELECT u.email, (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id) FROM users u WHERE username = $1",
    )
    .bind("leaving_now")
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!((email.as_str(), sessions), ("", 0));
    let told: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'leaving_now'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(told, 0, "the reader's notifications go with the account");
}

#[tokio::test]
async fn a_deleted_accounts_name_is_reserved_for_thirty_days_but_its_address_is_free() {
    let app = spawn_app().await;
    let leaver = reader(&app, "old_name").await;
    assert_eq!(post_json(&leaver, &app, "/api/v1/me/delete", json!({ "password": PASSWORD })).await.0, 200);

    let signup = |name: &str, email: &str| json!({ "username": name, "email": email, "password": PASSWORD });
    let (status, body) =
        post_json(&app.new_client(), &app, "/api/v1/auth/signup", signup("OLD_NAME", "someone@example.com")).await;
    assert_eq!((status, body["error"]["field"].as_str()), (409, Some("username")));
    let (status, _) =
        post_json(&app.new_client(), &app, "/api/v1/auth/signup", signup("fresh_start", "old_name@example.com")).await;
    assert_eq!(status, 201, "the address can sign up again at once");

    sqlx::query("UPDATE users SET deleted_at = deleted_at - 31 * 24 * 3600 WHERE username = 'old_name'")
        .execute(&app.state.db)
        .await
        .unwrap();
    let (status, _) =
        post_json(&app.new_client(), &app, "/api/v1/auth/signup", signup("old_name", "newcomer@example.com")).await;
    assert_eq!(status, 201, "after 30 days the name is free");
}
