//! `bench`: the load tools behind `make bench` (see bench/run.sh).
//!
//! - `bench seed <database-url>`: adds the benchmark articles (one with 50
//!   comments, one with 10,000) and reactions to a database the server uses.
//! - `bench fanout <addr> <slug> <subscribers>`: opens that many live streams,
//!   posts one comment, and reports when it reached each subscriber.
//! - `bench idle <addr> <slug> <subscribers> <server-pid>`: holds that many idle
//!   streams open and reports the server's resident memory.
//! - `bench crowd <addr> <slug> <subscribers> <server-pid>`: a crowd on one
//!   article (see `crowd.rs`); ends by stopping the server.
//!
//! HTTP is spoken directly over tokio sockets: the client must stay far
//! lighter than the server it measures.

mod crowd;

use std::{
    path::Path,
    time::{Duration, Instant},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const BENCH_ARTICLE: &str = r#"+++
slug = "SLUG"
headline = "HEADLINE"
author = "Spotlight Bench"
published = "2020-01-01T00:00:00Z"
tags = ["bench"]
summary = "A page made by the benchmark, not part of the demo content."

[lead_image]
src = "/images/video-poster.svg"
alt = "A plain poster"
width = 1280
height = 720
+++
This article exists only in benchmark databases. It carries a realistic body so the page weighs what a story does.

## A heading

A second paragraph with *emphasis*, a [link](https://example.com) and some more words to give the renderer work.

> A pull quote, because articles have them. — Someone
"#;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("seed") => seed(args.get(1).map(String::as_str).unwrap_or("sqlite://target/bench/spotlight.db")).await,
        Some("fanout") => fanout(&args[1], &args[2], args[3].parse()?).await,
        Some("idle") => idle(&args[1], &args[2], args[3].parse()?, args[4].parse()?).await,
        Some("crowd") => crowd::run(&args[1], &args[2], args[3].parse()?, args[4].parse()?).await,
        _ => {
            anyhow::bail!(
                "usage: bench seed <db-url> | fanout <addr> <slug> <n> | idle|crowd <addr> <slug> <n> <server-pid>"
            )
        }
    }
}

async fn seed(url: &str) -> anyhow::Result<()> {
    let db = app::db::connect(url).await?;
    let public = Path::new("public");
    for (slug, headline, comments) in [
        ("bench-fifty-comments", "Benchmark: an article with fifty comments", 50usize),
        ("bench-ten-thousand-comments", "Benchmark: an article with ten thousand comments", 10_000),
    ] {
        let text = BENCH_ARTICLE.replace("SLUG", slug).replace("HEADLINE", headline);
        app::content::import::import_text(&db, &text, None, public).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let article_id: i64 =
            sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1").bind(slug).fetch_one(&db).await?;
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE article_id = $1")
            .bind(article_id)
            .fetch_one(&db)
            .await?;
        if existing > 0 {
            continue;
        }
        let now = app::db::now();
        let mut tx = db.begin().await?;
        let mut users = Vec::new();
        for i in 0..50 {
            let name = format!("bench_{slug_short}_{i}", slug_short = &slug[6..10]);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, username_key, email, email_key, password_hash, created_at) \
                 VALUES ($1, $1, $1 || '@bench.invalid', $1 || '@bench.invalid', 'x', $2) RETURNING id",
            )
            .bind(&name)
            .bind(now - 86_400)
            .fetch_one(&mut *tx)
            .await?;
            users.push(id);
        }
        let body = app::comments::body::CommentBody::parse(
            "What a **scene**. I watched it three times — the *music* in the last minute!",
        )?;
        let mut top_ids: Vec<i64> = Vec::new();
        for i in 0..comments {
            // Every fifth comment replies to the newest top-level one.
            let parent = (i % 5 == 4).then(|| top_ids.last().copied()).flatten();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO comments (article_id, author_id, parent_id, thread_id, depth, body_source, body_html, body_hash, \
                    like_count, created_at) VALUES ($1, $2, $3, COALESCE($4, 0), $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(article_id)
            .bind(users[i % users.len()])
            .bind(parent)
            .bind(parent)
            .bind(if parent.is_some() { 2 } else { 1 })
            .bind(&body.source)
            .bind(&body.html)
            .bind(format!("bench-{i}"))
            .bind((i % 7) as i64)
            .bind(now - (comments - i) as i64)
            .fetch_one(&mut *tx)
            .await?;
            if parent.is_none() {
                sqlx::query("UPDATE comments SET thread_id = id WHERE id = $1").bind(id).execute(&mut *tx).await?;
                top_ids.push(id);
            }
        }
        sqlx::query("UPDATE articles SET comment_count = $1 WHERE id = $2")
            .bind(comments as i64)
            .bind(article_id)
            .execute(&mut *tx)
            .await?;
        for (i, user) in users.iter().enumerate() {
            let kind = app::reactions::KINDS[i % 6].0;
            sqlx::query("INSERT INTO reactions (article_id, reader, kind, created_at) VALUES ($1, $2, $3, $4)")
                .bind(article_id)
                .bind(format!("u:{user}"))
                .bind(kind)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO reaction_counts (article_id, kind, count) VALUES ($1, $2, 1) \
                 ON CONFLICT (article_id, kind) DO UPDATE SET count = reaction_counts.count + 1",
            )
            .bind(article_id)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        eprintln!("seeded {slug}: {comments} comments");
    }
    // A poster for the fan-out measurement.
    sqlx::query(
        "INSERT INTO users (username, username_key, email, email_key, password_hash, created_at) \
         VALUES ('bench_poster', 'bench_poster', 'poster@bench.invalid', 'poster@bench.invalid', $1, 0) \
         ON CONFLICT DO NOTHING",
    )
    .bind(
        app::auth::password::hash(&Default::default(), "bench-poster-password".into())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    )
    .execute(&db)
    .await?;
    // A bulk load is followed by fresh planner statistics, as after any import;
    // without them PostgreSQL plans for the empty tables it last counted.
    sqlx::query("ANALYZE").execute(&db).await?;
    Ok(())
}

/// Sends one HTTP/1.1 request and returns the whole response as text.
pub(crate) async fn request(addr: &str, raw: String) -> anyhow::Result<String> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(raw.as_bytes()).await?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

pub(crate) async fn login(addr: &str) -> anyhow::Result<String> {
    let body = r#"{"login":"bench_poster","password":"bench-poster-password"}"#;
    let res = request(
        addr,
        format!(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await?;
    let cookie = res
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .ok_or_else(|| anyhow::anyhow!("login failed: {}", res.lines().next().unwrap_or_default()))?;
    Ok(cookie.to_owned())
}

/// Posts a comment as the signed-in `cookie`; fails unless it is accepted (201).
pub(crate) async fn post_comment(addr: &str, cookie: &str, slug: &str, text: &str) -> anyhow::Result<()> {
    let body = serde_json::json!({ "body": text }).to_string();
    let res = request(
        addr,
        format!(
            "POST /api/v1/articles/{slug}/comments HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await?;
    anyhow::ensure!(res.starts_with("HTTP/1.1 201"), "post failed: {}", res.lines().next().unwrap_or_default());
    Ok(())
}

/// Opens a live stream and waits for its response head.
async fn subscribe(addr: &str, slug: &str) -> anyhow::Result<TcpStream> {
    subscribe_from(addr, slug, None).await
}

/// `subscribe`, from a chosen loopback source address: one address has only
/// ~28,000 ephemeral ports, so a crowd spreads over 127.0.0.2, .3, …
async fn subscribe_from(addr: &str, slug: &str, source: Option<std::net::Ipv4Addr>) -> anyhow::Result<TcpStream> {
    let mut stream = match source {
        None => TcpStream::connect(addr).await?,
        Some(ip) => {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.bind((ip, 0).into())?;
            socket.connect(addr.parse()?).await?
        }
    };
    stream
        .write_all(
            format!("GET /api/v1/articles/{slug}/live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
                .as_bytes(),
        )
        .await?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut byte).await?;
        anyhow::ensure!(n > 0, "stream closed before its head");
        head.extend_from_slice(&byte[..n]);
    }
    anyhow::ensure!(
        head.starts_with(b"HTTP/1.1 200"),
        "live stream refused: {}",
        String::from_utf8_lossy(&head[..head.len().min(60)])
    );
    Ok(stream)
}

async fn open_many(addr: &str, slug: &str, n: usize) -> anyhow::Result<Vec<TcpStream>> {
    let mut streams = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(200) {
        let opened = futures::future::join_all(chunk.iter().map(|_| subscribe(addr, slug))).await;
        for s in opened {
            streams.push(s?);
        }
    }
    Ok(streams)
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// `addrs` is one address, or several (comma-separated instances of one site):
/// the subscribers are split evenly between them and the comment is posted on the first.
async fn fanout(addrs: &str, slug: &str, n: usize) -> anyhow::Result<()> {
    let addrs: Vec<&str> = addrs.split(',').collect();
    let addr = addrs[0];
    let cookie = login(addr).await?;
    let mut streams = Vec::with_capacity(n);
    for (i, instance) in addrs.iter().enumerate() {
        let share = n / addrs.len() + usize::from(i < n % addrs.len());
        streams.extend(open_many(instance, slug, share).await?);
    }
    let marker = format!("fanout-{}", std::process::id());
    let start = Instant::now();
    let waits: Vec<_> = streams
        .into_iter()
        .map(|mut s| {
            let marker = marker.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut chunk)).await.ok()?.ok()?;
                    if n == 0 {
                        return None;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if buf.windows(marker.len()).any(|w| w == marker.as_bytes()) {
                        return Some(Instant::now());
                    }
                }
            })
        })
        .collect();
    let posted_at = Instant::now();
    post_comment(addr, &cookie, slug, &format!("Fan-out check {marker}")).await?;
    let mut latencies = Vec::new();
    let mut missed = 0;
    for w in waits {
        match w.await? {
            Some(t) => latencies.push(t.duration_since(posted_at).as_secs_f64() * 1000.0),
            None => missed += 1,
        }
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "{}",
        serde_json::json!({
            "instances": addrs.len(),
            "subscribers": n,
            "received": latencies.len(),
            "missed": missed,
            "p50_ms": percentile(&latencies, 0.50),
            "p99_ms": percentile(&latencies, 0.99),
            "max_ms": latencies.last().copied().unwrap_or(0.0),
            "setup_s": posted_at.duration_since(start).as_secs_f64(),
        })
    );
    Ok(())
}

pub(crate) fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmRSS for {pid}"))
}

async fn idle(addr: &str, slug: &str, n: usize, pid: u32) -> anyhow::Result<()> {
    let before = rss_kib(pid)?;
    let streams = open_many(addr, slug, n).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let during = rss_kib(pid)?;
    println!(
        "{}",
        serde_json::json!({
            "subscribers": streams.len(),
            "rss_before_mib": before as f64 / 1024.0,
            "rss_with_subscribers_mib": during as f64 / 1024.0,
            "per_subscriber_kib": (during.saturating_sub(before)) as f64 / streams.len().max(1) as f64,
        })
    );
    drop(streams);
    Ok(())
}
