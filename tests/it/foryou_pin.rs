//! An editor's pin: from the desk (editors only, published articles only) and from
//! `sahifa pin`, an old article goes to the top of every member's feed with the pinned
//! reason, and leaves it when the pin is taken off; on SQLite and PostgreSQL.

use sahifa::accounts::Role;

use crate::accounts_support::{get, signed_in, submit};
use crate::foryou_support::{SECTIONS, SOURCES, app_with_corpus, feed, keys, member};
use crate::helpers::{TestApp, databases, sahifa, stderr, stdout};

/// The first item of a member's feed once the node has looked at the store: (key, kind).
async fn top(app: &TestApp, token: &str) -> ((String, String), String, Vec<(String, String)>) {
    app.state.reader.refresh().await.expect("refresh");
    let page = feed(app, token, 10, None).await;
    let kind = page["items"][0]["reason_kind"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let ks = keys(&page);
    (ks.first().cloned().unwrap_or_default(), kind, ks)
}

#[tokio::test]
async fn an_editor_pins_an_old_article_to_the_top_of_every_feed() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 12).await;
        let (token, _) = member(&app, "reader@example.com").await;
        // The oldest article of the first section: far from a new member's first page.
        let source = SOURCES[11 % SOURCES.len()];
        let id = format!("{}-11", SECTIONS[0]);
        let old = (source.to_string(), id.clone());
        let (_, _, before) = top(&app, &token).await;
        assert!(!before.contains(&old), "{}: {before:?}", db.name);

        let edit = format!("/desk/edit/{source}/{id}");
        let action = format!("/desk/pin/{source}/{id}");
        let reader = signed_in(&app, "plain@example.com", Role::Reader).await;
        let (status, _, _) = submit(&reader, &app, "/account", &action, &[("action", "pin")]).await;
        assert_eq!(status, 403, "{}: a reader may not pin", db.name);

        let editor = signed_in(&app, "editor@example.com", Role::Editor).await;
        let (_, page) = get(&editor, &app, &edit).await;
        assert!(page.contains("غير مثبّت"), "{}: {page}", db.name);
        for bad in ["0", "169", "soon"] {
            let (status, _, body) = submit(
                &editor,
                &app,
                &edit,
                &action,
                &[("action", "pin"), ("hours", bad)],
            )
            .await;
            assert_eq!(status, 400, "{}: hours {bad}", db.name);
            assert!(body.contains("168"), "{}: {body}", db.name);
        }
        let (status, location, _) = submit(
            &editor,
            &app,
            &edit,
            &action,
            &[("action", "pin"), ("hours", "6")],
        )
        .await;
        assert_eq!(
            (status, location.as_deref()),
            (303, Some(edit.as_str())),
            "{}",
            db.name
        );
        let (_, page) = get(&editor, &app, &edit).await;
        assert!(
            page.contains("مثبّت في «لك» لدى كل الأعضاء حتى"),
            "{}",
            db.name
        );

        let (first, kind, _) = top(&app, &token).await;
        assert_eq!((&first, kind.as_str()), (&old, "pinned"), "{}", db.name);
        let page = feed(&app, &token, 10, None).await;
        assert_eq!(page["items"][0]["reason"], "اختاره المحررون", "{}", db.name);
        // Another member sees it too.
        let (other, _) = member(&app, "other@example.com").await;
        assert_eq!(top(&app, &other).await.0, old, "{}", db.name);

        let (status, _, _) = submit(&editor, &app, &edit, &action, &[("action", "unpin")]).await;
        assert_eq!(status, 303, "{}", db.name);
        let (_, kind, after) = top(&app, &token).await;
        assert!(!after.contains(&old), "{}: {after:?}", db.name);
        assert_ne!(kind, "pinned", "{}", db.name);

        // The command line pins and unpins the same way; a draft or a missing article is
        // refused by name.
        let cli = tempfile::tempdir().expect("cli data");
        let out = sahifa(
            cli.path(),
            Some(&db.url),
            &["pin", source, &id, "--hours", "2"],
        );
        assert!(out.status.success(), "{}: {}", db.name, stderr(&out));
        assert!(
            stdout(&out).starts_with(&format!("pinned {source}/{id} until ")),
            "{}",
            db.name
        );
        assert_eq!(top(&app, &token).await.0, old, "{}", db.name);
        let out = sahifa(cli.path(), Some(&db.url), &["pin", source, &id, "--remove"]);
        assert_eq!(
            stdout(&out).trim(),
            format!("unpinned {source}/{id}"),
            "{}",
            db.name
        );
        assert!(!top(&app, &token).await.2.contains(&old), "{}", db.name);
        let out = sahifa(cli.path(), Some(&db.url), &["pin", source, "no-such-id"]);
        assert!(!out.status.success(), "{}", db.name);
        assert!(
            stderr(&out).contains("no such article"),
            "{}: {}",
            db.name,
            stderr(&out)
        );
        db.drop_schema().await;
    }
}
