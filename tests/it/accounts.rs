//! Account flows end to end through the real router and a real SMTP server, on SQLite and
//! PostgreSQL: sign-up, verification, password sign-in, API tokens, e-mail link and code
//! sign-in. (Reset, change of e-mail, sign-out, export and deletion: accounts_lifecycle.)

use serde_json::{Value, json};

use crate::accounts_support::{
    SmtpSink, client, get, path_of, sign_in, spawn_app, submit, token_of,
};
use crate::helpers::{TestApp, databases};

pub const PASSWORD: &str = "correct horse battery";

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
pub(crate) use on_each_backend;

/// Signs up `email` through the page, follows the verification link, and signs in `c`.
pub async fn signed_up_and_in(app: &TestApp, sink: &SmtpSink, c: &reqwest::Client, email: &str) {
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
    let (status, location, _) = sign_in(c, app, email, PASSWORD).await;
    assert_eq!((status, location.as_deref()), (303, Some("/account")));
}

pub async fn bearer_me(app: &TestApp, token: &str) -> (u16, Value) {
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
    let (status, _, _) = sign_in(&c, app, &email, "wrong password").await;
    assert_eq!(status, 401);
    let (status, location, _) = sign_in(&c, app, &email, PASSWORD).await;
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
    let (status, _, page) =
        submit(&c, app, "/account", "/account/tokens", &[("name", "هاتفي")]).await;
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
    let id: String = page[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (status, _, _) = submit(
        &c,
        app,
        "/account",
        &format!("/account/tokens/{id}/revoke"),
        &[],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        bearer_me(app, &token).await.0,
        401,
        "a revoked token is refused"
    );

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
