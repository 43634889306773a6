//! Behind a trusted reverse proxy, rate limits key on the forwarded client address: ten
//! failures from one client do not lock out another; from an untrusted peer the header
//! is ignored, so it cannot be used to dodge the limits.

use serde_json::json;

use crate::accounts_support::spawn_with;
use crate::helpers::TestApp;

const REAL: &str = "real@example.com";

async fn sign_in(app: &TestApp, xff: &str, email: &str, password: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/api/v1/tokens", app.addr))
        .header("x-forwarded-for", xff)
        .json(&json!({"email": email, "password": password, "name": "x"}))
        .send()
        .await
        .expect("POST")
        .status()
        .as_u16()
}

async fn app_trusting(proxies: Vec<String>) -> TestApp {
    let app = spawn_with("", "", |c| c.trusted_proxies = proxies).await;
    app.state
        .accounts
        .add_user(
            "real@example.com",
            "the right password",
            sahifa::accounts::Role::Reader,
            true,
        )
        .await
        .expect("add user");
    app
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    // The test client connects from 127.0.0.1: the trusted proxy.
    let app = app_trusting(vec!["127.0.0.1/32".into()]).await;
    for i in 0..10 {
        let s = sign_in(&app, "203.0.113.66", &format!("n{i}@example.com"), "wrong").await;
        assert!(s == 401 || s == 429, "attempt {i}: {s}");
    }
    assert_eq!(
        sign_in(&app, "203.0.113.66", "n10@example.com", "wrong").await,
        429
    );
    // Another reader, behind the same proxy, is not locked out.
    assert_eq!(
        sign_in(&app, "198.51.100.7", REAL, "the right password").await,
        201
    );
    // A client cannot pick its address by prepending: the right-most untrusted hop counts.
    assert_eq!(
        sign_in(&app, "1.2.3.4, 203.0.113.66", "n11@example.com", "wrong").await,
        429
    );

    // Not trusted: the header is ignored, every attempt is 127.0.0.1's.
    let app = app_trusting(Vec::new()).await;
    for i in 0..10 {
        sign_in(
            &app,
            &format!("192.0.2.{i}"),
            &format!("n{i}@example.com"),
            "x",
        )
        .await;
    }
    assert_eq!(
        sign_in(&app, "192.0.2.200", REAL, "the right password").await,
        429
    );
}
