use crate::helpers::{spawn_app, spawn_with, TestApp};
use serde_json::{json, Value};

const PASSWORD: &str = "harbour-lantern-92";

impl TestApp {
    pub async fn post_json(&self, path: &str, body: Value) -> reqwest::Response {
        self.client.post(self.url(path)).json(&body).send().await.expect("request")
    }

    pub async fn signup(&self, username: &str) -> reqwest::Response {
        let body = json!({ "username": username, "email": format!("{username}@example.com"), "password": PASSWORD });
        self.post_json("/api/v1/auth/signup", body).await
    }

    pub async fn login(&self, login: &str, password: &str) -> reqwest::Response {
        self.post_json("/api/v1/auth/login", json!({ "login": login, "password": password })).await
    }
}

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("spotlight_session=") && !c.contains("Max-Age=0"))
        .map(str::to_owned)
}

fn token_of(cookie: &str) -> String {
    cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned()
}

#[tokio::test]
async fn signup_sets_a_session_cookie_and_me_knows_the_user() {
    let app = spawn_app().await;
    let res = app.signup("mina_park").await;
    assert_eq!(res.status(), 201);
    let cookie = session_cookie(&res).expect("cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert!(!cookie.contains("Secure"), "http site: no Secure flag");
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["username"], "mina_park");
    assert_eq!(me["role"], "reader");
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users").fetch_one(&app.state.db).await.unwrap();
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    let token = token_of(&cookie);
    let sessions: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_ne!(sessions[0], token, "only a hash of the token is stored");
    assert!(token.len() >= 32, "at least 128 bits");
}

#[tokio::test]
async fn https_site_uses_secure_host_prefixed_cookie() {
    let app = spawn_with(|c| c.site_url = Some("https://spotlight.example".into())).await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/signup"))
        .header("origin", "https://spotlight.example")
        .json(&json!({ "username": "secure_one", "email": "s@example.com", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-spotlight_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"));
}

#[tokio::test]
async fn wrong_password_is_401_without_a_cookie() {
    let app = spawn_app().await;
    app.signup("reader_one").await;
    app.post_json("/api/v1/auth/logout", json!({})).await;
    let res = app.login("reader_one", "not-the-password").await;
    assert_eq!(res.status(), 401);
    assert!(session_cookie(&res).is_none());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let unknown = app.login("nobody_here", PASSWORD).await;
    assert_eq!(unknown.status(), 401, "unknown user looks the same");
}

#[tokio::test]
async fn login_rotates_the_session_id_and_logout_ends_it() {
    let app = spawn_app().await;
    let first = session_cookie(&app.signup("rotating").await).unwrap();
    let res = app.login("ROTATING", PASSWORD).await;
    assert_eq!(res.status(), 200, "login is case-insensitive");
    let second = session_cookie(&res).unwrap();
    assert_ne!(token_of(&first), token_of(&second));
    // The old session is gone on the server, not just replaced in the browser.
    let old = crate::helpers::plain_client()
        .get(app.url("/api/v1/me"))
        .header("cookie", format!("spotlight_session={}", token_of(&first)))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401);

    assert_eq!(app.post_json("/api/v1/auth/logout", json!({})).await.status(), 204);
    let replay = crate::helpers::plain_client()
        .get(app.url("/api/v1/me"))
        .header("cookie", format!("spotlight_session={}", token_of(&second)))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401, "the logged-out cookie no longer works");
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn expired_and_idle_sessions_end() {
    let app = spawn_app().await;
    app.signup("sleepy").await;
    assert_eq!(app.get("/api/v1/me").await.status(), 200);
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 15 * 24 * 3600")
        .execute(&app.state.db)
        .await
        .unwrap();
    assert_eq!(app.get("/api/v1/me").await.status(), 401, "idle timeout");
    app.login("sleepy", PASSWORD).await;
    sqlx::query("UPDATE sessions SET expires_at = 0").execute(&app.state.db).await.unwrap();
    assert_eq!(app.get("/api/v1/me").await.status(), 401, "absolute lifetime");
}

#[tokio::test]
async fn failed_logins_are_throttled_and_recover_after_the_window() {
    let app = spawn_app().await;
    app.signup("target").await;
    for _ in 0..5 {
        assert_eq!(app.login("target", "wrong-password-x").await.status(), 401);
    }
    let res = app.login("target", PASSWORD).await;
    assert_eq!(res.status(), 429, "even the right password waits");
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("Please wait"));
    // Fifteen minutes later…
    sqlx::query("UPDATE rate_events SET at = at - 901").execute(&app.state.db).await.unwrap();
    assert_eq!(app.login("target", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn signups_are_rate_limited_per_address() {
    let app = spawn_app().await;
    for i in 0..5 {
        assert_eq!(app.signup(&format!("reader_{i}")).await.status(), 201);
    }
    let res = app.signup("reader_6").await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn usernames_are_unique_regardless_of_case() {
    let app = spawn_app().await;
    assert_eq!(app.signup("Hana_Seo").await.status(), 201);
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            json!({ "username": "hana_SEO", "email": "other@example.com", "password": PASSWORD }),
        )
        .await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["field"], "username");
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            json!({ "username": "someone_else", "email": "HANA_SEO@example.com", "password": PASSWORD }),
        )
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn common_password_is_refused() {
    let app = spawn_app().await;
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            json!({ "username": "weak", "email": "w@example.com", "password": "1234567890" }),
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["field"], "password");
    assert!(body["error"]["message"].as_str().unwrap().contains("common"));
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn odd_input_gets_a_clean_4xx_and_stores_nothing() {
    let app = spawn_app().await;
    let huge = "x".repeat(100_000);
    let cases = [
        json!({ "username": "", "email": "", "password": "" }),
        json!({ "username": "💖💖💖", "email": "e@example.com", "password": PASSWORD }),
        json!({ "username": "robert'); DROP TABLE users;--", "email": "r@example.com", "password": PASSWORD }),
        json!({ "username": "nul\u{0}byte", "email": "n@example.com", "password": PASSWORD }),
        json!({ "username": "okname", "email": "not-an-email", "password": PASSWORD }),
        json!({ "username": "okname", "email": "ok@example.com", "password": "short" }),
        json!({ "username": huge, "email": "h@example.com", "password": PASSWORD }),
        json!({ "username": 42, "email": [], "password": null }),
        json!({}),
    ];
    for body in cases {
        let res = app.post_json("/api/v1/auth/signup", body.clone()).await;
        let status = res.status().as_u16();
        let shown: String = body.to_string().chars().take(120).collect();
        assert!((400..500).contains(&status), "{status} for {shown}");
        let err: Value = res.json().await.unwrap_or(Value::Null);
        assert!(err["error"]["message"].is_string(), "readable error for {shown}");
    }
    let res = app
        .client
        .post(app.url("/api/v1/auth/signup"))
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn me_is_401_for_guests() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/me").await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn cross_origin_login_is_refused() {
    let app = spawn_app().await;
    app.signup("victim").await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("origin", "https://evil.example")
        .json(&json!({ "login": "victim", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("referer", "https://evil.example/page")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "Referer is checked when there is no Origin");
}

#[tokio::test]
async fn login_form_without_javascript_redirects_back_with_the_error_or_onward() {
    let app = spawn_app().await;
    app.signup("formuser").await;
    app.post_json("/api/v1/auth/logout", json!({})).await;
    let fn_url = find_server_fn(&app, "/login", "login").await;
    let post = |password: &'static str| {
        app.client
            .post(app.url(&fn_url))
            .header("accept", "text/html")
            .header("origin", &app.address)
            .form(&[("login", "formuser"), ("password", password), ("next", "/articles/some-story")])
            .send()
    };
    let res = post("wrong-password-1").await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/login?next="));
    let (_, page) = app.get_text("/login?next=/articles/some-story").await;
    assert!(page.contains("Please log in to do that."), "the error is shown on the form");
    let res = post(PASSWORD).await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/articles/some-story");
}

/// The action URL of the server-function form on a page.
async fn find_server_fn(app: &TestApp, page: &str, name: &str) -> String {
    let (_, html) = app.get_text(page).await;
    html.split("action=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .find(|a| a.starts_with("/_fn/") && a.contains(name))
        .unwrap_or_else(|| panic!("no {name} form on {page}"))
}

#[tokio::test]
async fn guest_sees_the_login_prompt_under_articles() {
    let app = spawn_app().await;
    let list: Value = app.get("/api/v1/articles").await.json().await.unwrap();
    let slug = list["items"][0]["slug"].as_str().unwrap();
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("Log in to join the conversation"));
    assert!(html.contains(&format!("/login?next=/articles/{slug}%23comments")));
    app.signup("logged_in").await;
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(!html.contains("Log in to join the conversation"));
    assert!(html.contains("logged_in"), "header shows who is logged in");
}

#[tokio::test]
async fn profile_page_shows_the_reader() {
    let app = spawn_app().await;
    app.signup("profiled").await;
    let slug = app.first_slug().await;
    let res =
        app.post_json(&format!("/api/v1/articles/{slug}/comments"), json!({ "body": "My very first comment" })).await;
    assert_eq!(res.status(), 201);
    let (status, html) = app.get_text("/u/profiled").await;
    assert_eq!(status, 200);
    assert!(html.contains("Joined"));
    assert!(html.contains("My very first comment"), "the reader's comments are listed");
    assert_eq!(app.get_text("/u/nobody_at_all").await.0, 404);
}
