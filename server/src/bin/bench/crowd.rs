//! `bench crowd <addr> <slug> <n> <server-pid>`: a crowd on one article. Opens
//! `n` live streams to one instance (spread over several loopback source
//! addresses), reads the server's resident memory, posts one comment and times
//! its arrival at every stream, waits for every stream's next heartbeat, then
//! stops the server with SIGTERM and times its graceful shutdown with all the
//! streams still open. Prints one JSON object.

use super::{login, percentile, post_comment, rss_kib, subscribe_from};
use std::{
    net::Ipv4Addr,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};
use tokio::{io::AsyncReadExt, net::TcpStream};

/// Streams per loopback source address (each has ~28,000 ephemeral ports).
const PER_SOURCE: usize = 20_000;
/// Streams opened at once.
const OPEN_AT_ONCE: usize = 500;
/// The server's heartbeat interval (server/src/api/live.rs), and some slack.
const HEARTBEAT_WAIT: Duration = Duration::from_secs(25);
const DELIVERY_WAIT: Duration = Duration::from_secs(30);
const SHUTDOWN_WAIT: Duration = Duration::from_secs(60);

/// What each stream saw, counted across all of them.
#[derive(Default)]
struct Seen {
    delivered: AtomicUsize,
    heartbeats: AtomicUsize,
    closed: AtomicUsize,
}

pub async fn run(addr: &str, slug: &str, n: usize, pid: u32) -> anyhow::Result<()> {
    let cookie = login(addr).await?;
    let before = rss_kib(pid)?;
    let opened_at = Instant::now();
    let mut streams = Vec::with_capacity(n);
    for start in (0..n).step_by(OPEN_AT_ONCE) {
        let batch = (start..(start + OPEN_AT_ONCE).min(n)).map(|i| {
            let source = Ipv4Addr::new(127, 0, 0, 2 + (i / PER_SOURCE) as u8);
            subscribe_from(addr, slug, Some(source))
        });
        for stream in futures::future::join_all(batch).await {
            streams.push(stream?);
        }
    }
    let open_s = opened_at.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let with_streams = rss_kib(pid)?;

    let marker = format!("crowd-{}", std::process::id());
    let seen = Arc::new(Seen::default());
    let watchers: Vec<_> = streams.into_iter().map(|s| tokio::spawn(watch(s, marker.clone(), seen.clone()))).collect();
    let posted_at = Instant::now();
    post_comment(addr, &cookie, slug, &format!("Crowd check {marker}")).await?;
    wait_until(|| seen.delivered.load(Ordering::Relaxed) == n, DELIVERY_WAIT).await;
    let after_delivery = rss_kib(pid)?;
    wait_until(|| seen.heartbeats.load(Ordering::Relaxed) == n, HEARTBEAT_WAIT).await;
    let heartbeats = seen.heartbeats.load(Ordering::Relaxed);

    let stop_at = Instant::now();
    std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status()?;
    let exited = wait_until(|| !std::path::Path::new(&format!("/proc/{pid}")).exists(), SHUTDOWN_WAIT).await;
    let shutdown_s = stop_at.elapsed().as_secs_f64();

    let mut latencies: Vec<f64> = Vec::with_capacity(n);
    for watcher in watchers {
        if let Some(at) = watcher.await? {
            latencies.push(at.duration_since(posted_at).as_secs_f64() * 1000.0);
        }
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "{}",
        serde_json::json!({
            "subscribers": n,
            "open_s": open_s,
            "rss_before_mib": before as f64 / 1024.0,
            "rss_with_streams_mib": with_streams as f64 / 1024.0,
            "rss_after_delivery_mib": after_delivery as f64 / 1024.0,
            "per_stream_kib": with_streams.saturating_sub(before) as f64 / n.max(1) as f64,
            "received": latencies.len(),
            "lost": n - latencies.len(),
            "p50_ms": percentile(&latencies, 0.50),
            "p99_ms": percentile(&latencies, 0.99),
            "max_ms": latencies.last().copied().unwrap_or(0.0),
            "heartbeats_after": heartbeats,
            "shutdown_s": if exited { Some(shutdown_s) } else { None },
            "closed_by_server": seen.closed.load(Ordering::Relaxed),
        })
    );
    Ok(())
}

/// Reads one stream to its end; returns when the comment arrived.
async fn watch(mut stream: TcpStream, marker: String, seen: Arc<Seen>) -> Option<Instant> {
    let mut arrived = None;
    let mut heartbeat = false;
    // Only what follows the last complete line needs keeping between reads.
    let mut tail = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(DELIVERY_WAIT + HEARTBEAT_WAIT + SHUTDOWN_WAIT, stream.read(&mut chunk)).await;
        let n = match read {
            Ok(Ok(n)) if n > 0 => n,
            Ok(_) => {
                seen.closed.fetch_add(1, Ordering::Relaxed);
                return arrived;
            }
            Err(_) => return arrived,
        };
        tail.extend_from_slice(&chunk[..n]);
        if arrived.is_none() && contains(&tail, marker.as_bytes()) {
            arrived = Some(Instant::now());
            seen.delivered.fetch_add(1, Ordering::Relaxed);
        } else if arrived.is_some() && !heartbeat && contains(&tail, b":heartbeat") {
            heartbeat = true;
            seen.heartbeats.fetch_add(1, Ordering::Relaxed);
        }
        // Complete lines were searched; a marker split across reads is on the unfinished one.
        if let Some(end) = tail.iter().rposition(|&b| b == b'\n') {
            tail.drain(..=end);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Polls `done` every 100 ms for at most `limit`; true when it came true.
async fn wait_until(done: impl Fn() -> bool, limit: Duration) -> bool {
    let until = Instant::now() + limit;
    while !done() {
        if Instant::now() >= until {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    true
}
