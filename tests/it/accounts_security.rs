//! Account security: CSRF on every form, rate limits, no user enumeration, no passwords in
//! logs, errors or exports.

use serde_json::{Value, json};

use crate::accounts_support::{
    SmtpSink, client, csrf_of, get, post_form, sign_in, spawn_app, submit,
};
use crate::helpers::databases;

const PASSWORD: &str = "correct horse battery";

async fn count(app: &crate::helpers::TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(app.state.store.pool())
        .await
        .expect("count");
    n
}

#[tokio::test]
async fn posts_without_a_valid_csrf_token_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let sink = SmtpSink::start();
        let app = spawn_app(&db.url, &sink.url()).await;
        let email = format!("csrf-{}@example.com", db.name);

        // Sign-up without a token: 403 and no account.
        let c = client();
        let _ = get(&c, &app, "/signup").await;
        let (status, _, body) = post_form(
            &c,
            &app,
            "/signup",
            &[("email", &email), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, 0);
        // A token from another browser does not fit this browser's cookie.
        let (_, other_page) = get(&client(), &app, "/signup").await;
        let foreign = csrf_of(&other_page);
        let (status, _, _) = post_form(
            &c,
            &app,
            "/signup",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("csrf", &foreign),
            ],
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, 0);

        // With the token it works.
        let (status, _, _) = submit(
            &c,
            &app,
            "/signup",
            "/signup",
            &[("email", &email), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(status, 200);
        let (status, _, _) = sign_in(&c, &app, &email, PASSWORD).await;
        assert_eq!(status, 303);

        // Signed in: each state-changing form refuses a missing or wrong token.
        let bad = "x".repeat(43);
        for (action, fields) in [
            ("/account/delete", vec![("password", PASSWORD)]),
            ("/account/tokens", vec![("name", "t")]),
            ("/account/signout-all", vec![]),
            ("/signout", vec![]),
            (
                "/account/email",
                vec![("new_email", "other@example.com"), ("password", PASSWORD)],
            ),
            (
                "/signin",
                vec![("email", email.as_str()), ("password", PASSWORD)],
            ),
            ("/reset", vec![("email", email.as_str())]),
            ("/signin/email", vec![("email", email.as_str())]),
        ] {
            let (status, _, _) = post_form(&c, &app, action, &fields).await;
            assert_eq!(status, 403, "{action} without a token");
            let mut with_bad = fields.clone();
            with_bad.push(("csrf", &bad));
            let (status, _, _) = post_form(&c, &app, action, &with_bad).await;
            assert_eq!(status, 403, "{action} with a wrong token");
        }
        assert_eq!(get(&c, &app, "/account").await.0, 200, "still signed in");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM api_tokens").await, 0);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM sessions").await, 1);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM account_tokens WHERE purpose <> 'verify'"
            )
            .await,
            0
        );
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn twenty_failed_signins_from_one_ip_are_refused() {
    let app = spawn_app("", "").await;
    let c = client();
    let (status, _, _) = submit(
        &c,
        &app,
        "/signup",
        "/signup",
        &[("email", "victim@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200);
    let (_, page) = get(&c, &app, "/signin").await;
    let token = csrf_of(&page);
    let mut statuses = Vec::new();
    for i in 0..20 {
        let who = if i % 2 == 0 {
            "victim@example.com"
        } else {
            "nobody@example.com"
        };
        let (status, _, _) = post_form(
            &c,
            &app,
            "/signin",
            &[
                ("email", who),
                ("password", "guess guess"),
                ("csrf", &token),
            ],
        )
        .await;
        statuses.push(status);
    }
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(refused >= 10, "{statuses:?}");
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    // Even the right password is refused from this IP until the window passes.
    let (status, _, _) = post_form(
        &c,
        &app,
        "/signin",
        &[
            ("email", "victim@example.com"),
            ("password", PASSWORD),
            ("csrf", &token),
        ],
    )
    .await;
    assert_eq!(status, 429);
    // The API shares the limit.
    let r = client()
        .post(format!("{}/api/v1/tokens", app.addr))
        .json(&json!({"email": "victim@example.com", "password": PASSWORD, "name": "x"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn ten_signups_for_one_address_send_at_most_a_few_emails() {
    let sink = SmtpSink::start();
    let app = spawn_app("", &sink.url()).await;
    let mut bodies = Vec::new();
    for _ in 0..10 {
        let r = client()
            .post(format!("{}/api/v1/accounts", app.addr))
            .json(&json!({"email": "flooded@example.com", "password": PASSWORD}))
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 201);
        bodies.push(r.json::<Value>().await.expect("json"));
    }
    sink.wait_for("flooded@example.com", 1).await;
    let n = sink.count_for(&app, "flooded@example.com").await;
    let cap = sahifa::accounts::ratelimit::MAIL_PER_ADDRESS.max;
    assert!(cap <= 5, "the cap itself stays small");
    assert!((1..=cap).contains(&n), "sent {n} e-mails");
    // The others were held back by the limit, not lost to a failing send.
    let jobs = app
        .state
        .store
        .jobs_of_kind(sahifa::jobs::account_mail::KIND, 100)
        .await
        .expect("jobs");
    assert_eq!(jobs.len(), 10, "one mail job per sign-up: {jobs:?}");
    assert!(jobs.iter().all(|j| j.state == "done"), "{jobs:?}");
    // Each answer has the same shape; the repeated ones do not reveal the real id.
    let ids: std::collections::HashSet<&str> = bodies
        .iter()
        .map(|b| b["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 10);
}

#[tokio::test]
async fn known_and_unknown_addresses_get_the_same_answers() {
    let sink = SmtpSink::start();
    let app = spawn_app("", &sink.url()).await;
    let c = client();
    let (status, _, _) = submit(
        &c,
        &app,
        "/signup",
        "/signup",
        &[("email", "known@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200);

    let answer = |email: &'static str, page: &'static str, action: &'static str, pw: bool| {
        let c = client();
        let app = &app;
        async move {
            let mut fields = vec![("email", email)];
            if pw {
                fields.push(("password", "some other password"));
            }
            let (status, _, body) = submit(&c, app, page, action, &fields).await;
            // The page echoes the typed address and carries this browser's CSRF token.
            let (_, p) = get(&c, app, page).await;
            assert!(p.contains("csrf"), "{page}: {p}");
            let body = body.replace(email, "EMAIL").replace(&csrf_of(&p), "CSRF");
            (status, body)
        }
    };
    for (page, action, pw, unknown) in [
        ("/signin", "/signin", true, "unknown1@example.com"),
        ("/signin", "/signin/email", false, "unknown2@example.com"),
        ("/reset", "/reset", false, "unknown3@example.com"),
        // Last: signing up creates the unknown address.
        ("/signup", "/signup", true, "unknown4@example.com"),
    ] {
        let known = answer("known@example.com", page, action, pw).await;
        let unknown = answer(unknown, page, action, pw).await;
        assert_eq!(known, unknown, "{action} must not tell the two apart");
    }
    // The known address was told about the attempts; the unknown one got nothing.
    sink.wait_for("known@example.com", 2).await;
    for n in 1..=3 {
        assert_eq!(
            sink.count_for(&app, &format!("unknown{n}@example.com"))
                .await,
            0
        );
    }
}
