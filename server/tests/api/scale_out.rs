//! Several instances, one site: two servers on one PostgreSQL database behave
//! as one. These run only in the PostgreSQL pass (`make test-postgres`); on
//! SQLite they print why they did nothing.

use crate::{
    comments::{post_ok, reader},
    helpers::{postgres_server, spawn_app, spawn_with, TestApp},
    reactions::read_events,
};
use std::time::Duration;

/// A second instance on the first one's database.
async fn second_instance(first: &TestApp) -> TestApp {
    let url = first.config.database_url.clone();
    spawn_with(move |c| c.database_url = url).await
}

fn skipped(test: &str) -> bool {
    if postgres_server().is_none() {
        eprintln!("skipped {test}: it needs PostgreSQL (TEST_POSTGRES_URL), which this run does not use");
        return true;
    }
    false
}

#[tokio::test]
async fn a_comment_posted_on_one_instance_reaches_the_others_streams_replay_and_page() {
    if skipped("a_comment_posted_on_one_instance_reaches_the_others_streams_replay_and_page") {
        return;
    }
    let a = spawn_app().await;
    let b = second_instance(&a).await;
    let slug = a.first_slug().await;
    // B's page is cached, and a reader listens on B.
    let (status, before) = b.get_text(&format!("/articles/{slug}")).await;
    assert_eq!(status, 200);
    assert!(!before.contains("Posted on the other instance"));
    // A signed-in reader's page on B is made from B's shared reads, warm now too.
    let watcher = reader(&b, "instance_b_watcher").await;
    let page = |client: reqwest::Client| {
        let url = b.url(&format!("/articles/{slug}"));
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(!page(watcher.clone()).await.contains("Posted on the other instance"));
    let live = b.get(&format!("/api/v1/articles/{slug}/live")).await;
    assert_eq!(live.status(), 200);

    let author = reader(&a, "instance_a_author").await;
    let id = post_ok(&author, &a, &slug, "Posted on the other instance", None).await["id"].as_i64().unwrap();

    let events = read_events(live, 1).await;
    assert_eq!(events.len(), 1, "B's reader got A's comment live");
    assert_eq!(events[0].1, "comment.created");
    assert!(events[0].2.contains("Posted on the other instance"));
    // Once the event is delivered, B serves no page without the comment.
    let (_, after) = b.get_text(&format!("/articles/{slug}")).await;
    assert!(after.contains("Posted on the other instance"), "B's cached page was emptied by A's comment");
    assert!(page(watcher).await.contains("Posted on the other instance"), "B's shared reads followed A's comment");
    // Last-Event-ID replay works on either instance, from the one log.
    let replay = b.get(&format!("/api/v1/articles/{slug}/live?last_event_id={}", events[0].0 - 1)).await;
    let replayed = read_events(replay, 1).await;
    assert_eq!(replayed[0].0, events[0].0);
    assert!(replayed[0].2.contains(&format!("\"id\":{id}")));
    // A session made on A is good on B.
    let me = author.get(b.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(me.status(), 200, "sessions live in the database, not in an instance");
}

#[tokio::test]
async fn reactions_on_one_instance_are_counted_once_and_seen_live_on_the_other() {
    if skipped("reactions_on_one_instance_are_counted_once_and_seen_live_on_the_other") {
        return;
    }
    let a = spawn_app().await;
    let b = second_instance(&a).await;
    let slug = a.first_slug().await;
    let on_a = a.get(&format!("/api/v1/articles/{slug}/live")).await;
    let on_b = b.get(&format!("/api/v1/articles/{slug}/live")).await;
    let guest = a.new_client();
    let res = guest
        .put(b.url(&format!("/api/v1/articles/{slug}/reactions")))
        .json(&serde_json::json!({ "reaction": "wow" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    for (name, stream) in [("A", on_a), ("B", on_b)] {
        let events = read_events(stream, 2).await;
        assert_eq!(events.len(), 1, "{name} delivered the change exactly once: {events:?}");
        assert!(events[0].2.contains("\"wow\":1"));
    }
    // The guest cookie B signed is good on A (one key, in the database).
    let mine: serde_json::Value =
        guest.get(a.url(&format!("/api/v1/articles/{slug}/reactions"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine["mine"], "wow");
}

#[tokio::test]
async fn a_reply_on_one_instance_rings_the_readers_bell_on_the_other() {
    if skipped("a_reply_on_one_instance_rings_the_readers_bell_on_the_other") {
        return;
    }
    let a = spawn_app().await;
    let b = second_instance(&a).await;
    let slug = a.first_slug().await;
    let mina = reader(&a, "bell_mina").await;
    let jun = reader(&b, "bell_jun").await;
    let first = post_ok(&mina, &a, &slug, "Tell me on A", None).await["id"].as_i64().unwrap();
    let bell = mina.get(a.url("/api/v1/me/notifications/live")).send().await.unwrap();
    assert_eq!(bell.status(), 200);
    let poster = {
        let (jun, url) = (jun.clone(), b.url(&format!("/api/v1/articles/{slug}/comments")));
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            jun.post(url).json(&serde_json::json!({ "body": "From B", "parent_id": first })).send().await.unwrap()
        })
    };
    // Well inside the minute after which a recount would catch a lost ring.
    let started = std::time::Instant::now();
    assert_eq!(crate::notifications::unread_events(bell, 2).await, vec![0, 1]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(poster.await.unwrap().status(), 201);
}

/// Appends a reactions event inside `tx` (the relay does not care what it says).
async fn append(tx: &mut sqlx::Transaction<'static, sqlx::Any>, article_id: i64) -> app::live::Logged {
    app::live::store::append(tx, article_id, "reactions.updated", None, "{}".into()).await.unwrap()
}

#[tokio::test]
async fn events_committed_out_of_id_order_are_all_delivered_in_order() {
    if skipped("events_committed_out_of_id_order_are_all_delivered_in_order") {
        return;
    }
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let article_id = app::articles::service::id_of(&app.state, &slug).await.unwrap();
    let mut all = app.state.hub.subscribe_all();
    let db = &app.state.db;
    // The first transaction takes the smaller id but commits second.
    let mut first = db.begin().await.unwrap();
    let early = append(&mut first, article_id).await;
    let mut second = db.begin().await.unwrap();
    let late = append(&mut second, article_id).await;
    assert!(early.id < late.id);
    second.commit().await.unwrap();
    // The relay reads the larger id now and must not move past the smaller one.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    first.commit().await.unwrap();
    let mut got = Vec::new();
    while got.len() < 2 {
        let event = tokio::time::timeout(Duration::from_secs(10), all.recv()).await.expect("delivered").unwrap();
        got.push(event.id);
    }
    assert_eq!(got, [early.id, late.id], "both events, in id order");
}

#[tokio::test]
async fn a_rolled_back_id_with_many_events_above_it_does_not_stop_the_relay() {
    if skipped("a_rolled_back_id_with_many_events_above_it_does_not_stop_the_relay") {
        return;
    }
    // What `kill -9` of an instance in the middle of a write leaves behind: an
    // id taken and never committed, then more events than the relay reads at once.
    let app = spawn_app().await;
    let slug = app.first_slug().await;
    let article_id = app::articles::service::id_of(&app.state, &slug).await.unwrap();
    let mut all = app.state.hub.subscribe_all();
    let db = &app.state.db;
    let mut lost = db.begin().await.unwrap();
    let gap = append(&mut lost, article_id).await;
    lost.rollback().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    for _ in 0..1200 {
        append(&mut tx, article_id).await;
    }
    tx.commit().await.unwrap();
    // Once the gap is given up on, everything above it arrives, and so does what comes next.
    let mut tx = db.begin().await.unwrap();
    let next = append(&mut tx, article_id).await;
    tx.commit().await.unwrap();
    let wait = app::live::relay::GAP_WAIT + Duration::from_secs(10);
    let delivered = tokio::time::timeout(wait, async {
        let mut count = 0;
        loop {
            let event = all.recv().await.unwrap();
            assert_ne!(event.id, gap.id, "a rolled-back id is never delivered");
            count += 1;
            if event.id == next.id {
                return count;
            }
        }
    })
    .await
    .expect("the relay went on past the gap");
    assert_eq!(delivered, 1201, "every committed event, once");
}

#[tokio::test]
async fn db_copy_moves_a_whole_site_to_postgres_and_refuses_a_target_that_is_not_empty() {
    if skipped("db_copy_moves_a_whole_site_to_postgres_and_refuses_a_target_that_is_not_empty") {
        return;
    }
    // The site as it runs today, on SQLite.
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("site.db").display());
    let old = spawn_with({
        let sqlite = sqlite.clone();
        move |c| c.database_url = sqlite
    })
    .await;
    let slug = old.first_slug().await;
    let author = reader(&old, "moving_reader").await;
    let first = post_ok(&author, &old, &slug, "Written before the move", None).await["id"].as_i64().unwrap();
    let res = author
        .put(old.url(&format!("/api/v1/articles/{slug}/reactions")))
        .json(&serde_json::json!({ "reaction": "love" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cursor_before =
        app::live::service::latest_id(&old.state, app::articles::service::id_of(&old.state, &slug).await.unwrap())
            .await
            .unwrap();

    // An empty PostgreSQL database, and the copy.
    let target = crate::helpers::TestDb::new(dir.path()).await;
    let to = app::db::connect(&target.url).await.unwrap();
    let report = app::db::copy::copy(&old.state.db, &to).await.expect("the copy succeeds");
    assert!(report.iter().any(|(table, rows)| *table == "comments" && *rows >= 1), "{report:?}");
    let again = app::db::copy::copy(&old.state.db, &to).await;
    assert!(matches!(again, Err(app::db::copy::CopyError::NotEmpty { .. })), "a full target is refused");

    // The site runs on the copy: the comment, the reaction, the session, the live position.
    let new = spawn_with({
        let url = target.url.clone();
        move |c| c.database_url = url
    })
    .await;
    let (_, page) = new.get_text(&format!("/articles/{slug}")).await;
    assert!(page.contains("Written before the move"));
    let me = author.get(new.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(me.status(), 200, "sessions moved too");
    let mine: serde_json::Value =
        author.get(new.url(&format!("/api/v1/articles/{slug}/reactions"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine["mine"], "love");
    let next = post_ok(&author, &new, &slug, "Written after the move", None).await["id"].as_i64().unwrap();
    assert!(next > first, "new ids continue after the copied ones");
    let article_id = app::articles::service::id_of(&new.state, &slug).await.unwrap();
    assert!(app::live::service::latest_id(&new.state, article_id).await.unwrap() > cursor_before);
}
