//! The later life of an account, end to end through a real SMTP server on SQLite and
//! PostgreSQL: password reset, change of e-mail, sign-out (here and everywhere), export
//! and deletion.

use serde_json::{Value, json};

use crate::accounts::{PASSWORD, bearer_me, on_each_backend, signed_up_and_in};
use crate::accounts_support::{
    SmtpSink, client, get, path_of, sign_in, spawn_app, submit, token_of,
};
use crate::helpers::{TestApp, databases};

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
    assert_eq!(
        get(&c, app, "/account").await.0,
        303,
        "a reset ends every session"
    );
    let signin = |pw: &'static str, who: &str| {
        let who = who.to_string();
        let c = client();
        async move {
            let (status, _, _) = sign_in(&c, app, &who, pw).await;
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
    assert!(
        notice.link("/account/email/confirm").is_none(),
        "the old address gets no link"
    );
    let link = confirm
        .link("/account/email/confirm?token=")
        .expect("confirm link");
    let (status, page) = get(&client(), app, &path_of(app, &link)).await;
    assert_eq!(status, 200);
    assert!(page.contains(&new_email));
    let (_, page) = get(&c, app, "/account").await;
    assert!(
        page.contains(&email),
        "nothing changes before the confirm POST"
    );
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
    let (status, _, _) = sign_in(&c2, app, &email, PASSWORD).await;
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
    let (status, _, _) = sign_in(&c2, app, &email, PASSWORD).await;
    assert_eq!(status, 303);
    let (status, _, _) = submit(&c, app, "/account", "/account/signout-all", &[]).await;
    assert_eq!(status, 303);
    assert_eq!(get(&c, app, "/account").await.0, 303);
    assert_eq!(get(&c2, app, "/account").await.0, 303);

    // Export.
    let (status, _, _) = sign_in(&c, app, &email, PASSWORD).await;
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
        assert!(
            !export.contains(secret),
            "the export must not contain {secret:?}"
        );
    }

    // Delete: a wrong password changes nothing.
    let (status, _, _) = submit(
        &c,
        app,
        "/account",
        "/account/delete",
        &[("password", "nope nope nope")],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(get(&c, app, "/account").await.0, 200);
    let pk: (i64,) = sqlx::query_as("SELECT pk FROM users WHERE email = $1")
        .bind(&email)
        .fetch_one(app.state.store.pool())
        .await
        .expect("user row");
    let (status, location, _) = submit(
        &c,
        app,
        "/account",
        "/account/delete",
        &[("password", PASSWORD)],
    )
    .await;
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
    let (status, _, _) = sign_in(&client(), app, &email, PASSWORD).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn signout_everywhere_export_and_deletion() {
    on_each_backend!(signout_export_and_delete);
}
