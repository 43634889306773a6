//! A burst of failed sign-ins cannot exhaust memory: password hashes run a bounded number at
//! a time, the rest wait briefly and are then turned away with 503 and `Retry-After`, never
//! another 5xx; the unknown-address path waits in the same line as the known one.

use std::net::{IpAddr, Ipv4Addr};

use sahifa::accounts::Role;
use serde_json::json;

use crate::accounts_support::spawn_with;

#[tokio::test]
async fn a_burst_of_failed_sign_ins_is_queued_then_shed_with_503_and_retry_after() {
    // One slot and a costly hash, so that 40 attempts cannot all be served within the
    // queueing time (40 x ~150 ms > 3 s).
    let app = spawn_with("", "", |c| {
        c.password_memory_kib = 32 * 1024;
        c.password_iterations = 3;
        c.password_hashes = 1;
    })
    .await;
    for email in [
        "known0@example.com",
        "known1@example.com",
        "after@example.com",
    ] {
        app.state
            .accounts
            .add_user(email, "the right password", Role::Reader, true)
            .await
            .expect("add user");
    }
    let mut attempts = Vec::new();
    for i in 0..40u8 {
        // Each from its own loopback address, as 40 different clients.
        let from = IpAddr::V4(Ipv4Addr::new(127, 0, 1, i + 2));
        let client = reqwest::Client::builder()
            .local_address(from)
            .build()
            .expect("client");
        // Known addresses (a few attempts each, under the per-account limit) and unknown.
        let email = if i % 4 == 0 {
            format!("known{}@example.com", i % 8 / 4)
        } else {
            format!("nobody{i}@example.com")
        };
        let url = format!("{}/api/v1/tokens", app.addr);
        attempts.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .json(&json!({"email": email, "password": "wrong password", "name": "x"}))
                .send()
                .await
                .expect("POST");
            let retry = r.headers().get("retry-after").cloned();
            let status = r.status().as_u16();
            let body: serde_json::Value = r.json().await.expect("a JSON body");
            (status, retry, body)
        }));
    }
    let (mut refused, mut shed) = (0, 0);
    for a in attempts {
        let (status, retry, body) = a.await.expect("join");
        match status {
            401 => refused += 1,
            503 => {
                shed += 1;
                let secs: u64 = retry
                    .and_then(|v| v.to_str().ok().and_then(|s| s.parse().ok()))
                    .expect("503 carries Retry-After in seconds");
                assert!((1..=60).contains(&secs), "Retry-After {secs}");
                assert!(body["error"].is_string(), "{body}");
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(shed > 0, "nothing was shed: {refused} refused");
    assert!(refused > 0, "nothing was served: {shed} shed");
    assert_eq!(app.state.accounts.hasher().permits(), 1);
    // Once the burst is over the server answers again at once.
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/tokens", app.addr))
        .json(&json!({"email": "after@example.com", "password": "the right password", "name": "x"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 201);
}
