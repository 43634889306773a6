//! Visitors' pages come from each node's cache of whole pages (`src/web/page_cache.rs`):
//! what a visitor sees changes the moment an editor's write returns (edit, retag,
//! unpublish, removal), the gzip sent is the same page, and a signed-in member's page is
//! never the cached visitor's page, nor the other way round; on SQLite and PostgreSQL.

use std::io::Read;

use sahifa::accounts::Role;

use crate::accounts_desk::member;
use crate::accounts_support::{client, csrf_of, get, post_form, spawn_app, submit};
use crate::helpers::{TestApp, databases, stored_article};

/// A visitor's first look at `path` (a fresh browser: no cookies).
async fn visitor(app: &TestApp, path: &str) -> (u16, String) {
    get(&client(), app, path).await
}

/// `path` without gzip, and with gzip unpacked here: (identity body, gzip body, encoding).
async fn both_encodings(app: &TestApp, path: &str) -> (String, String, String) {
    let raw = reqwest::Client::builder()
        .no_gzip()
        .build()
        .expect("client");
    let url = format!("{}{path}", app.addr);
    let plain = raw.get(&url).send().await.expect("GET");
    assert_eq!(plain.headers().get("content-encoding"), None);
    let plain = plain.text().await.expect("body");
    let zipped = raw
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("GET gzip");
    let encoding = zipped
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = zipped.bytes().await.expect("bytes");
    let mut unpacked = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut unpacked)
        .expect("gunzip");
    (plain, unpacked, encoding)
}

#[tokio::test]
async fn a_visitor_sees_each_desk_write_at_once_through_the_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let editor = member(&app, "editor@example.com", Role::Editor, true).await;
        let (status, location, body) = submit(
            &editor,
            &app,
            "/desk/new",
            "/desk/articles",
            &[
                ("title", "افتتاح معرض الكتاب في بنغازي"),
                ("body", "افتتح المعرض صباح اليوم."),
                ("section", "culture"),
                ("tags", "بنغازي"),
                ("action", "publish"),
            ],
        )
        .await;
        assert_eq!(status, 303, "{}: {body}", db.name);
        let edit = location.expect("location");
        let id = edit.rsplit('/').next().expect("id").to_string();
        let page = format!("/articles/desk/{id}");

        let (s, html) = visitor(&app, &page).await;
        assert_eq!(s, 200, "{}", db.name);
        assert!(html.contains("افتتاح معرض الكتاب في بنغازي"));
        let (plain, unpacked, encoding) = both_encodings(&app, &page).await;
        assert_eq!(encoding, "gzip", "{}", db.name);
        assert_eq!(plain, unpacked, "{}: the gzip is the same page", db.name);
        assert_eq!(plain, html, "{}: the kept page is the page", db.name);
        let (pages, _) = app.state.front.pages.usage();
        assert!(pages >= 1, "{}: the visitor's page is kept", db.name);

        // An edit of the text shows on the next visit.
        let (status, _, body) = submit(
            &editor,
            &app,
            &edit,
            &edit,
            &[
                ("title", "اختتام معرض الكتاب"),
                ("body", "اختتم المعرض مساء اليوم."),
                ("section", "culture"),
                ("tags", "بنغازي"),
                ("action", "publish"),
            ],
        )
        .await;
        assert!(
            status == 303 || status == 200,
            "{}: {status} {body}",
            db.name
        );
        let (s, html) = visitor(&app, &page).await;
        assert_eq!(s, 200);
        assert!(
            html.contains("اختتام معرض الكتاب"),
            "{}: edit not shown",
            db.name
        );
        assert!(
            !html.contains("افتتاح"),
            "{}: the old title is served",
            db.name
        );
        let (plain, unpacked, _) = both_encodings(&app, &page).await;
        assert!(plain.contains("اختتام") && unpacked.contains("اختتام"));

        // New labels (a retag at the desk) show on the next visit.
        let (status, _, _) = submit(
            &editor,
            &app,
            &edit,
            &format!("/desk/labels/desk/{id}"),
            &[("section", "culture"), ("tags", "طرابلس")],
        )
        .await;
        assert_eq!(status, 303);
        let (_, html) = visitor(&app, &page).await;
        assert!(
            html.contains("طرابلس"),
            "{}: the new tag is not shown",
            db.name
        );

        // Unpublished: gone for visitors at once; published again: back at once.
        for (action, want) in [("unpublish", 404), ("publish", 200)] {
            let (status, _, _) = submit(
                &editor,
                &app,
                "/desk",
                &format!("/desk/status/desk/{id}"),
                &[("action", action)],
            )
            .await;
            assert_eq!(status, 303);
            assert_eq!(visitor(&app, &page).await.0, want, "{}: {action}", db.name);
            let (plain, _, _) = both_encodings(&app, &page).await;
            assert_eq!(
                plain.contains("اختتم المعرض"),
                want == 200,
                "{}: after {action}",
                db.name
            );
        }

        // Removed: 410 at once.
        let (_, confirm) = get(&editor, &app, &format!("/desk/delete/desk/{id}")).await;
        let form = [("csrf", &csrf_of(&confirm) as &str)];
        let (status, _, _) =
            post_form(&editor, &app, &format!("/desk/delete/desk/{id}"), &form).await;
        assert_eq!(status, 303, "{}", db.name);
        let (s, html) = visitor(&app, &page).await;
        assert_eq!(s, 410, "{}: removed", db.name);
        assert!(!html.contains("اختتم المعرض"), "{}", db.name);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn members_and_visitors_never_get_each_others_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.ingest(vec![sahifa::ingest::Incoming {
            id: Some("c1".into()),
            title: Some("اجتماع وزراء الاقتصاد".into()),
            body: "اجتمع وزراء الاقتصاد العرب اليوم لبحث التعاون.".into(),
            category: Some("economy".into()),
            ..Default::default()
        }])
        .await;
        let reader = member(&app, "reader@example.com", Role::Reader, true).await;
        let stored = stored_article(&app.state.store, "test", "c1").await;
        let section = format!("/sections/{}", stored.section.expect("a section").slug());
        for path in ["/articles/test/c1", "/", &section, "/?lang=en"] {
            // A visitor first (the page is kept), then the member, then a visitor again.
            let (s, first) = visitor(&app, path).await;
            assert_eq!(s, 200, "{}: {path}", db.name);
            for _ in 0..2 {
                let r = reader
                    .get(format!("{}{path}", app.addr))
                    .send()
                    .await
                    .expect("GET");
                assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
                let html = r.text().await.expect("body");
                assert!(
                    html.contains("reader@example.com"),
                    "{}: the member got a visitor's page at {path}",
                    db.name
                );
                assert!(html.contains("name=\"csrf\""), "{path}: no member forms");
                assert!(!html.contains("member-box"), "{path}: the visitors' box");
            }
            let r = client()
                .get(format!("{}{path}", app.addr))
                .send()
                .await
                .expect("GET");
            assert!(r.headers().get("set-cookie").is_none() || path.contains("lang="));
            let html = r.text().await.expect("body");
            assert_eq!(html, first, "{}: {path}", db.name);
            assert!(
                !html.contains("reader@example.com") && !html.contains("name=\"csrf\""),
                "{}: a visitor got the member's page at {path}",
                db.name
            );
        }
        // The page in each locale is its own.
        let (_, ar) = visitor(&app, "/articles/test/c1").await;
        let (_, en) = visitor(&app, "/articles/test/c1?lang=en").await;
        assert!(ar.contains("lang=\"ar\" dir=\"rtl\"") && en.contains("lang=\"en\" dir=\"ltr\""));
        app.state.store.close().await;
        db.drop_schema().await;
    }
}
