//! Saved articles through the pages without JavaScript, the desk's delete, the account
//! export and deletion, and exports of 10,000 copies imported into another account.

use serde_json::Value;

use crate::accounts_support::{csrf_of, post_form, sign_in, spawn_app};
use crate::helpers::databases;
use crate::saved_support::{Member, article};

#[tokio::test]
async fn the_card_button_saves_and_unsaves_without_javascript() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.ingest(vec![article(
            "wire",
            "f1",
            "خبر البطاقة",
            "نص خبر البطاقة.",
        )])
        .await;
        let me = Member::new(&app, &format!("cards-{}@example.com", db.name)).await;
        let (_, home) = me.page(&app, "/").await;
        assert!(
            home.contains(r#"action="/saved/wire/f1""#),
            "a save form on the card"
        );
        let csrf = csrf_of(&home);
        let (status, to, _) = post_form(
            &me.web,
            &app,
            "/saved/wire/f1",
            &[("action", "save"), ("next", "/"), ("csrf", &csrf)],
        )
        .await;
        assert_eq!((status, to.as_deref()), (303, Some("/")), "{}", db.name);
        let (_, home) = me.page(&app, "/").await;
        assert!(home.contains(r#"aria-pressed="true""#), "shown as saved");
        assert_eq!(me.list(&app, "").await["total"], 1);

        // Without the CSRF field nothing changes.
        let (status, _, _) =
            post_form(&me.web, &app, "/saved/wire/f1", &[("action", "unsave")]).await;
        assert_eq!(status, 403);
        assert_eq!(me.list(&app, "").await["total"], 1);
        // An outside `next` is not followed.
        let (status, to, _) = post_form(
            &me.web,
            &app,
            "/saved/wire/f1",
            &[
                ("action", "unsave"),
                ("next", "//evil.example/"),
                ("csrf", &csrf),
            ],
        )
        .await;
        assert_eq!((status, to.as_deref()), (303, Some("/saved")));
        assert_eq!(me.list(&app, "").await["total"], 0);
        // Signed out, the card offers sign-in instead of a form.
        let anon = app.get("/").await.text().await.expect("home");
        assert!(!anon.contains(r#"action="/saved/wire/f1""#));
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn the_desk_deletes_for_editors_only_and_the_copy_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.ingest(vec![article("wire", "d1", "خبر للحذف", "نص خبر للحذف.")])
            .await;
        let reader = Member::new(&app, &format!("reader-{}@example.com", db.name)).await;
        assert_eq!(reader.save(&app, "wire", "d1", None).await.0, 201);
        let (status, page) = reader.page(&app, "/desk/delete/wire/d1").await;
        assert_eq!(status, 403, "a reader gets no delete");
        let csrf = csrf_of(&reader.page(&app, "/saved").await.1);
        let (status, _, _) = post_form(
            &reader.web,
            &app,
            "/desk/delete/wire/d1",
            &[("csrf", &csrf)],
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(app.get("/articles/wire/d1").await.status(), 200);
        let _ = page;

        let email = format!("editor-{}@example.com", db.name);
        app.state
            .accounts
            .add_user(
                &email,
                "saved password 1",
                sahifa::accounts::Role::Editor,
                true,
            )
            .await
            .expect("add editor");
        let editor = crate::accounts_support::client();
        let (status, _, _) = sign_in(&editor, &app, &email, "saved password 1").await;
        assert_eq!(status, 303);
        let (status, confirm) =
            crate::accounts_support::get(&editor, &app, "/desk/delete/wire/d1").await;
        assert_eq!(status, 200, "{}: {confirm}", db.name);
        let (status, _, _) = post_form(&editor, &app, "/desk/delete/wire/d1", &[]).await;
        assert_eq!(status, 403, "no CSRF, no delete");
        let form = [("csrf", &csrf_of(&confirm) as &str)];
        let (status, to, _) = post_form(&editor, &app, "/desk/delete/wire/d1", &form).await;
        assert_eq!((status, to.as_deref()), (303, Some("/desk")));
        assert_eq!(app.get("/articles/wire/d1").await.status(), 410);
        let list = reader.list(&app, "").await;
        assert_eq!(list["items"][0]["removed"], true, "{list}");
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn saved_items_are_in_the_account_export_and_go_with_the_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.ingest(vec![article("wire", "a1", "خبر الحساب", "نص خبر الحساب.")])
            .await;
        let me = Member::new(&app, &format!("account-{}@example.com", db.name)).await;
        assert_eq!(me.save(&app, "wire", "a1", Some("ملاحظة")).await.0, 201);
        let (status, body) = me.page(&app, "/account/export").await;
        assert_eq!(status, 200);
        let export: Value = serde_json::from_str(&body).expect("export json");
        assert_eq!(export["saved"][0]["id"], "a1", "{export}");
        assert_eq!(export["saved"][0]["note"], "ملاحظة");
        assert_eq!(export["saved"][0]["schema"], "sahifa.saved/1");

        let (_, account) = me.page(&app, "/account").await;
        let form = [
            ("password", "saved password 1"),
            ("csrf", &csrf_of(&account) as &str),
        ];
        let (status, _, _) = post_form(&me.web, &app, "/account/delete", &form).await;
        assert_eq!(status, 303, "{}", db.name);
        let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM saved_items")
            .fetch_one(app.state.store.pool())
            .await
            .expect("count");
        assert_eq!(left, 0, "{}: deleted with the account", db.name);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

/// 10,000 JSON Lines records of the export schema.
fn records(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let rec = serde_json::json!({
            "schema": "sahifa.saved/1", "source": "archive", "id": format!("a{i:05}"),
            "title": format!("خبر رقم {i} <b>عن</b> بنغازي"),
            "body": [format!("الفقرة الأولى من الخبر {i} عن مستشفى الجلاء."), "الفقرة الثانية & الأخيرة."],
            "section": "middleEast", "tags": [{"slug": "بنغازي", "name": "بنغازي"}],
            "saved_at": format!("2026-11-{:02}T10:00:00Z", 1 + i % 28),
            "note": if i % 3 == 0 { Value::from("ملاحظة") } else { Value::Null },
            "content_hash": format!("h{i}"),
        });
        out.push_str(&rec.to_string());
        out.push('\n');
    }
    out
}

#[tokio::test]
async fn ten_thousand_saved_items_export_in_every_format_and_import_elsewhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let me = Member::new(&app, &format!("export-{}@example.com", db.name)).await;
        let mut body = records(10_000);
        body.push_str(
            "{\"schema\":\"sahifa.saved/1\",\"source\":\"x\",\"id\":\"bad\"}\nnot json\n",
        );
        let (status, report) = me.import(&app, body).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["imported"], 10_000, "{}: {report}", db.name);
        assert_eq!(report["rejected"], 2);
        assert_eq!(report["errors"][0]["line"], 10_001);
        assert_eq!(report["errors"][0]["field"], "title");

        let (status, ctype, jsonl) = me.raw(&app, "/api/v1/saved/export?format=jsonl").await;
        assert_eq!(status, 200);
        assert!(ctype.starts_with("application/x-ndjson"));
        let lines: Vec<Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        assert_eq!(lines.len(), 10_000);
        assert!(lines.iter().all(|l| l["schema"] == "sahifa.saved/1"));
        assert_eq!(
            lines[0]["saved_at"], "2026-11-28T10:00:00Z",
            "newest saved first"
        );

        let (status, _, md) = me.raw(&app, "/api/v1/saved/export?format=md").await;
        assert_eq!(status, 200);
        assert_eq!(md.matches("\n---\n\n# ").count(), 10_000);
        assert!(md.starts_with("---\nschema: \"sahifa.saved/1\"\n"));
        assert!(
            md.contains("\\<b\\>عن\\</b\\>"),
            "markup in titles is inert"
        );

        let (status, ctype, html) = me.raw(&app, "/api/v1/saved/export?format=html").await;
        assert_eq!(status, 200);
        assert!(ctype.starts_with("text/html"));
        assert!(html.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">"));
        assert_eq!(html.matches("<article ").count(), 10_000);
        assert!(!html.contains("<b>عن</b>") && html.contains("&#60;b&#62;عن&#60;/b&#62;"));
        assert!(html.trim_end().ends_with("</html>"));
        std::fs::write(dir.path().join(format!("saved-{}.html", db.name)), &html).expect("keep");

        // The JSON Lines export moves into another account, once.
        let other = Member::new(&app, &format!("import-{}@example.com", db.name)).await;
        let (_, first) = other.import(&app, jsonl.clone()).await;
        assert_eq!(first["imported"], 10_000, "{first}");
        let (_, again) = other.import(&app, jsonl).await;
        assert_eq!(
            (again["imported"].clone(), again["unchanged"].clone()),
            (0.into(), 10_000.into())
        );
        let found = other.list(&app, "q=مستشفي&limit=5").await;
        assert_eq!(found["total"], 10_000);
        assert_eq!(me.list(&app, "tag=بنغازي").await["total"], 10_000);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}
