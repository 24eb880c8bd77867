//! Rate limits that hold when the requests arrive all at once, and the client
//! address they are keyed on.

use crate::comments::{post, reader, PASSWORD};
use crate::helpers::{spawn_with, TestApp};
use futures::future::join_all;
use serde_json::json;

/// A server behind a trusted proxy on loopback: `X-Forwarded-For` names the client.
async fn behind_proxy() -> TestApp {
    spawn_with(|c| c.http.trusted_proxies = app::client_addr::TrustedProxies::parse("127.0.0.1/32").unwrap()).await
}

async fn login_from(app: &TestApp, client_ip: &str, login: &str, password: &str) -> reqwest::Response {
    app.new_client()
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", client_ip)
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn fifty_parallel_wrong_logins_get_at_most_five_verdicts_and_the_owner_still_logs_in() {
    let app = behind_proxy().await;
    reader(&app, "owner_one").await;
    let attempts = (0..50).map(|_| login_from(&app, "203.0.113.66", "owner_one", "not-the-password"));
    let statuses: Vec<u16> = join_all(attempts).await.iter().map(|r| r.status().as_u16()).collect();
    let judged = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert!(judged <= 5, "{judged} wrong passwords were judged: {statuses:?}");
    assert_eq!(judged + throttled, 50, "{statuses:?}");
    // The owner, from an address without failures, is not locked out.
    let res = login_from(&app, "198.51.100.20", "owner_one", PASSWORD).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    // The attacker's address stays locked, even with the right password.
    assert_eq!(login_from(&app, "203.0.113.66", "owner_one", PASSWORD).await.status(), 429);
}

#[tokio::test]
async fn two_hundred_parallel_logins_never_hash_more_than_one_per_core() {
    let app = behind_proxy().await;
    let attempts = (0..200u32).map(|i| {
        let ip = format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256);
        let app = &app;
        async move { login_from(app, &ip, &format!("nobody_{i}"), "some-guess-123").await }
    });
    let responses = join_all(attempts).await;
    for res in &responses {
        match res.status().as_u16() {
            401 => {}
            503 => assert!(res.headers().contains_key("retry-after"), "a 503 without Retry-After"),
            other => panic!("unexpected status {other}"),
        }
    }
    let gate = &app.state.passwords;
    assert!(
        gate.peak_running() <= gate.slots(),
        "{} hashes ran at once on {} slots",
        gate.peak_running(),
        gate.slots()
    );
    // 19 MiB a hash: unbounded, 200 at once would take gigabytes.
    let peak_kib = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse::<u64>().ok()));
    if let Some(kib) = peak_kib {
        assert!(kib < 1_500_000, "peak memory {kib} KiB");
    }
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_for_is_ignored() {
    let app = spawn_with(|_| {}).await;
    let attempts = (0..21).map(|i| {
        let app = &app;
        async move { login_from(app, &format!("192.0.2.{i}"), &format!("ghost_{i}"), "some-guess-123").await }
    });
    let statuses: Vec<u16> = join_all(attempts).await.iter().map(|r| r.status().as_u16()).collect();
    // Every request came from 127.0.0.1, whatever the header claimed: the 21st is over the per-address 20.
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 1, "{statuses:?}");
}

#[tokio::test]
async fn failed_sign_ups_count_toward_the_limit_even_in_parallel() {
    let app = behind_proxy().await;
    let signup = |i: usize, email: String| {
        let app = &app;
        async move {
            app.new_client()
                .post(app.url("/api/v1/auth/signup"))
                .header("x-forwarded-for", "203.0.113.77")
                .json(&json!({ "username": format!("probe_{i}"), "email": email, "password": PASSWORD }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Three probes of whether an email is registered (all refused), then a crowd.
    reader(&app, "already_here").await;
    for i in 0..3 {
        assert_eq!(signup(i, "already_here@example.com".into()).await, 409);
    }
    let statuses = join_all((3..13).map(|i| signup(i, format!("crowd{i}@example.com")))).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 2, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 8, "{statuses:?}");
}

#[tokio::test]
async fn parallel_comments_meet_the_limit() {
    let app = spawn_with(|_| {}).await;
    let slug = app.first_slug().await;
    let author = reader(&app, "quick_typist").await;
    let texts: Vec<String> = (0..20).map(|i| format!("Thought number {i}")).collect();
    let posts = texts.iter().map(|text| post(&author, &app, &slug, text, None));
    let statuses: Vec<u16> = join_all(posts).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 15, "{statuses:?}");
}

#[tokio::test]
async fn ipv6_clients_share_a_limit_per_slash_64() {
    let app = behind_proxy().await;
    let attempts = (0..21).map(|i| {
        let app = &app;
        async move { login_from(app, &format!("2001:db8:5:6::{i:x}"), &format!("v6_{i}"), "some-guess-123").await }
    });
    let statuses: Vec<u16> = join_all(attempts).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 1, "one /64 is one client: {statuses:?}");
    assert_eq!(login_from(&app, "2001:db8:5:7::1", "v6_other", "some-guess-123").await.status(), 401);
}
