use crate::helpers::{spawn_app, workspace};

#[tokio::test]
async fn healthz_is_ok_with_a_database_and_503_without() {
    let app = spawn_app().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    app.state.db.close().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 503);
}

#[tokio::test]
async fn reimport_changes_nothing() {
    let app = spawn_app().await;
    let articles = app.count("articles").await;
    let tags = app.count("article_tags").await;
    assert!(articles >= 12, "demo content imported at start: {articles}");
    let report =
        app::content::import_dir(&app.state.db, &workspace().join("content"), &app.config.public_dir).await.unwrap();
    assert_eq!((report.created, report.updated, report.failed.len()), (0, 0, 0), "{report:?}");
    assert_eq!(report.unchanged as i64, articles);
    assert_eq!(app.count("articles").await, articles);
    assert_eq!(app.count("article_tags").await, tags);
}

#[tokio::test]
async fn pages_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    for (accept, expected) in [("br", "br"), ("gzip", "gzip")] {
        let res = app.client.get(app.url("/")).header("accept-encoding", accept).send().await.unwrap();
        assert_eq!(res.headers().get("content-encoding").unwrap(), expected);
    }
}

#[tokio::test]
async fn a_page_made_for_one_reader_goes_out_in_fast_gzip_even_where_brotli_is_accepted() {
    use std::io::Read;
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let me = crate::comments::reader(&app, "gzip_reader").await;
    let res = me.get(app.url(&format!("/articles/{slug}"))).header("accept-encoding", "gzip, br").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let bytes = res.bytes().await.unwrap();
    let mut html = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut html).unwrap();
    assert!(html.contains(">gzip_reader</a>"), "the reader's own page");
}

#[tokio::test]
async fn live_streams_are_never_compressed_but_keep_their_request_id_and_headers() {
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let res = app
        .client
        .get(app.url(&format!("/api/v1/articles/{slug}/live")))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    assert!(res.headers().get("content-encoding").is_none(), "each event must reach the browser at once");
    assert!(res.headers().contains_key("x-request-id"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let missing = app.client.get(app.url("/api/v1/articles/no-such-story/live")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn static_images_are_cached_long_and_requests_carry_an_id() {
    let app = spawn_app().await;
    let res = app.get("/images/video-poster.svg").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("max-age=604800"));
    assert!(res.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn cross_origin_post_is_refused() {
    let app = spawn_app().await;
    let res =
        app.client.post(app.url("/api/v1/articles")).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
}

#[tokio::test]
async fn feed_sitemap_and_robots_are_served() {
    let app = spawn_app().await;
    let (status, feed) = app.get_text("/feed.xml").await;
    assert_eq!(status, 200);
    assert!(feed.starts_with("<?xml") && feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(feed.matches("<entry>").count() >= 12);
    let (status, sitemap) = app.get_text("/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(sitemap.matches("<loc>").count() >= 13);
    let (status, robots) = app.get_text("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Sitemap: "));
}

#[tokio::test]
async fn openapi_document_is_json() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/articles/{slug}"].is_object());
}

#[tokio::test]
async fn bundle_files_are_served_precompressed_when_available() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("spotlight.abc123.js"), "console.log('plain');").unwrap();
    std::fs::write(pkg.join("spotlight.abc123.js.br"), b"brotli bytes").unwrap();
    let root = dir.path().display().to_string();
    let app = crate::helpers::spawn_with(|c| c.leptos.site_root = root.clone().into()).await;
    let res = app.client.get(app.url("/pkg/spotlight.abc123.js")).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"brotli bytes");
}

/// The names a table's `CHECK (column IN ('a', 'b'))` allows, as the database keeps it
/// (SQLite: the table's SQL; PostgreSQL: the constraint, rewritten as `= ANY (ARRAY[…])`).
async fn allowed_values(app: &crate::helpers::TestApp, table: &str, column: &str) -> Vec<String> {
    let check = if app::db::Backend::of(&app.state.db) == app::db::Backend::Postgres {
        let checks: Vec<String> = sqlx::query_scalar(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = CAST($1 AS regclass) AND contype = 'c'",
        )
        .bind(table)
        .fetch_all(&app.state.db)
        .await
        .unwrap();
        checks.into_iter().find(|c| c.contains(&format!("({column} = ANY"))).unwrap()
    } else {
        let sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
            .bind(table)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        sql.split(&format!("CHECK ({column} IN (")).nth(1).unwrap().split("))").next().unwrap().to_owned()
    };
    // Every quoted name in the check.
    let mut names: Vec<String> = check.split('\'').skip(1).step_by(2).map(str::to_owned).collect();
    names.sort();
    names
}

#[tokio::test]
async fn database_constraints_list_exactly_the_kinds_statuses_and_roles_the_code_knows() {
    let app = crate::helpers::spawn_app().await;
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let kinds = sorted(app::reactions::KINDS.iter().map(|(k, _, _)| (*k).to_owned()).collect());
    assert_eq!(allowed_values(&app, "reactions", "kind").await, kinds);
    let statuses = sorted(app::comments::CommentStatus::ALL.iter().map(|s| s.as_str().to_owned()).collect());
    assert_eq!(allowed_values(&app, "comments", "status").await, statuses);
    let roles = sorted(
        ["reader", "moderator", "admin"]
            .iter()
            .map(|r| app::auth::Role::parse(r).unwrap().as_str().to_owned())
            .collect(),
    );
    assert_eq!(allowed_values(&app, "users", "role").await, roles);
}

#[tokio::test]
async fn api_rejections_answer_in_the_error_shape() {
    let app = crate::helpers::spawn_app().await;
    let client = crate::helpers::plain_client();
    let cases = [
        (client.get(app.url("/api/v1/comments/abc")), 400, "bad_request"),
        (client.put(app.url("/api/v1/me")), 405, "method_not_allowed"),
        (client.get(app.url("/api/v1/no/such/route")), 404, "not_found"),
        (client.get(app.url("/api/v1/articles?cursor=garbage")), 400, "bad_request"),
    ];
    for (request, status, code) in cases {
        let res = request.send().await.unwrap();
        assert_eq!(res.status().as_u16(), status);
        if status == 405 {
            assert_eq!(res.headers()["allow"], "GET,HEAD");
        }
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{body}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
}
