//! Issue 17, point 6: JSON API bodies must be `application/json` (415 otherwise; a UTF-8
//! byte-order mark is accepted), and CSRF tokens are bound to the session: a planted equal
//! cookie and field is refused, and signing in makes the tokens of before useless.

use serde_json::{Value, json};

use crate::accounts_support::{client, csrf_of, spawn_app, submit};
use crate::helpers::{TestApp, databases, set_cookies};

async fn users(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(app.state.store.pool())
        .await
        .expect("count");
    n
}

async fn post(app: &TestApp, path: &str, ctype: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut r = client().post(format!("{}{path}", app.addr)).body(body);
    if let Some(t) = ctype {
        r = r.header("content-type", t);
    }
    let r = r.send().await.expect("POST");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn json_bodies_must_say_so_and_a_byte_order_mark_is_fine() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let account = |email: &str| {
            json!({"email": email, "password": "a long password"})
                .to_string()
                .into_bytes()
        };
        // The cross-site simple requests a browser sends without asking first.
        for ctype in [
            Some("text/plain"),
            Some("text/plain; charset=utf-8"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            None,
        ] {
            let (status, e) = post(&app, "/api/v1/accounts", ctype, account("x@example.com")).await;
            assert_eq!(status, 415, "{}: {ctype:?}", db.name);
            assert_eq!(e["error"], "unsupported_media_type", "{e}");
            assert!(
                e["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("application/json"))
            );
        }
        assert_eq!(users(&app).await, 0, "{}: no account was made", db.name);
        let (status, e) = post(
            &app,
            "/api/v1/follows",
            Some("text/plain"),
            br#"{"kind":"tag","value":"x"}"#.to_vec(),
        )
        .await;
        assert_eq!(
            (status, &e["error"]),
            (415, &json!("unsupported_media_type"))
        );

        let (status, _) = post(
            &app,
            "/api/v1/accounts",
            Some("application/json; charset=UTF-8"),
            account("a@example.com"),
        )
        .await;
        assert_eq!(status, 201, "{}", db.name);
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend(account("bom@example.com"));
        let (status, e) = post(&app, "/api/v1/accounts", Some("application/json"), with_bom).await;
        assert_eq!(
            status, 201,
            "{}: a byte-order mark is accepted: {e}",
            db.name
        );
        assert_eq!(users(&app).await, 2, "{}", db.name);
        db.drop_schema().await;
    }
}

/// GETs `path` with `cookies` (none kept): the `Set-Cookie` values and the form token.
async fn page(app: &TestApp, path: &str, cookies: &str) -> (Vec<String>, String) {
    let mut r = raw().get(format!("{}{path}", app.addr));
    if !cookies.is_empty() {
        r = r.header("cookie", cookies);
    }
    let r = r.send().await.expect("GET");
    let set = set_cookies(&r);
    (set, csrf_of(&r.text().await.expect("page")))
}

async fn raw_post(
    app: &TestApp,
    path: &str,
    cookies: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    raw()
        .post(format!("{}{path}", app.addr))
        .header("cookie", cookies)
        .form(form)
        .send()
        .await
        .expect("POST")
}

/// A client that keeps no cookies and follows no redirects.
fn raw() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn cookie_of(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies
        .iter()
        .filter_map(|c| c.split(';').next()?.split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_string())
}

#[tokio::test]
async fn csrf_tokens_are_bound_to_the_session_and_rotated_at_sign_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let email = format!("bound-{}@example.com", db.name);
        let password = "a long password";

        // A planted cookie with the same value in the field: refused, nothing made.
        let planted = "p".repeat(43);
        let r = client()
            .post(format!("{}/signup", app.addr))
            .header("cookie", format!("sahifa_csrf={planted}"))
            .form(&[
                ("email", email.as_str()),
                ("password", password),
                ("csrf", &planted),
            ])
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 403, "{}: a planted pair", db.name);
        assert_eq!(users(&app).await, 0);
        // The form with its real token still works.
        let (status, _, _) = submit(
            &client(),
            &app,
            "/signup",
            "/signup",
            &[("email", &email), ("password", password)],
        )
        .await;
        assert_eq!(status, 200, "{}", db.name);
        assert_eq!(users(&app).await, 1);
        app.state
            .accounts
            .add_user(
                "other@example.com",
                password,
                sahifa::accounts::Role::Reader,
                true,
            )
            .await
            .expect("member");

        // By hand, cookies and all: the sign-in page's token is dead once signed in.
        let (jar, before) = page(&app, "/signin", "").await;
        let pre = cookie_of(&jar, "sahifa_csrf").expect("pre-session cookie");
        let r = raw_post(
            &app,
            "/signin",
            &format!("sahifa_csrf={pre}"),
            &[
                ("email", "other@example.com"),
                ("password", password),
                ("csrf", &before),
            ],
        )
        .await;
        assert_eq!(r.status(), 303, "{}", db.name);
        let set = set_cookies(&r);
        let session = cookie_of(&set, "sahifa_session").expect("session cookie");
        let rotated = cookie_of(&set, "sahifa_csrf").expect("a new pre-session cookie");
        assert_ne!(
            rotated, pre,
            "{}: the pre-session cookie is rotated",
            db.name
        );
        let signed_in = format!("sahifa_session={session}; sahifa_csrf={rotated}");
        for (cookies, token, why) in [
            (
                signed_in.clone(),
                before.clone(),
                "the token from before sign-in",
            ),
            (
                format!("sahifa_session={session}; sahifa_csrf={pre}"),
                before.clone(),
                "the token from before, with its old cookie",
            ),
            (
                format!("sahifa_session={session}; sahifa_csrf={planted}"),
                planted.clone(),
                "a planted pair, signed in",
            ),
        ] {
            let r = raw_post(
                &app,
                "/account/tokens",
                &cookies,
                &[("name", "t"), ("csrf", &token)],
            )
            .await;
            assert_eq!(r.status(), 403, "{}: {why}", db.name);
        }
        let (_, after) = page(&app, "/account", &signed_in).await;
        assert_ne!(after, before);
        let r = raw_post(
            &app,
            "/account/tokens",
            &signed_in,
            &[("name", "t"), ("csrf", &after)],
        )
        .await;
        assert!(
            r.status().as_u16() < 400,
            "{}: the new token works",
            db.name
        );
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM api_tokens")
            .fetch_one(app.state.store.pool())
            .await
            .expect("count");
        assert_eq!(n, 1, "{}: only the good token made one", db.name);
        db.drop_schema().await;
    }
}
