//! Roles, the editor's desk (through the ingestion pipeline) and the admin page, on SQLite
//! and PostgreSQL.

use sahifa::accounts::Role;
use sahifa::ingest::Incoming;
use sahifa::model::{LabelOrigin, Section};
use serde_json::{Value, json};

use crate::accounts_support::{client, get, sign_in, spawn_app, submit};
use crate::helpers::{TestApp, databases, stored_article};

const PASSWORD: &str = "editor password";

/// A client signed in as a new member with `role`.
pub async fn member(app: &TestApp, email: &str, role: Role, verified: bool) -> reqwest::Client {
    app.state
        .accounts
        .add_user(email, PASSWORD, role, verified)
        .await
        .expect("add user");
    let c = client();
    let (status, _, _) = sign_in(&c, app, email, PASSWORD).await;
    assert_eq!(status, 303);
    c
}

#[tokio::test]
async fn editors_write_publish_and_correct_articles_through_the_pipeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let reader = member(&app, "reader@example.com", Role::Reader, true).await;
        let editor = member(&app, "editor@example.com", Role::Editor, true).await;
        assert_eq!(get(&reader, &app, "/desk").await.0, 403);
        assert_eq!(get(&client(), &app, "/desk").await.0, 303);
        let (status, _, _) = submit(
            &reader,
            &app,
            "/account",
            "/desk/articles",
            &[("title", "x"), ("body", "y")],
        )
        .await;
        assert_eq!(status, 403);

        // Write and publish.
        let (status, location, body) = submit(
            &editor,
            &app,
            "/desk/new",
            "/desk/articles",
            &[
                ("title", "افتتاح معرض الكتاب في بنغازي"),
                ("subtitle", "مشاركة واسعة من دور النشر"),
                ("body", "افتتح المعرض صباح اليوم.\nويستمر أسبوعاً."),
                ("section", "culture"),
                ("tags", "بنغازي، معرض الكتاب"),
                ("action", "publish"),
            ],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let location = location.expect("location");
        let id = location.rsplit('/').next().expect("id").to_string();
        assert!(location.starts_with("/desk/edit/desk/"), "{location}");
        let a = stored_article(&app.state.store, "desk", &id).await;
        assert_eq!(a.body, vec!["افتتح المعرض صباح اليوم.", "ويستمر أسبوعاً."]);
        assert_eq!(a.section, Some(Section::Culture));
        assert_eq!(a.section_origin, LabelOrigin::Person);
        let names: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names.contains(&"بنغازي") && a.tags.iter().all(|t| t.origin == LabelOrigin::Person)
        );
        assert_eq!(
            get(&client(), &app, &format!("/articles/desk/{id}"))
                .await
                .0,
            200
        );
        let (_, list) = get(&client(), &app, "/api/v1/articles").await;
        assert!(list.contains(&id));

        // Edit into a draft: it leaves the public list.
        let (status, _, _) = submit(
            &editor,
            &app,
            &location,
            &location,
            &[
                ("title", "افتتاح معرض الكتاب"),
                ("body", "افتتح المعرض صباح اليوم."),
                ("section", "culture"),
                ("tags", "بنغازي"),
                ("action", "draft"),
            ],
        )
        .await;
        assert_eq!(status, 200);
        let a = stored_article(&app.state.store, "desk", &id).await;
        assert_eq!(a.title, "افتتاح معرض الكتاب");
        assert_eq!(a.tags.len(), 1);
        assert_eq!(
            app.state
                .store
                .article_status("desk", &id)
                .await
                .expect("status")
                .as_deref(),
            Some("draft")
        );
        let (_, list) = get(&client(), &app, "/api/v1/articles").await;
        assert!(!list.contains(&id));
        // Publish again from the desk list.
        let (status, _, _) = submit(
            &editor,
            &app,
            "/desk",
            &format!("/desk/status/desk/{id}"),
            &[("action", "publish")],
        )
        .await;
        assert_eq!(status, 303);
        let (_, list) = get(&client(), &app, "/api/v1/articles").await;
        assert!(list.contains(&id));
        assert_eq!(
            app.state.store.count_articles().await.expect("count"),
            1,
            "edits update in place"
        );

        // An empty body is refused with the pipeline's reason, and nothing is stored.
        let (status, _, page) = submit(
            &editor,
            &app,
            "/desk/new",
            "/desk/articles",
            &[("title", "عنوان"), ("body", "  "), ("action", "publish")],
        )
        .await;
        assert_eq!(status, 400);
        assert!(page.contains("empty body"), "{page}");
        assert_eq!(app.state.store.count_articles().await.expect("count"), 1);

        // Correct the section and tags of an imported article.
        app.state
            .newsroom
            .ingest_records(
                vec![Incoming {
                    id: Some("m1".into()),
                    title: Some("مباراة الأمس".into()),
                    body: "فاز الفريق.".into(),
                    category: Some("economy".into()),
                    ..Incoming::default()
                }],
                "wire",
                "test",
            )
            .await
            .expect("ingest");
        let (status, _, _) = submit(
            &editor,
            &app,
            "/desk/edit/wire/m1",
            "/desk/labels/wire/m1",
            &[("section", "sport"), ("tags", "كرة القدم")],
        )
        .await;
        assert_eq!(status, 303);
        let a = stored_article(&app.state.store, "wire", "m1").await;
        assert_eq!(
            (a.section, a.section_origin),
            (Some(Section::Sport), LabelOrigin::Person)
        );
        assert_eq!(a.tags.len(), 1);
        assert_eq!(a.tags[0].origin, LabelOrigin::Person);
        // Withdrawn, then corrected again: it stays out of search.
        let in_search = |app: &crate::helpers::TestApp| {
            let req = sahifa::search::SearchRequest {
                q: "مباراة".into(),
                limit: 10,
                ..Default::default()
            };
            app.state.search.search(&req).expect("search").total
        };
        assert_eq!(in_search(&app), 1);
        let (status, _, _) = submit(
            &editor,
            &app,
            "/desk/edit/wire/m1",
            "/desk/status/wire/m1",
            &[("action", "unpublish")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(in_search(&app), 0);
        let (status, _, _) = submit(
            &editor,
            &app,
            "/desk/edit/wire/m1",
            "/desk/labels/wire/m1",
            &[("section", "economy"), ("tags", "اقتصاد")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(
            in_search(&app),
            0,
            "correcting a draft's labels published it"
        );
        // Imported text is not editable at the desk.
        let (status, _, _) = submit(
            &editor,
            &app,
            "/desk/edit/wire/m1",
            "/desk/edit/wire/m1",
            &[("title", "x"), ("body", "y")],
        )
        .await;
        assert_eq!(status, 400);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn admins_change_roles_and_require_verified_addresses() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let admin = member(&app, "admin@example.com", Role::Admin, true).await;
        let reader = member(&app, "new@example.com", Role::Reader, false).await;
        assert_eq!(get(&reader, &app, "/admin/members").await.0, 403);
        let (status, page) = get(&admin, &app, "/admin/members").await;
        assert_eq!(status, 200);
        assert!(page.contains("admin@example.com") && page.contains("new@example.com"));

        let uid = app
            .state
            .accounts
            .user_by_email("new@example.com")
            .await
            .expect("read")
            .expect("user")
            .uid;
        let (status, _, _) = submit(
            &reader,
            &app,
            "/account",
            &format!("/admin/members/{uid}/role"),
            &[("role", "admin")],
        )
        .await;
        assert_eq!(status, 403, "a reader cannot promote itself");
        let (status, _, _) = submit(
            &admin,
            &app,
            "/admin/members",
            &format!("/admin/members/{uid}/role"),
            &[("role", "editor")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(
            get(&reader, &app, "/desk").await.0,
            200,
            "the new editor reaches the desk"
        );
        let me = app
            .state
            .accounts
            .user_by_email("admin@example.com")
            .await
            .expect("read")
            .expect("admin");
        let (status, _, _) = submit(
            &admin,
            &app,
            "/admin/members",
            &format!("/admin/members/{}/role", me.uid),
            &[("role", "reader")],
        )
        .await;
        assert_eq!(status, 400, "an admin cannot demote itself");

        // Require verified addresses: the unverified editor can no longer act.
        let (status, _, _) = submit(
            &admin,
            &app,
            "/admin/members",
            "/admin/settings",
            &[("require_verified_email", "on")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(get(&reader, &app, "/desk").await.0, 403);
        let r = client()
            .post(format!("{}/api/v1/tokens", app.addr))
            .json(&json!({"email": "new@example.com", "password": PASSWORD, "name": "x"}))
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 403);
        let (_, account) = get(&reader, &app, "/account").await;
        assert!(account.contains("يجب تأكيد بريدك"));
        let (status, _, _) = submit(&admin, &app, "/admin/members", "/admin/settings", &[]).await;
        assert_eq!(status, 303);
        assert_eq!(get(&reader, &app, "/desk").await.0, 200);
        let r = client()
            .post(format!("{}/api/v1/tokens", app.addr))
            .json(&json!({"email": "new@example.com", "password": PASSWORD, "name": "x"}))
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 201);
        let _: Value = r.json().await.expect("json");
        app.state.store.close().await;
        db.drop_schema().await;
    }
}
