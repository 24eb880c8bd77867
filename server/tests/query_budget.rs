//! How many database queries a page costs. A test binary of its own: it counts
//! every statement the process runs (sqlx's `sqlx::query` events), so nothing
//! else may run beside it; the tests below take turns through `SERIAL`.

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use helpers::{spawn_app, TestApp};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::{layer::SubscriberExt, util::SubscriberInitExt, Layer};

static QUERIES: AtomicUsize = AtomicUsize::new(0);
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct CountQueries;

impl<S: tracing::Subscriber> Layer<S> for CountQueries {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            QUERIES.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn count_queries() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| tracing_subscriber::registry().with(CountQueries).init());
}

/// The statements one GET of `path` ran, and its status.
async fn queries_of(app: &TestApp, client: &reqwest::Client, path: &str) -> (usize, u16) {
    let before = QUERIES.load(Ordering::SeqCst);
    let res = client.get(app.url(path)).send().await.expect("request");
    let status = res.status().as_u16();
    let _ = res.text().await;
    (QUERIES.load(Ordering::SeqCst) - before, status)
}

async fn signed_in(app: &TestApp, name: &str) -> reqwest::Client {
    let client = reqwest::Client::builder().cookie_store(true).timeout(helpers::REQUEST_TIMEOUT).build().unwrap();
    let body = json!({ "username": name, "email": format!("{name}@example.com"), "password": "harbour-lantern-92" });
    let res = client.post(app.url("/api/v1/auth/signup")).json(&body).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201, "{}", res.text().await.unwrap());
    client
}

async fn newest_slug(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT slug FROM articles ORDER BY published_at DESC LIMIT 1")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn comment(app: &TestApp, client: &reqwest::Client, slug: &str, body: &str) -> i64 {
    let res = client
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&json!({ "body": body }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    res.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_signed_in_readers_article_page_runs_at_most_three_queries() {
    count_queries();
    let _turn = SERIAL.lock().await;
    let app = spawn_app().await;
    let slug = newest_slug(&app).await;
    let writer = signed_in(&app, "query_writer").await;
    let id = comment(&app, &writer, &slug, "A first thought on the finale.").await;
    comment(&app, &writer, &slug, "And a second one, after sleeping on it.").await;
    let reader = signed_in(&app, "query_reader").await;
    let like = reader.post(app.url(&format!("/api/v1/comments/{id}/like"))).send().await.unwrap();
    assert!(like.status().is_success(), "{}", like.status());
    let path = format!("/articles/{slug}");
    // The first render fills the shared reads; every reader after it pays only for their own.
    let (_, status) = queries_of(&app, &reader, &path).await;
    assert_eq!(status, 200);
    let (queries, status) = queries_of(&app, &reader, &path).await;
    assert_eq!(status, 200);
    assert!(queries <= 3, "a signed-in render ran {queries} queries (session, reaction, likes expected)");
    let (queries, _) = queries_of(&app, &writer, &format!("{path}?sort=top")).await;
    let (queries_again, _) = queries_of(&app, &writer, &format!("{path}?sort=top")).await;
    assert!(queries_again <= 3, "then {queries_again} (first {queries})");
}

#[tokio::test]
async fn the_shared_reads_follow_a_new_comment_at_once() {
    count_queries();
    let _turn = SERIAL.lock().await;
    let app = spawn_app().await;
    let slug = newest_slug(&app).await;
    let reader = signed_in(&app, "cache_reader").await;
    let writer = signed_in(&app, "cache_writer").await;
    let path = format!("/articles/{slug}");
    let (_, page) = app_page(&app, &reader, &path).await;
    assert!(!page.contains("Nobody saw that twist coming"));
    comment(&app, &writer, &slug, "Nobody saw that twist coming.").await;
    let (_, page) = app_page(&app, &reader, &path).await;
    assert!(page.contains("Nobody saw that twist coming"), "the new comment is on the next render");
}

async fn app_page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}
