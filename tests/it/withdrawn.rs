//! Drafts and withdrawn articles are not public: their page and their API answer 404 to a
//! visitor and to a reader (by session or token), and stay readable to editors and at the
//! desk; on SQLite and PostgreSQL.

use sahifa::accounts::Role;
use sahifa::ingest::Incoming;
use serde_json::json;

use crate::accounts_support::{client, get, sign_in, spawn_app, submit};
use crate::helpers::{TestApp, databases};

const PASSWORD: &str = "a long password";

/// A signed-in member's client and an API token of theirs.
async fn member(app: &TestApp, email: &str, role: Role) -> (reqwest::Client, String) {
    app.state
        .accounts
        .add_user(email, PASSWORD, role, true)
        .await
        .expect("add user");
    let c = client();
    assert_eq!(sign_in(&c, app, email, PASSWORD).await.0, 303);
    let r = client()
        .post(format!("{}/api/v1/tokens", app.addr))
        .json(&json!({"email": email, "password": PASSWORD, "name": "test"}))
        .send()
        .await
        .expect("POST tokens");
    assert_eq!(r.status(), 201, "token for {email}");
    let body: serde_json::Value = r.json().await.expect("json");
    let token = body["token"].as_str().expect("token").to_string();
    (c, token)
}

async fn api_status(app: &TestApp, path: &str, token: Option<&str>) -> u16 {
    let mut req = client().get(format!("{}{path}", app.addr));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.expect("GET").status().as_u16()
}

#[tokio::test]
async fn drafts_and_withdrawn_articles_answer_404_to_all_but_editors() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let (reader, reader_token) = member(&app, "reader@example.com", Role::Reader).await;
        let (editor, editor_token) = member(&app, "editor@example.com", Role::Editor).await;
        app.state
            .newsroom
            .ingest_records(
                vec![Incoming {
                    id: Some("w1".into()),
                    title: Some("خبر سيُسحب".into()),
                    body: "نص الخبر الذي سحبه المحرر بعد نشره.".into(),
                    ..Incoming::default()
                }],
                "wire",
                "test",
            )
            .await
            .expect("ingest");
        assert_eq!(get(&client(), &app, "/articles/wire/w1").await.0, 200);
        let (status, _, _) = submit(
            &editor,
            &app,
            "/desk/edit/wire/w1",
            "/desk/status/wire/w1",
            &[("action", "unpublish")],
        )
        .await;
        assert_eq!(status, 303, "{}", db.name);
        let (status, location, body) = submit(
            &editor,
            &app,
            "/desk/new",
            "/desk/articles",
            &[
                ("title", "مسودة لم تُنشر"),
                ("body", "نص المسودة السري الذي لم يُنشر بعد."),
                ("action", "draft"),
            ],
        )
        .await;
        assert!(
            status == 303 || status == 200,
            "{}: {status} {body}",
            db.name
        );
        let draft = app
            .state
            .store
            .desk_articles("desk", 10, 0)
            .await
            .expect("desk list")
            .into_iter()
            .find(|a| a.status == "draft")
            .unwrap_or_else(|| panic!("{}: no draft stored ({location:?})", db.name));
        let cases = [
            ("wire", "w1".to_string(), "سحبه المحرر", "خبر سيُسحب"),
            ("desk", draft.id.clone(), "المسودة السري", "مسودة لم تُنشر"),
        ];
        for (source, id, text, title) in cases {
            let page = format!("/articles/{source}/{id}");
            let api = format!("/api/v1/articles/{source}/{id}");
            let (s, html) = get(&client(), &app, &page).await;
            assert_eq!(s, 404, "{}: visitor {page}", db.name);
            assert!(!html.contains(text), "{}: {page} leaks its text", db.name);
            assert_eq!(
                get(&reader, &app, &page).await.0,
                404,
                "{}: reader {page}",
                db.name
            );
            assert_eq!(
                api_status(&app, &api, None).await,
                404,
                "{}: {api}",
                db.name
            );
            assert_eq!(
                api_status(&app, &api, Some(&reader_token)).await,
                404,
                "{}: reader {api}",
                db.name
            );
            let (s, html) = get(&editor, &app, &page).await;
            assert_eq!(s, 200, "{}: editor {page}", db.name);
            assert!(html.contains(text), "{}: editor sees the text", db.name);
            assert_eq!(
                api_status(&app, &api, Some(&editor_token)).await,
                200,
                "{}: editor {api}",
                db.name
            );
            let (s, html) = get(&editor, &app, &format!("/desk/edit/{source}/{id}")).await;
            assert_eq!(s, 200, "{}: desk preview of {source}/{id}", db.name);
            assert!(html.contains(title), "{}: the desk shows it", db.name);
        }
        // Published again, it is public again.
        let (status, _, _) = submit(
            &editor,
            &app,
            "/desk",
            "/desk/status/wire/w1",
            &[("action", "publish")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(get(&client(), &app, "/articles/wire/w1").await.0, 200);
        assert_eq!(
            api_status(&app, "/api/v1/articles/wire/w1", None).await,
            200
        );
        db.drop_schema().await;
    }
}
