//! Mail and the links it carries: verifying an address, resetting a password,
//! through a real SMTP server on loopback and through the outbox.

use crate::{
    comments::{post, PASSWORD},
    helpers::{spawn_app, spawn_with, TestApp},
    smtp_sink::SmtpSink,
};
use base64::Engine as _;
use serde_json::{json, Value};

/// The text of a message as sent: headers, then the body decoded from its
/// transfer encoding (quoted-printable or base64 for long lines).
fn decoded(raw: &str) -> (String, String) {
    let (head, body) = raw.split_once("\n\n").expect("headers, then a body");
    let encoding = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Transfer-Encoding: "))
        .unwrap_or("7bit")
        .trim()
        .to_ascii_lowercase();
    let body = match encoding.as_str() {
        "base64" => {
            let joined: String = body.split_whitespace().collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(joined).unwrap()).unwrap()
        }
        "quoted-printable" => {
            let soft = body.replace("=\n", "");
            let mut out = Vec::new();
            let bytes = soft.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'=' && i + 2 < bytes.len() {
                    out.push(u8::from_str_radix(&soft[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        }
        _ => body.to_owned(),
    };
    (head.to_owned(), body)
}

/// The token of the first link to `path` in a mail body.
fn token_in(body: &str, path: &str) -> String {
    let at = body.find(&format!("{path}?token=")).unwrap_or_else(|| panic!("no {path} link in:\n{body}"));
    body[at + path.len() + 7..].chars().take_while(char::is_ascii_alphanumeric).collect()
}

/// The outbox's mails to `to`, oldest first, waiting up to ten seconds for `n`.
pub async fn outbox(app: &TestApp, to: &str, n: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let bodies: Vec<String> =
            sqlx::query_scalar("SELECT body_text FROM mail_outbox WHERE recipient = $1 ORDER BY id")
                .bind(to)
                .fetch_all(&app.state.db)
                .await
                .unwrap();
        if bodies.len() >= n {
            return bodies;
        }
        assert!(tokio::time::Instant::now() < deadline, "{n} mail(s) to {to} did not reach the outbox");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn signup(app: &TestApp, name: &str) -> reqwest::Client {
    let client = app.new_client();
    let body = json!({ "username": name, "email": format!("{name}@example.com"), "password": PASSWORD });
    let res = client.post(app.url("/api/v1/auth/signup")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    client
}

async fn me(app: &TestApp, client: &reqwest::Client) -> (u16, Value) {
    let res = client.get(app.url("/api/v1/me")).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn sign_up_mails_a_confirmation_link_over_smtp_that_works_once() {
    let (sink, smtp_url) = SmtpSink::start().await;
    let app = spawn_with(move |c| c.mail.smtp_url = Some(smtp_url)).await;
    let reader = signup(&app, "mailed_reader").await;
    assert_eq!(me(&app, &reader).await.1["verified"], false);

    let raw = sink.wait_for(1).await.remove(0);
    let (head, body) = decoded(&raw);
    assert!(head.contains("To: mailed_reader@example.com"), "{head}");
    assert!(head.contains("Content-Type: text/plain; charset=utf-8"), "a plain-text mail: {head}");
    assert!(body.contains(&format!("{}/verify-email?token=", app.address)), "links use the site's URL:\n{body}");
    let token = token_in(&body, "/verify-email");
    assert_eq!(token.len(), 64);
    assert_eq!(app.count("mail_outbox").await, 0, "sent mail is not kept");
    let stored: String =
        sqlx::query_scalar("SELECT token_hash FROM account_tokens").fetch_one(&app.state.db).await.unwrap();
    assert_ne!(stored, token, "only the token's hash is stored");

    // Opening the link changes nothing (mail scanners open links); its button does.
    let (status, page) = app.get_text(&format!("/verify-email?token={token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Confirm my email address"));
    assert_eq!(me(&app, &reader).await.1["verified"], false);

    let url = app.url("/api/v1/auth/verify-email");
    let res = app.client.post(&url).json(&json!({ "token": token })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(me(&app, &reader).await.1["verified"], true);
    let again = app.client.post(&url).json(&json!({ "token": token })).send().await.unwrap();
    assert_eq!(again.status(), 404, "a link works once");
    let body: Value = again.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("not valid any more"));
}

#[tokio::test]
async fn an_unconfirmed_readers_comments_with_links_wait_until_they_confirm() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let reader = signup(&app, "unconfirmed").await;
    // Old enough that the new-account rule does not hold the comment: only the address does.
    sqlx::query("UPDATE users SET created_at = created_at - 3600 WHERE username = 'unconfirmed'")
        .execute(&app.state.db)
        .await
        .unwrap();
    let plain = post(&reader, &app, &slug, "No links in this one.", None).await;
    assert_eq!(plain.json::<Value>().await.unwrap()["status"], "visible");
    let linked = post(&reader, &app, &slug, "Read https://spotlight.example/more first", None).await;
    assert_eq!(linked.json::<Value>().await.unwrap()["status"], "held");

    let mails = outbox(&app, "unconfirmed@example.com", 1).await;
    assert!(mails[0].contains(&format!("{}/verify-email?token=", app.address)));
    let token = token_in(&mails[0], "/verify-email");
    let res =
        app.client.post(app.url("/api/v1/auth/verify-email")).json(&json!({ "token": token })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let after = post(&reader, &app, &slug, "And https://spotlight.example/later too", None).await;
    assert_eq!(after.json::<Value>().await.unwrap()["status"], "visible");
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let app = spawn_app().await;
    let first = signup(&app, "forgetful").await;
    let second = app.new_client();
    let login = json!({ "login": "forgetful", "password": PASSWORD });
    assert_eq!(second.post(app.url("/api/v1/auth/login")).json(&login).send().await.unwrap().status(), 200);

    let res = app
        .client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({ "email": "Forgetful@Example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let answer: Value = res.json().await.unwrap();
    let mails = outbox(&app, "forgetful@example.com", 2).await;
    let token = token_in(&mails[1], "/reset-password");
    assert!(mails[1].contains(&format!("{}/reset-password?token=", app.address)));

    let confirm = app.url("/api/v1/auth/password-reset/confirm");
    let weak =
        app.client.post(&confirm).json(&json!({ "token": token, "password": "1234567890" })).send().await.unwrap();
    assert_eq!(weak.status(), 422, "a refused password does not use the link up");
    let new_password = "lantern-harbour-from-the-reset";
    let ok = app.client.post(&confirm).json(&json!({ "token": token, "password": new_password })).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(me(&app, &first).await.0, 401, "the first session ended");
    assert_eq!(me(&app, &second).await.0, 401, "the second session ended");
    let old = app.new_client().post(app.url("/api/v1/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(old.status(), 401);
    let new_login = json!({ "login": "forgetful", "password": new_password });
    assert_eq!(
        app.new_client().post(app.url("/api/v1/auth/login")).json(&new_login).send().await.unwrap().status(),
        200
    );
    let reuse = app
        .client
        .post(&confirm)
        .json(&json!({ "token": token, "password": "another-long-passphrase" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reuse.status(), 404, "a reset link works once");

    // An address nobody uses gets the very same answer, and no mail.
    let unknown = app
        .client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({ "email": "nobody@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 202);
    assert_eq!(unknown.json::<Value>().await.unwrap(), answer);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(outbox(&app, "nobody@example.com", 0).await.is_empty());
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_asked_for_and_per_client_even_in_parallel() {
    let app = spawn_app().await;
    signup(&app, "popular").await;
    let ask = |email: &'static str| {
        let (client, url) = (app.new_client(), app.url("/api/v1/auth/password-reset"));
        async move { client.post(url).json(&json!({ "email": email })).send().await.unwrap().status().as_u16() }
    };
    // Four asks for one account: three mails (and the verification mail), the same answer each time.
    let statuses = futures::future::join_all((0..4).map(|_| ask("popular@example.com"))).await;
    assert_eq!(statuses, [202; 4]);
    let mails = outbox(&app, "popular@example.com", 4).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(outbox(&app, "popular@example.com", 0).await.len(), mails.len());
    assert_eq!(mails.iter().filter(|m| m.contains("/reset-password?token=")).count(), 3);
    // Ten from one client address in an hour: the rest are refused, however they are sent.
    let statuses = futures::future::join_all((0..12).map(|_| ask("someone@example.com"))).await;
    assert_eq!(statuses.iter().filter(|s| **s == 202).count(), 6, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 6, "{statuses:?}");
}

#[tokio::test]
async fn bad_links_and_addresses_get_clear_errors() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({ "email": "not-an-address" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = app
        .client
        .post(app.url("/api/v1/auth/password-reset/confirm"))
        .json(&json!({ "token": "made-up", "password": "a-perfectly-fine-passphrase" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = app.client.post(app.url("/api/v1/auth/verify-email")).json(&json!({ "token": "" })).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let (status, page) = app.get_text("/forgot-password").await;
    assert_eq!(status, 200);
    assert!(page.contains("Send me a link"));
    let (_, login) = app.get_text("/login").await;
    assert!(login.contains("href=\"/forgot-password\""), "the log-in page offers the reset");
}

#[tokio::test]
async fn a_reader_downloads_everything_kept_about_them_as_json() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let reader = crate::comments::reader(&app, "exporter").await;
    let other = crate::comments::reader(&app, "other_reader").await;
    let kept = crate::comments::post_ok(&reader, &app, &slug, "Kept words", None).await["id"].as_i64().unwrap();
    let gone = crate::comments::post_ok(&reader, &app, &slug, "Words taken back", None).await["id"].as_i64().unwrap();
    assert_eq!(reader.delete(app.url(&format!("/api/v1/comments/{gone}"))).send().await.unwrap().status(), 204);
    let theirs = crate::comments::post_ok(&other, &app, &slug, "Someone else's", None).await["id"].as_i64().unwrap();
    reader.post(app.url(&format!("/api/v1/comments/{theirs}/like"))).send().await.unwrap();
    let pick = json!({ "reaction": "wow" });
    reader.put(app.url(&format!("/api/v1/articles/{slug}/reactions"))).json(&pick).send().await.unwrap();

    let res = reader.get(app.url("/api/v1/me/export")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, "attachment; filename=\"spotlight-exporter.json\"");
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let export: Value = res.json().await.unwrap();
    assert_eq!(export["account"]["username"], "exporter");
    assert_eq!(export["account"]["email"], "exporter@example.com");
    let comments = export["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2, "their own comments only: {comments:?}");
    assert_eq!((comments[0]["id"].as_i64(), comments[0]["body"].as_str()), (Some(kept), Some("Kept words")));
    assert_eq!((comments[1]["status"].as_str(), comments[1]["body"].as_str()), (Some("deleted"), Some("")));
    assert_eq!(export["likes"][0]["comment_id"].as_i64(), Some(theirs));
    assert_eq!(export["reactions"][0]["reaction"], "wow");
    assert_eq!(export["reactions"][0]["article"].as_str(), Some(slug.as_str()));
    assert!(!export.to_string().contains("Someone else's"));
    assert_eq!(app.new_client().get(app.url("/api/v1/me/export")).send().await.unwrap().status(), 401);
}
