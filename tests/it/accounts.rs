//! Account flows end to end through the real router and a real SMTP server, on SQLite and
//! PostgreSQL: sign-up, verification, password sign-in, API tokens, e-mail link and code
//! sign-in, reset, change of e-mail, sign-out everywhere, export and deletion.

use serde_json::{Value, json};

use crate::accounts_support::{
    SmtpSink, client, get, path_of, post_form, spawn_app, submit, token_of,
};
use crate::helpers::{TestApp, databases};

const PASSWORD: &str = "correct horse battery";

/// Runs `flow` once per database backend, each with its own SMTP sink and app.
macro_rules! on_each_backend {
    ($flow:ident) => {{
        let dir = tempfile::tempdir().expect("tempdir");
        for db in databases(dir.path()).await {
            let sink = SmtpSink::start();
            let app = spawn_app(&db.url, &sink.url()).await;
            $flow(&app, &sink, db.name).await;
            app.state.store.close().await;
            db.drop_schema().await;
        }
    }};
}

/// Signs up `email` through the page, follows the verification link, and signs in `c`.
async fn signed_up_and_in(app: &TestApp, sink: &SmtpSink, c: &reqwest::Client, email: &str) {
    let (status, _, body) = submit(
        c,
        app,
        "/signup",
        "/signup",
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let mail = sink.next_for(email, 0).await;
    let link = mail.link("/verify?token=").expect("verification link");
    let (status, body) = get(c, app, &path_of(app, &link)).await;
    assert_eq!(status, 200, "{body}");
    let (status, location, _) = submit(
        c,
        app,
        "/signin",
        "/signin",
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    assert_eq!((status, location.as_deref()), (303, Some("/account")));
}

async fn bearer_me(app: &TestApp, token: &str) -> (u16, Value) {
    let r = client()
        .get(format!("{}/api/v1/me", app.addr))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET /me");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn signup_verify_signin_and_tokens(app: &TestApp, sink: &SmtpSink, backend: &str) {
    let email = format!("reader-{backend}@example.com");
    let c = client();
    // Mixed case and spaces are normalised.
    let typed = format!("  Reader-{backend}@Example.COM ");
    let (status, _, body) = submit(
        &c,
        app,
        "/signup",
        "/signup",
        &[("email", &typed), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("تحقق من بريدك"));

    let mail = sink.next_for(&email, 0).await;
    assert!(mail.subject.contains("تأكيد"), "{}", mail.subject);
    let html = mail.html.as_deref().expect("an HTML part");
    assert!(html.contains(r#"lang="ar" dir="rtl""#), "{html}");
    assert!(!mail.text().is_empty(), "a plain-text part");
    let link = mail.link("/verify?token=").expect("verification link");
    assert!(link.starts_with(&app.addr), "{link}");

    // Not verified yet.
    let (status, _, _) = submit(
        &c,
        app,
        "/signin",
        "/signin",
        &[("email", &email), ("password", "wrong password")],
    )
    .await;
    assert_eq!(status, 401);
    let (status, location, _) = submit(
        &c,
        app,
        "/signin",
        "/signin",
        &[("email", &email), ("password", PASSWORD)],
    )
    .await;
    assert_eq!((status, location.as_deref()), (303, Some("/account")));
    let (status, page) = get(&c, app, "/account").await;
    assert_eq!(status, 200);
    assert!(page.contains(&email) && page.contains("غير مؤكَّد"));

    let (status, _) = get(&c, app, &path_of(app, &link)).await;
    assert_eq!(status, 200);
    let (status, _) = get(&c, app, &path_of(app, &link)).await;
    assert_eq!(status, 400, "a verification link works once");
    let (_, page) = get(&c, app, "/account").await;
    assert!(page.contains("مؤكَّد") && !page.contains("غير مؤكَّد"));

    // A personal API token from the account page, then revoked.
    let (status, _, page) = submit(&c, app, "/account", "/account/tokens", &[("name", "هاتفي")]).await;
    assert_eq!(status, 200, "{page}");
    let start = page.find("id=\"new-token\">").expect("new token shown") + 15;
    let token = page[start..page[start..].find('<').expect("end") + start].to_string();
    let (status, me) = bearer_me(app, &token).await;
    assert_eq!(status, 200);
    assert_eq!(me["email"], email.as_str());
    assert_eq!(me["verified"], true);
    assert_eq!(me["role"], "reader");
    let uid = me["id"].as_str().expect("id").to_string();
    assert!(page.contains("هاتفي"));
    let start = page.find("/account/tokens/").expect("revoke form") + 16;
    let id: String = page[start..].chars().take_while(char::is_ascii_digit).collect();
    let (status, _, _) = submit(&c, app, "/account", &format!("/account/tokens/{id}/revoke"), &[]).await;
    assert_eq!(status, 303);
    assert_eq!(bearer_me(app, &token).await.0, 401, "a revoked token is refused");

    // The same through the JSON API.
    let r = client()
        .post(format!("{}/api/v1/tokens", app.addr))
        .json(&json!({"email": email, "password": PASSWORD, "name": "cli"}))
        .send()
        .await
        .expect("POST /tokens");
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.expect("json");
    let token = body["token"].as_str().expect("token").to_string();
    let (status, me) = bearer_me(app, &token).await;
    assert_eq!(status, 200);
    assert_eq!(me["id"], uid.as_str());
    let stored: (String,) = sqlx::query_as("SELECT token_hash FROM api_tokens ORDER BY pk DESC")
        .fetch_one(app.state.store.pool())
        .await
        .expect("row");
    assert_ne!(stored.0, token, "tokens are stored hashed");
}

#[tokio::test]
async fn signup_verification_password_signin_and_api_tokens() {
    on_each_backend!(signup_verify_signin_and_tokens);
}

async fn email_link_and_code_signin(app: &TestApp, sink: &SmtpSink, backend: &str) {
    let email = format!("link-{backend}@example.com");
    signed_up_and_in(app, sink, &client(), &email).await;
    let seen = sink.wait_for(&email, 1).await.len();

    let c = client();
    let (status, _, body) = submit(&c, app, "/signin", "/signin/email", &[("email", &email)]).await;
    assert_eq!(status, 200);
    assert!(body.contains("إن كان لهذا العنوان حساب"));
    let mail = sink.next_for(&email, seen).await;
    let link = mail.link("/signin/link?token=").expect("sign-in link");
    assert!(mail.code().is_some(), "a one-time code: {}", mail.text());

    // A link scanner's plain GETs neither sign in nor use the token up.
    let scanner = client();
    for _ in 0..3 {
        let (status, page) = get(&scanner, app, &path_of(app, &link)).await;
        assert_eq!(status, 200);
        assert!(page.contains("تأكيد تسجيل الدخول"));
        let (status, _) = get(&scanner, app, "/account").await;
        assert_eq!(status, 303, "a GET of the link does not sign in");
    }
    // The button's POST does.
    let (status, location, _) = submit(
        &c,
        app,
        &path_of(app, &link),
        "/signin/link",
        &[("token", &token_of(&link))],
    )
    .await;
    assert_eq!((status, location.as_deref()), (303, Some("/account")));
    assert_eq!(get(&c, app, "/account").await.0, 200);
    // Used up now.
    let (status, _) = get(&scanner, app, &path_of(app, &link)).await;
    assert_eq!(status, 400);
    let (status, _, _) = submit(
        &scanner,
        app,
        "/signin",
        "/signin/link",
        &[("token", &token_of(&link))],
    )
    .await;
    assert_eq!(status, 400);

    // The one-time code fallback.
    let c = client();
    let (status, _, _) = submit(&c, app, "/signin", "/signin/email", &[("email", &email)]).await;
    assert_eq!(status, 200);
    let mail = sink.next_for(&email, seen + 1).await;
    let code = mail.code().expect("code");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, _, _) = submit(
        &c,
        app,
        "/signin",
        "/signin/code",
        &[("email", &email), ("code", wrong)],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(get(&c, app, "/account").await.0, 303);
    let (status, location, _) = submit(
        &c,
        app,
        "/signin",
        "/signin/code",
        &[("email", &email), ("code", &code)],
    )
    .await;
    assert_eq!((status, location.as_deref()), (303, Some("/account")));
    assert_eq!(get(&c, app, "/account").await.0, 200);
    // A code works once.
    let (status, _, _) = submit(
        &client(),
        app,
        "/signin",
        "/signin/code",
        &[("email", &email), ("code", &code)],
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn email_link_signin_needs_the_confirm_post_and_codes_work_once() {
    on_each_backend!(email_link_and_code_signin);
}

async fn reset_and_change_email(app: &TestApp, sink: &SmtpSink, backend: &str) {
    let email = format!("reset-{backend}@example.com");
    let c = client();
    signed_up_and_in(app, sink, &c, &email).await;

    // Reset the password from another browser.
    let other = client();
    let (status, _, _) = submit(&other, app, "/reset", "/reset", &[("email", &email)]).await;
    assert_eq!(status, 200);
    let mail = sink.next_for(&email, 1).await;
    let link = mail.link("/reset/confirm?token=").expect("reset link");
    for _ in 0..2 {
        assert_eq!(get(&other, app, &path_of(app, &link)).await.0, 200);
    }
    let new_password = "a brand new password";
    let (status, _, body) = submit(
        &other,
        app,
        &path_of(app, &link),
        "/reset/confirm",
        &[("token", &token_of(&link)), ("password", new_password)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(&c, app, "/account").await.0, 303, "a reset ends every session");
    let signin = |pw: &'static str, who: &str| {
        let who = who.to_string();
        let c = client();
        async move {
            let (status, _, _) = submit(
                &c,
                app,
                "/signin",
                "/signin",
                &[("email", &who), ("password", pw)],
            )
            .await;
            (status, c)
        }
    };
    assert_eq!(signin(PASSWORD, &email).await.0, 401);
    let (status, c) = signin(new_password, &email).await;
    assert_eq!(status, 303);

    // Change of e-mail, confirmed at the new address.
    let new_email = format!("moved-{backend}@example.org");
    let (status, _, page) = submit(
        &c,
        app,
        "/account",
        "/account/email",
        &[("new_email", &new_email), ("password", new_password)],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let confirm = sink.next_for(&new_email, 0).await;
    let notice = sink.next_for(&email, 2).await;
    assert!(notice.link("/account/email/confirm").is_none(), "the old address gets no link");
    let link = confirm.link("/account/email/confirm?token=").expect("confirm link");
    let (status, page) = get(&client(), app, &path_of(app, &link)).await;
    assert_eq!(status, 200);
    assert!(page.contains(&new_email));
    let (_, page) = get(&c, app, "/account").await;
    assert!(page.contains(&email), "nothing changes before the confirm POST");
    let (status, _, _) = submit(
        &c,
        app,
        &path_of(app, &link),
        "/account/email/confirm",
        &[("token", &token_of(&link))],
    )
    .await;
    assert_eq!(status, 200);
    let (_, page) = get(&c, app, "/account").await;
    assert!(page.contains(&new_email));
    assert_eq!(signin(new_password, &email).await.0, 401);
    assert_eq!(signin(new_password, &new_email).await.0, 303);
}

#[tokio::test]
async fn password_reset_and_change_of_email() {
    on_each_backend!(reset_and_change_email);
}

async fn signout_export_and_delete(app: &TestApp, sink: &SmtpSink, backend: &str) {
    let email = format!("leaver-{backend}@example.com");
    let c = client();
    signed_up_and_in(app, sink, &c, &email).await;
    let c2 = client();
    let (status, _, _) = submit(
        &c2,
        app,
        "/signin",
        "/signin",
        &[("email", &email), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 303);

    // Sign out of this browser only.
    let (status, _) = get(&c2, app, "/signout").await;
    assert_eq!(status, 200, "GET /signout only shows a button");
    assert_eq!(get(&c2, app, "/account").await.0, 200);
    let (status, _, _) = submit(&c2, app, "/signout", "/signout", &[]).await;
    assert_eq!(status, 303);
    assert_eq!(get(&c2, app, "/account").await.0, 303);
    assert_eq!(get(&c, app, "/account").await.0, 200);

    // Sign out everywhere.
    let (status, _, _) = submit(&c2, app, "/signin", "/signin", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(status, 303);
    let (status, _, _) = submit(&c, app, "/account", "/account/signout-all", &[]).await;
    assert_eq!(status, 303);
    assert_eq!(get(&c, app, "/account").await.0, 303);
    assert_eq!(get(&c2, app, "/account").await.0, 303);

    // Export.
    let (status, _, _) = submit(&c, app, "/signin", "/signin", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(status, 303);
    let r = client()
        .post(format!("{}/api/v1/tokens", app.addr))
        .json(&json!({"email": email, "password": PASSWORD, "name": "laptop"}))
        .send()
        .await
        .expect("POST /tokens");
    let token = r.json::<Value>().await.expect("json")["token"]
        .as_str()
        .expect("token")
        .to_string();
    let (status, export) = get(&c, app, "/account/export").await;
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&export).expect("export is JSON");
    assert_eq!(v["account"]["email"], email.as_str());
    assert_eq!(v["account"]["verified"], true);
    assert_eq!(v["api_tokens"][0]["name"], "laptop");
    assert!(!v["sessions"].as_array().expect("sessions").is_empty());
    for secret in [PASSWORD, "argon2", "password_hash", token.as_str()] {
        assert!(!export.contains(secret), "the export must not contain {secret:?}");
    }

    // Delete: a wrong password changes nothing.
    let (status, _, _) = submit(&c, app, "/account", "/account/delete", &[("password", "nope nope nope")]).await;
    assert_eq!(status, 401);
    assert_eq!(get(&c, app, "/account").await.0, 200);
    let pk: (i64,) = sqlx::query_as("SELECT pk FROM users WHERE email = $1")
        .bind(&email)
        .fetch_one(app.state.store.pool())
        .await
        .expect("user row");
    let (status, location, _) = submit(&c, app, "/account", "/account/delete", &[("password", PASSWORD)]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/")));
    assert_eq!(get(&c, app, "/account").await.0, 303);
    assert_eq!(bearer_me(app, &token).await.0, 401);
    for table in ["sessions", "api_tokens", "account_tokens"] {
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE user_pk = $1"
        )))
        .bind(pk.0)
        .fetch_one(app.state.store.pool())
        .await
        .expect("count");
        assert_eq!(n, 0, "{table} rows of a deleted account");
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = $1 OR pk = $2")
        .bind(&email)
        .bind(pk.0)
        .fetch_one(app.state.store.pool())
        .await
        .expect("count");
    assert_eq!(n, 0);
    let (status, _, _) = submit(&client(), app, "/signin", "/signin", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(status, 401);
    let _ = post_form;
}

#[tokio::test]
async fn signout_everywhere_export_and_deletion() {
    on_each_backend!(signout_export_and_delete);
}
